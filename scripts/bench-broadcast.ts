// Broadcast benchmark: N recipients at DELIVERY_RATE R through the real BullMQ queue and the real
// worker (a child process, SIGKILLed half-way and started again), against a local Bot API that
// answers 429 above the per-second limit and 403 for 2% of chats.
//   npm run bench:broadcast -- --recipients 2000 --rate 100
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startFerret, startRedis, repoRoot } from '../test/support/service-processes.js';
import { startBotApiServer } from '../src/platform/bot-api/index.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectMongo } from '../src/db/connect.js';
import { createDataCipher } from '../src/security/crypto.js';
import { createI18n } from '../src/i18n/index.js';
import { createServices } from '../src/services/index.js';
import { createDeliveryQueue } from '../src/delivery/bullmq-queue.js';
import { DELIVERY_QUEUE_NAME } from '../src/delivery/keys.js';
import { defaultConcurrency } from '../src/delivery/delivery-worker.js';
import { userModel } from '../src/db/models/user.js';
import { broadcastModel } from '../src/features/broadcast/broadcast.model.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? undefined : Number(process.argv[i + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

const N = Math.floor(flag('recipients', 10_000));
const RATE = flag('rate', 25);
// Telegram's ~30/s against the default 25/s; scaled the same way for other rates.
const LIMIT_429 = Math.max(30, Math.round((RATE * 30) / 25));
const FIRST_CHAT = 100_000;
const STAFF_CHAT = 42;
const LOCK_MS = 5000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const chats = Array.from({ length: N }, (_, i) => FIRST_CHAT + i);
const blocked = new Set(chats.filter((_, i) => i % 50 === 7)); // 2%
const inSecondAudience = (i: number) => i % 10 === 7; // holds every blocked chat, and others

