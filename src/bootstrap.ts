import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { connectMongo } from './db/connect.js';
import { createDeliveryQueue } from './delivery/bullmq-queue.js';
import type { DeliveryQueue } from './delivery/types.js';
import { createDataCipher } from './security/crypto.js';

/**
 * What the bot (main.ts) and the lone delivery worker (worker-main.ts) both start from: the
 * checked configuration and the real connections. Only those two entry points call this.
 */
export interface Connections {
  config: Config;
  logger: Logger;
  redis: Redis;
  mongo: Connection;
  delivery: DeliveryQueue & { close(): Promise<void> };
}

/** A bad setting stops start-up with the variable's name and a non-zero exit. */
function readConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** The Redis connection of the bot and the worker (sessions, mailbox, access copy, counters); BullMQ opens its own. */
export function createAppRedis(config: Pick<Config, 'REDIS_URL' | 'REDIS_AUTOPIPELINE'>): Redis {
  return new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, enableAutoPipelining: config.REDIS_AUTOPIPELINE });
}

export async function connect(): Promise<Connections> {
  const config = readConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  const redis = createAppRedis(config);
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  const mongo = await connectMongo(config.MONGODB_URI);
  const delivery = createDeliveryQueue({
    redisUrl: config.REDIS_URL,
    prefix: config.REDIS_PREFIX,
    cipher: createDataCipher(config.DATA_KEY),
    logger,
    exportAttempts: config.EXPORT_ATTEMPTS,
    exportRetryBaseMs: config.EXPORT_RETRY_BASE_MS,
  });
  return { config, logger, redis, mongo, delivery };
}

/** SIGTERM / SIGINT run `stop` once; a stop that hangs is cut short so the process never lingers. */
export function onShutdown(logger: Logger, cutoffMs: number, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Chats still in hand after the cut-off lose their lease and another process carries on.
    setTimeout(() => process.exit(1), cutoffMs + 5_000).unref();
    try {
      await stop();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * The HTTP port taken by another process, in words that name the setting: the README's start
 * without Docker runs the bot and `npm run worker` on one machine, where the second to start
 * finds the first on the same HTTP_PORT. Null for any other failure.
 */
function portTaken(error: unknown): string | null {
  const listen = error as { code?: unknown; syscall?: unknown; port?: unknown; address?: unknown } | null;
  if (listen?.code !== 'EADDRINUSE' || listen.syscall !== 'listen') return null;
  return `HTTP_PORT ${String(listen.port)} on ${String(listen.address)} is in use by another process. The bot and \`npm run worker\` on one machine each need their own HTTP_PORT.`;
}

export function exitOnStartFailure(what: string): (error: unknown) => never {
  return (error) => {
    const reason = portTaken(error) ?? (error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.stderr.write(`${what} failed to start: ${reason}\n`);
    process.exit(1);
  };
}
