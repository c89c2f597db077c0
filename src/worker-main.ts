import { Bot } from 'grammy';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { connectMongo } from './db/connect.js';
import { createDataCipher } from './security/crypto.js';
import { createI18n } from './i18n/index.js';
import { createServices } from './services/index.js';
import { grammyCaller } from './telegram/grammy-runtime.js';
import { createDeliveryQueue } from './delivery/bullmq-queue.js';
import { startBotDeliveryWorker } from './delivery/bot-worker.js';

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

/**
 * Delivery workers on their own (`npm run worker`), e.g. on more machines than the bot: they share
 * the rate limit through Redis, so adding workers never makes the bot send faster than allowed.
 */
async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  const mongo = await connectMongo(config.MONGODB_URI);
  const i18n = await createI18n();
  // Services may enqueue follow-up messages themselves, so they get the real queue.
  const delivery = createDeliveryQueue({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX });
  const services = createServices({
    connection: mongo,
    cipher: createDataCipher(config.DATA_KEY),
    config,
    i18n,
    delivery,
    logger,
    now: () => new Date(),
  });
  const api = grammyCaller(new Bot(config.BOT_TOKEN, { client: { apiRoot: config.TELEGRAM_API_ROOT } }));
  const worker = startBotDeliveryWorker({ config, redis, services, i18n, api, logger });
  logger.info({ rate: config.DELIVERY_RATE }, 'delivery worker started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'delivery worker stopping');
    setTimeout(() => process.exit(1), 20_000).unref();
    try {
      // Jobs in flight finish first, so a planned stop never leaves a duplicate behind.
      await worker.close();
      await delivery.close();
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
  process.stderr.write(`Komek worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
