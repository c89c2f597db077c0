import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { connectMongo } from './db/connect.js';
import { createBot } from './app/create-bot.js';
import { registerCommands } from './telegram/commands.js';
import { createHttpServer } from './telegram/http-server.js';
import { ALLOWED_UPDATES } from './telegram/grammy-runtime.js';
import { createDeliveryQueue } from './delivery/bullmq-queue.js';
import { findInRepo } from './paths.js';
import { startBotDeliveryWorker } from './delivery/bot-worker.js';
import type { DeliveryWorkerHandle } from './delivery/delivery-worker.js';

const WEBHOOK_PATH = '/telegram/webhook';

function readConfig(): Config {
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

/** The only place that wires real connections and starts things. */
async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  const mongo: Connection = await connectMongo(config.MONGODB_URI);
  const delivery = createDeliveryQueue({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX });

  const bot = await createBot(config, { redis, mongo, logger, delivery });
  await bot.init();

  // An empty directory gets the sample (marked as such on every card), so a new installation is
  // useful to try; operators load the real registry with `npm run centres:import` (docs/centres.md).
  if (config.SAMPLE_CENTRES) await bot.services.centres.seedIfEmpty(findInRepo('data/centres.sample.json'));

  await registerCommands(bot.runtime.api, bot.registry, bot.i18n, config.DEFAULT_LOCALE);

  // WEBHOOK_URL is the public address; its path (or a default one) is what the server listens on.
  const webhookUrl = config.BOT_MODE === 'webhook' ? new URL(config.WEBHOOK_URL!) : undefined;
  if (webhookUrl && webhookUrl.pathname === '/') webhookUrl.pathname = WEBHOOK_PATH;
  const webhook = webhookUrl ? { path: webhookUrl.pathname, secret: config.WEBHOOK_SECRET!, runtime: bot.runtime } : undefined;
  const server: Server = createHttpServer({
    port: config.HTTP_PORT,
    logger,
    webhook,
    health: [
      { name: 'redis', check: async () => (await redis.ping()) === 'PONG' },
      {
        name: 'mongo',
        check: async () => {
          await mongo.db!.admin().ping();
          return true;
        },
      },
    ],
  });
  await new Promise<void>((resolve) => server.listen(config.HTTP_PORT, resolve));
  logger.info({ port: config.HTTP_PORT, mode: config.BOT_MODE }, 'http server listening');

  let worker: DeliveryWorkerHandle | undefined;
  if (config.DELIVERY_IN_PROCESS) {
    worker = startBotDeliveryWorker({ config, redis, services: bot.services, i18n: bot.i18n, api: bot.runtime.api, logger });
    logger.info({ rate: config.DELIVERY_RATE }, 'delivery worker running in process');
  }
  // Scheduled broadcasts need no timer: their jobs wait in the queue as delayed jobs.

  if (webhookUrl) {
    await bot.runtime.api.call('setWebhook', {
      url: webhookUrl.toString(),
      secret_token: config.WEBHOOK_SECRET!,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    logger.info('webhook set');
  } else {
    await bot.runtime.startPolling();
    logger.info('polling for updates');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A second signal or a hung connection must not keep the process alive forever.
    setTimeout(() => process.exit(1), 20_000).unref();
    try {
      await bot.runtime.stop();
      await bot.pipeline.idle();
      await worker?.close();
      await delivery.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
      await mongo.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Komek failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
