import { Bot } from 'grammy';
import { createDataCipher } from './security/crypto.js';
import { createI18n } from './i18n/index.js';
import { createServices } from './services/index.js';
import { grammyCaller } from './telegram/grammy-runtime.js';
import { startBotDeliveryWorker } from './delivery/bot-worker.js';
import { connect, exitOnStartFailure, onShutdown } from './bootstrap.js';

/**
 * Delivery workers on their own (`npm run worker`), e.g. on more machines than the bot: they share
 * the rate limit through Redis, so adding workers never makes the bot send faster than allowed.
 */
async function main(): Promise<void> {
  // Services may enqueue follow-up messages themselves, so they get the real queue.
  const { config, logger, redis, mongo, delivery } = await connect();
  const i18n = await createI18n();
  const services = createServices({
    connection: mongo,
    redis,
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

  onShutdown(logger, async () => {
    // Jobs in flight finish first, so a planned stop never leaves a duplicate behind.
    await worker.close();
    await delivery.close();
    redis.disconnect();
    await mongo.close();
  });
}

main().catch(exitOnStartFailure('Komek worker'));
