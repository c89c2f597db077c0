// A whole bot in its own process, for tests that need two of them or need to SIGKILL one.
// Configured by the environment like the real bot; BOT_MODE=webhook serves updates on
// HTTP_PORT at /webhook, polling takes them from TELEGRAM_API_ROOT. Prints "READY" when up.
import { createAppRedis } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { connectMongo } from '../../src/db/connect.js';
import { createBot } from '../../src/app/create-bot.js';
import { createHttpServer } from '../../src/telegram/http-server.js';
import { FEATURES } from '../../src/features/index.js';
import type { DeliveryQueue } from '../../src/delivery/types.js';
import { createDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { startBotDeliveryWorker } from '../../src/delivery/bot-worker.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { startRepairTick } from '../../src/app/repair-tick.js';
import { tallyFeature } from './tally-feature.js';
import type { Feature } from '../../src/app/types.js';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const redis = createAppRedis(config);
const mongo = await connectMongo(config.MONGODB_URI);
// Out-of-band delivery is not what most of these tests look at; TEST_DELIVERY=bullmq gives the
// process the real queue and its delivery worker (operators' answers to citizens).
const realDelivery = process.env.TEST_DELIVERY === 'bullmq' ? createDeliveryQueue({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX, cipher: createDataCipher(config.DATA_KEY) }) : undefined;
const delivery: DeliveryQueue = realDelivery ?? { enqueue: async () => undefined, cancel: async () => undefined };
// A poison update: pressing `poison` kills whichever process handles it, every time, before it
// can record anything (issue 9: retry counts must survive the process).
const poisonFeature: Feature = {
  id: 'poison',
  callbacks: [
    {
      prefix: 'poison',
      run: async () => {
        process.kill(process.pid, 'SIGKILL');
        await new Promise(() => undefined);
      },
    },
  ],
};
const bot = await createBot(config, { redis, mongo, logger, delivery, features: [...FEATURES, tallyFeature, poisonFeature] });
await bot.init();
if (realDelivery) startBotDeliveryWorker({ config, redis, services: bot.services, i18n: bot.i18n, api: bot.runtime.api, logger });
// Runs last in every repair tick and says so: a test waits for ticks to have run instead of
// pausing for as long as a few of them take.
const tickReport: Feature = {
  id: 'tick-report',
  repairs: [{ name: 'report', run: async () => (process.stdout.write('REPAIR TICK DONE\n'), 0) }],
};
// As in main.ts: what a stopped process left undone, at start and on an interval
// (TEST_REPAIR_TICK_MS, a minute by default as in production).
const repairs = startRepairTick([...FEATURES, tickReport], bot.deps, Number(process.env.TEST_REPAIR_TICK_MS ?? 60_000));

if (config.BOT_MODE === 'webhook') {
  const server = createHttpServer({
    port: config.HTTP_PORT,
    logger,
    health: [],
    webhook: { path: '/webhook', secret: config.WEBHOOK_SECRET!, runtime: bot.runtime },
  });
  await new Promise<void>((resolve) => server.listen(config.HTTP_PORT, '127.0.0.1', resolve));
} else {
  await bot.runtime.startPolling();
}
process.stdout.write('READY\n');

process.on('SIGTERM', () => {
  void (async () => {
    await repairs.stop();
    await bot.runtime.stop();
    await bot.pipeline.idle();
    await mongo.close();
    redis.disconnect();
    process.exit(0);
  })();
});
