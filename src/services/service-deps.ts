import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { DataCipher } from '../security/crypto.js';
import type { DeliveryQueue } from '../delivery/types.js';
import type { I18n } from '../i18n/index.js';

/** What every service is built from; nothing else reaches the records. */
export interface ServiceDeps {
  connection: Connection;
  /**
   * Write-through caches (staff access); the source of truth stays in MongoDB. Optional only so
   * single services can be built without it in tests; createServices requires it.
   */
  redis?: Redis;
  cipher: DataCipher;
  config: Config;
  i18n: I18n;
  delivery: DeliveryQueue;
  logger: Logger;
  now: () => Date;
}

/** What createServices and the access service need: Redis is not optional there. */
export type ServiceDepsWithRedis = ServiceDeps & { redis: Redis };
