import type { Server } from 'node:http';
import { createBot } from './app/create-bot.js';
import { registerCommands } from './telegram/commands.js';
import { createHttpServer } from './telegram/http-server.js';
import { storeHealthChecks } from './telegram/health-checks.js';
import { ALLOWED_UPDATES } from './telegram/runtime-base.js';
import { findInRepo } from './paths.js';
import { connect, exitOnStartFailure, onShutdown } from './bootstrap.js';
import { runStartUpTasks, startUpLocks, startUpTasksLock } from './app/start-up.js';
import { FEATURES } from './features/index.js';
import { startBotDeliveryWorker } from './delivery/bot-worker.js';
import { startInquiryReminders } from './features/inquiries/reminders.js';
import { startRepairTick } from './app/repair-tick.js';
import type { DeliveryWorkerHandle } from './delivery/delivery-worker.js';

const WEBHOOK_PATH = '/telegram/webhook';

/** The only place that wires real connections and starts things. */
async function main(): Promise<void> {
  const { config, logger, redis, mongo, delivery } = await connect();

  // Records from before broadcast audience flags and mission match keys (each feature's own),
  // filled in before createBot starts taking updates: matching reads only the keys.
  await runStartUpTasks(FEATURES, mongo, startUpLocks({ redis, config }), logger, startUpTasksLock({ redis, config }), config);

  const bot = await createBot(config, { redis, mongo, logger, delivery });
  await bot.init();

  // An empty directory gets the sample (marked as such on every card), so a new installation is
  // useful to try; operators load the real registry with `npm run centres:import` (docs/centres.md).
  if (config.SAMPLE_CENTRES) await bot.services.centres.seedIfEmpty(findInRepo('data/centres.sample.json'));

  // The command list is a convenience: a Bot API hiccup at start-up must not keep the bot down.
  await registerCommands(bot.runtime.api, bot.registry, bot.i18n, config.DEFAULT_LOCALE).catch((error: unknown) =>
    logger.warn({ err: error }, 'could not set the command list; the bot runs without it'),
  );

  // WEBHOOK_URL is the public address; its path (or a default one) is what the server listens on.
  const webhookUrl = config.BOT_MODE === 'webhook' ? new URL(config.WEBHOOK_URL!) : undefined;
  if (webhookUrl && webhookUrl.pathname === '/') webhookUrl.pathname = WEBHOOK_PATH;
  const webhook = webhookUrl ? { path: webhookUrl.pathname, secret: config.WEBHOOK_SECRET!, runtime: bot.runtime } : undefined;
  const server: Server = createHttpServer({
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    logger,
    webhook,
    health: [
      ...storeHealthChecks(redis, mongo),
      // Polling mode: red when the poller died or has not reached Telegram for a long while.
      { name: 'updates', check: async () => bot.runtime.healthy() },
    ],
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.HTTP_PORT, config.HTTP_HOST, resolve);
  });
  logger.info({ host: config.HTTP_HOST, port: config.HTTP_PORT, mode: config.BOT_MODE }, 'http server listening');

  let worker: DeliveryWorkerHandle | undefined;
  if (config.DELIVERY_IN_PROCESS) {
    worker = startBotDeliveryWorker({ config, redis, services: bot.services, i18n: bot.i18n, api: bot.runtime.api, logger });
    logger.info({ rate: config.DELIVERY_RATE }, 'delivery worker running in process');
  }
  // Scheduled broadcasts need no timer: their jobs wait in the queue as delayed jobs.
  const reminders = startInquiryReminders(bot.deps);
  // What a process stopped between two writes left undone (an audit line, a notice, a post into
  // a staff topic): finished now and every minute. Here, as it needs the bot's Bot API caller.
  const repairs = startRepairTick(FEATURES, bot.deps);

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

  onShutdown(logger, config.SHUTDOWN_MS, async () => {
    // Stop taking updates; chats in hand finish their current update and are handed back (what
    // is still waiting stays in Redis for the next process), then close everything.
    reminders.stop();
    await repairs.stop();
    await bot.runtime.stop();
    await worker?.close();
    await delivery.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    redis.disconnect();
    await mongo.close();
  });
}

main().catch(exitOnStartFailure('Komek'));