async function main(): Promise<void> {
  console.log(`bench:broadcast — recipients ${N}, DELIVERY_RATE ${RATE}/s, fake API 429 above ${LIMIT_429}/s, 403 for ${blocked.size} chats (2%)`);
  const [redis, ferret] = await Promise.all([startRedis(), startFerret()]);
  const api = await startBotApiServer({ rateLimitPerSecond: LIMIT_429, blockedChats: blocked, recordCalls: true });
  const env: Record<string, string> = {
    BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    REDIS_URL: redis.url,
    MONGODB_URI: `${ferret.url}komek_bench`,
    DATA_KEY: 'b'.repeat(64),
    REDIS_PREFIX: 'bench',
    DELIVERY_RATE: String(RATE),
    LOG_LEVEL: 'error',
    DELIVERY_LOCK_MS: String(LOCK_MS),
    // The broadcasts are written by user 1, an administrator: allowed to send on every job.
    ADMIN_IDS: '1',
  };
  const config = loadConfig(env);
  const logger = createLogger('error');
  const mongo = await connectMongo(config.MONGODB_URI);
  const users = userModel(mongo);
  await users.init();
  for (let i = 0; i < N; i += 1000) {
    await users.insertMany(
      chats.slice(i, i + 1000).map((chat, j) => ({
        telegramId: chat,
        chatId: chat,
        locale: (['kk', 'ru', 'en'] as const)[(i + j) % 3],
        region: inSecondAudience(i + j) ? 'abai' : 'almaty-city',
      })),
    );
  }
  const queue = createDeliveryQueue({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX, cipher: createDataCipher(config.DATA_KEY) });
  const accessRedis = new Redis(config.REDIS_URL);
  const services = createServices({
    connection: mongo,
    redis: accessRedis,
    cipher: createDataCipher(config.DATA_KEY),
    config,
    i18n: await createI18n(),
    delivery: queue,
    logger,
    now: () => new Date(),
  });
  const bull = new Queue(DELIVERY_QUEUE_NAME, { prefix: config.REDIS_PREFIX, connection: { url: config.REDIS_URL } });

  let child: ChildProcess | undefined;
  const startWorker = () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot(), 'scripts/bench-broadcast-worker.ts')], {
      cwd: repoRoot(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  };
  const broadcastSends = () => api.callsOf('sendMessage').filter((c) => Number(c.payload.chat_id) >= FIRST_CHAT);
  const pending = async () => {
    const c = await bull.getJobCounts('wait', 'active', 'delayed', 'prioritized');
    return Object.values(c).reduce((a, b) => a + b, 0);
  };

  // ---- first broadcast, with a SIGKILL half-way
  const tEnqueue = Date.now();
  const first = await services.broadcasts.create({
    createdBy: 1, staffChatId: STAFF_CHAT, staffLocale: 'en',
    texts: { kk: 'Хабарландыру', ru: 'Объявление', en: 'Announcement' }, fallback: 'kk', audience: { group: 'all' },
  });
  console.log(`enqueued ${first.total} jobs in ${Date.now() - tEnqueue} ms`);
  startWorker();
  while (api.counts.sent + api.counts.rejected403 < N / 2) await sleep(50);
  const sentAtKill = broadcastSends().length;
  child!.kill('SIGKILL');
  const killedAt = Date.now();
  console.log(`SIGKILL after ${sentAtKill} send requests; restarting the worker`);
  await new Promise((resolve) => child!.once('exit', resolve));
  startWorker();
  const deadline = Date.now() + (N / RATE) * 3000 + 120_000;
  for (;;) {
    const delivered = chats.every((chat) => blocked.has(chat) || (api.sentByChat.get(chat) ?? 0) > 0);
    if (delivered && (await pending()) === 0) break;
    if (Date.now() > deadline) {
      console.log('gave up waiting');
      break;
    }
    await sleep(200);
  }
  let doc = await broadcastModel(mongo).findById(first.id).lean();
  for (let i = 0; i < 100 && doc?.status !== 'done'; i++) {
    await sleep(200);
    doc = await broadcastModel(mongo).findById(first.id).lean();
  }

  const sends = broadcastSends();
  const accepted = sends.length - api.counts.rejected429 - api.counts.rejected403;
  const t = sends.map((c) => c.at);
  const firstAt = t[0]!;
  const lastAt = t[t.length - 1]!;
  const resumedAt = t.find((at) => at > killedAt) ?? lastAt;
  // Time with a worker running: the restart gap (process start) is not the limiter's doing.
  const runningMs = lastAt - firstAt - (resumedAt - killedAt);
  const steadyRate = (sends.length / Math.max(1, runningMs)) * 1000;
  const overallRate = (sends.length / Math.max(1, lastAt - firstAt)) * 1000;
  const missing = chats.filter((c) => !blocked.has(c) && (api.sentByChat.get(c) ?? 0) === 0).length;
  const duplicates = [...api.sentByChat.entries()].filter(([c]) => c >= FIRST_CHAT).reduce((a, [, n]) => a + Math.max(0, n - 1), 0);
  const inFlightLimit = defaultConcurrency(RATE);
  const marked = await users.countDocuments({ blocked: true });

  // ---- second broadcast: those who blocked the bot must not be tried again
  const before = new Map([...blocked].map((c) => [c, api.callsOf('sendMessage', c).length]));
  const second = await services.broadcasts.create({
    createdBy: 1, staffChatId: STAFF_CHAT, staffLocale: 'en', texts: { en: 'Second' }, fallback: 'en', audience: { group: 'all', region: 'abai' },
  });
  const blockedInRegion = chats.filter((c, i) => inSecondAudience(i) && blocked.has(c)).length;
  const secondEnd = Date.now() + (second.total / RATE) * 3000 + 60_000;
  // The worker's fan-out job queues the second audience: wait for the broadcast, not the queue.
  const secondDone = async () => (await broadcastModel(mongo).findById(second.id).lean())?.status === 'done';
  while (!(await secondDone()) && Date.now() < secondEnd) await sleep(200);
  await sleep(500);
  const retried = [...blocked].filter((c) => api.callsOf('sendMessage', c).length > before.get(c)!).length;
  const secondDoc = await broadcastModel(mongo).findById(second.id).lean();

  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  console.log('\n=== results ===');
  console.log(`parameters:           recipients ${N}, rate ${RATE}/s, in-flight limit (worker concurrency) ${inFlightLimit}`);
  console.log(`send requests:        ${sends.length} (accepted ${accepted}, 429 ${api.counts.rejected429}, 403 ${api.counts.rejected403})`);
  console.log(`achieved rate:        ${steadyRate.toFixed(1)}/s while a worker ran = ${(steadyRate / RATE).toFixed(2)} of configured (target >= 0.98); ${overallRate.toFixed(1)}/s including the restart gap of ${((resumedAt - killedAt) / 1000).toFixed(1)} s`);
  console.log(`429 answers:          ${api.counts.rejected429} = ${pct(api.counts.rejected429 / Math.max(1, sends.length))} of sends (target <= 1%)`);
  console.log(`recipients missing:   ${missing} (target 0)`);
  console.log(`duplicates:           ${duplicates} (target <= ${inFlightLimit}, the in-flight limit)`);
  console.log(`blocked marked:       ${marked} of ${blocked.size} users who blocked the bot`);
  console.log(`broadcast record:     status ${doc?.status}, sent ${doc?.sent}, blocked ${doc?.blocked}, failed ${doc?.failed}, skipped ${doc?.skipped}, total ${doc?.total}`);
  console.log(`second broadcast:     ${second.total} recipients (${blockedInRegion} blocked users in its region left out); blocked users tried again: ${retried} → skipped ${pct(blockedInRegion === 0 ? 1 : 1 - retried / blockedInRegion)} (target 100%); status ${secondDoc?.status}, sent ${secondDoc?.sent}`);

  child?.kill('SIGTERM');
  await new Promise((resolve) => (child && child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  await bull.close();
  await queue.close();
  accessRedis.disconnect();
  await mongo.close();
  await api.stop();
  await Promise.all([redis.stop(), ferret.stop()]);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
