import type { Connection } from 'mongoose';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { DataCipher } from '../security/crypto.js';
import type { DeliveryQueue } from '../delivery/types.js';
import type { I18n } from '../i18n/index.js';

/** What every service is built from; nothing else reaches the records. */
export interface ServiceDeps {
  connection: Connection;
  cipher: DataCipher;
  config: Config;
  i18n: I18n;
  delivery: DeliveryQueue;
  logger: Logger;
  now: () => Date;
}
