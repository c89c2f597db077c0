import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';

/** One dependency /healthz reports: up when `check` resolves true. */
export interface HealthCheck {
  name: string;
  check: () => Promise<boolean>;
}

/**
 * How long /healthz waits for one dependency. A frozen Redis or database keeps its connection
 * open and never answers (ioredis has no command timeout; the database driver gives up after
 * 40 s), so without a limit the probe hangs instead of reading 503. Under the 5 s timeout of
 * the image's and compose's health check.
 */
const HEALTH_CHECK_TIMEOUT_MS = 2_000;

/** True only when the check said so in time; an error or no answer is down. */
export function checkInTime(health: HealthCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), HEALTH_CHECK_TIMEOUT_MS);
  });
  return Promise.race([health.check().catch(() => false), late]).finally(() => clearTimeout(timer));
}

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
