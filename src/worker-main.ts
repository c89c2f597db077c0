import { createDataCipher } from './security/crypto.js';
import { createI18n } from './i18n/index.js';
import { createServices } from './services/index.js';
import { grammyBot, grammyCaller } from './telegram/grammy-runtime.js';
import { startBotDeliveryWorker } from './delivery/bot-worker.js';
import { connect, exitOnStartFailure, onShutdown } from './bootstrap.js';
import { runStartUpTasks, startUpLocks, startUpTasksLock } from './app/start-up.js';
import { FEATURES } from './features/index.js';
import { createHttpServer } from './telegram/http-server.js';
import { storeHealthChecks } from './telegram/health-checks.js';

/**
 * Delivery workers on their own (`npm run worker`), e.g. on more machines than the bot: they share
 * the rate limit through Redis, so adding workers never makes the bot send faster than allowed.
 */
async function main(): Promise<void> {
  // Services may enqueue follow-up messages themselves, so they get the real queue.
  const { config, logger, redis, mongo, delivery } = await connect();
  // The same back-fills as the bot's start: a worker started alone (after an upgrade, before any
  // bot restarted) runs broadcast fan-outs and invitations, which rely on them (audience
  // buckets, match keys and lists). Each is idempotent, so bot and worker may run them together.
  await runStartUpTasks(FEATURES, mongo, startUpLocks({ redis, config }), logger, startUpTasksLock({ redis, config }), config);
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
  const api = grammyCaller(grammyBot(config.BOT_TOKEN, config.TELEGRAM_API_ROOT));

  // The worker's own health signal (the image's HEALTHCHECK asks GET /healthz on HTTP_PORT): it
  // serves no webhook, and reports what it depends on, so an orchestrator restarts a worker that
  // lost Redis or the database instead of trusting a bot's check it does not have.
  let stopping = false;
  const server = createHttpServer({
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    logger,
    health: [
      { name: 'worker', check: async () => !stopping },
      ...storeHealthChecks(redis, mongo),
    ],
  });
  await new Promise<void>((resolve, reject) => {
    // A taken port stops start-up with a message instead of an unhandled 'error' event.
    server.once('error', reject);
    server.listen(config.HTTP_PORT, config.HTTP_HOST, resolve);
  });
  // Only once the port is ours: a worker that cannot listen (another process has HTTP_PORT)
  // stops before it takes a job, instead of exiting in the middle of a send.
  const worker = startBotDeliveryWorker({ config, redis, services, i18n, api, logger });
  logger.info({ rate: config.DELIVERY_RATE, host: config.HTTP_HOST, port: config.HTTP_PORT }, 'delivery worker started');

  onShutdown(logger, config.SHUTDOWN_MS, async () => {
    stopping = true;
    // Jobs in flight finish first, so a planned stop never leaves a duplicate behind.
    await worker.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await delivery.close();
    redis.disconnect();
    await mongo.close();
  });
}

main().catch(exitOnStartFailure('Komek worker'));
