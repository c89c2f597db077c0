import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { HealthCheck } from './http-server.js';

/** Redis and the database, as the bot's and the worker's /healthz report them. */
export function storeHealthChecks(redis: Redis, mongo: Connection): HealthCheck[] {
  return [
    { name: 'redis', check: async () => (await redis.ping()) === 'PONG' },
    {
      name: 'mongo',
      check: async () => {
        await mongo.db!.admin().ping();
        return true;
      },
    },
  ];
}
