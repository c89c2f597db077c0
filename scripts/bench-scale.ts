// npm run bench:scale — Komek at country scale, at each size in BENCH_SIZES (default 2000,20000;
// the full run: BENCH_SIZES=2000,20000,200000). For each size it seeds that many users (a third
// of them volunteers, all three languages, every region) into a fresh database and prints:
//   - time and peak RSS growth to count and to queue the whole audience (the broadcast fan-out);
//   - sustained delivery at BENCH_RATE (1,000/s, paid broadcasts) for BENCH_SECONDS (60) against a
//     local Bot API: achieved/configured, 429 share, missing, duplicates;
//   - mission matching p50/p99 over 100 missions, with the query plan, and after a change (the
//     list built again), with the start-up tasks that build the lists (scripts/bench-match.ts);
//   - the mixed update workload over the webhook (start, language, menu, rehab search, cancel;
//     32 in flight): updates/s and p50/p99 latency, compared with the smallest size.
// The database is FerretDB on PostgreSQL unless FERRETDB_BACKEND=sqlite (or MONGODB_URI is set).
// BENCH_PARTS=matching seeds and measures mission matching only; BENCH_PARTS=enqueue (or any list of
// enqueue, delivery, matching, workload) runs only those parts after seeding.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { loadConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectMongo } from '../src/db/connect.js';
import { createBot } from '../src/app/create-bot.js';
import { createHttpServer } from '../src/telegram/http-server.js';
import { createDeliveryQueue } from '../src/delivery/bullmq-queue.js';
import { createDataCipher } from '../src/security/crypto.js';
import { startBotDeliveryWorker } from '../src/delivery/bot-worker.js';
import { broadcastJobId } from '../src/features/broadcast/broadcast-enqueue.js';
import { MATCH_KEYS_VERSION, volunteerMatchKeys } from '../src/features/volunteer/match-keys.js';
import { userModel } from '../src/db/models/user.js';
import { audienceBucket } from '../src/db/models/audience-bucket.js';
import { volunteerModel } from '../src/features/volunteer/volunteer.model.js';
import { broadcastModel } from '../src/features/broadcast/broadcast.model.js';
import { REGION_KEYS } from '../src/domain/regions.js';
import { AVAILABILITY, SKILLS, VOLUNTEER_AREAS } from '../src/features/volunteer/volunteer-options.js';
import { benchMatching, type MatchFigures } from './bench-match.js';
import { startBotApiServer, type BotApiServer, type Update } from '../src/platform/bot-api/index.js';
import { freePort, repoRoot, startFerret, startRedis, type ServiceProcess } from '../test/support/service-processes.js';

const SIZES = (process.env.BENCH_SIZES ?? process.env.BENCH_USERS ?? '2000,20000').split(',').map(Number).filter((n) => n > 0);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WORKLOAD_CHATS = Number(process.env.BENCH_CHATS ?? 500);
/** Which parts run after the fan-out (default all): BENCH_PARTS=enqueue times only counting and queueing. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'enqueue,delivery,matching,workload').split(','));
const CONCURRENCY = 32;
/** One key for this process and the worker it starts (the worker reads the same records). */
const DATA_KEY_HEX = randomBytes(32).toString('hex');
/** BENCH_PARTS=matching seeds and measures mission matching only (see matchOnly). */
const MATCH_ONLY = process.env.BENCH_PARTS === 'matching';
const WORKER_MODE = process.env.BENCH_WORKER === 'inline' ? 'inline' : 'process';
const SECRET = 'bench-secret-0123456789abcdef';
const FIRST = 1_000_000;
const LOCALES = ['kk', 'ru', 'en'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Samples this process's RSS every 20 ms while `work` runs; returns the growth of the peak, and
 * the growth of the heap after a full GC (what is still held afterwards; needs --expose-gc).
 */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; growth: number; heapAfterGc: number }> {
  global.gc?.();
  const baseHeap = process.memoryUsage().heapUsed;
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  global.gc?.();
  return { result, ms, growth: peak - base, heapAfterGc: process.memoryUsage().heapUsed - baseHeap };
}

async function seed(mongo: Connection, n: number): Promise<void> {
  const users = userModel(mongo);
  const volunteers = volunteerModel(mongo);
  await Promise.all([users.init(), volunteers.init()]);
  const page = 2000;
  for (let i = 0; i < n; i += page) {
    const ids = Array.from({ length: Math.min(page, n - i) }, (_, k) => i + k);
    await users.insertMany(
      ids.map((k) => ({
        telegramId: FIRST + k,
        chatId: FIRST + k,
        // Lean inserts skip the schema's defaults: the audience bucket is written here.
        bucket: audienceBucket(FIRST + k),
        locale: LOCALES[k % 3],
        region: REGION_KEYS[k % REGION_KEYS.length],
        ...(k % 3 === 1 ? { volunteer: true } : {}),
        ...(k % 50 === 0 ? { announcements: false } : {}),
      })),
      { lean: true },
    );
    await volunteers.insertMany(
      ids
        .filter((k) => k % 3 === 1)
        .map((k) => ({
          userId: FIRST + k,
          chatId: FIRST + k,
          locale: LOCALES[k % 3],
          fullName: 'Bench Volunteer',
          age: 14 + (k % 50),
          phoneEnc: 'x',
          phoneHash: `h${k}`,
          region: REGION_KEYS[k % REGION_KEYS.length]!,
          areas: [VOLUNTEER_AREAS[k % VOLUNTEER_AREAS.length]!, VOLUNTEER_AREAS[(k * 7) % VOLUNTEER_AREAS.length]!],
          availability: [AVAILABILITY[k % 3]!, AVAILABILITY[(k + 1) % 3]!],
          skills: k % 4 === 0 ? [SKILLS[k % SKILLS.length]] : [],
          consentAt: new Date(),
        }))
        // Inserted as lean documents, so the keys the service keeps are written here too.
        .map((v) => ({ ...v, matchKeys: volunteerMatchKeys(v), matchKeysVersion: MATCH_KEYS_VERSION })),
      { lean: true },
    );
  }
}

interface Figures {
  size: number;
  seedMs: number;
  countMs: number;
  counted: number;
  enqueueMs: number;
  enqueued: number;
  enqueueRss: number;
  enqueueHeapAfterGc: number;
  delivery?: { ratio: number; achieved: number; share429: number; missing: number; duplicates: number; sent: number; limit: number; cutOff: boolean };
  match: MatchFigures;
  workload: { rate: number; p50: number; p99: number; updates: number };
}

/**
 * The delivery worker, by default in its own process exactly as `npm run worker` runs it
 * (BENCH_WORKER=process), as production runs it beside the bot; BENCH_WORKER=inline runs it in
 * this process, beside the local Bot API and the load generator, which then share one core.
 */
async function startWorker(config: Config): Promise<{ close(): Promise<void> }> {
  if (WORKER_MODE === 'inline') {
    const redis = new Redis(config.REDIS_URL);
    const mongo = await connectMongo(config.MONGODB_URI);
    const logger = createLogger('silent');
    const bot = await createBot(config, { redis, mongo, logger, delivery: createDeliveryQueue({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX, cipher: createDataCipher(config.DATA_KEY) }) });
    const worker = startBotDeliveryWorker({ config, redis, services: bot.services, i18n: bot.i18n, api: bot.runtime.api, logger });
    return {
      async close() {
        await worker.close();
        await mongo.close();
        redis.disconnect();
      },
    };
  }
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    BOT_TOKEN: config.BOT_TOKEN, TELEGRAM_API_ROOT: config.TELEGRAM_API_ROOT, REDIS_URL: config.REDIS_URL, MONGODB_URI: config.MONGODB_URI,
    DATA_KEY: DATA_KEY_HEX, REDIS_PREFIX: config.REDIS_PREFIX, LOG_LEVEL: 'error', PAID_BROADCASTS: 'true',
    PAID_BROADCAST_RATE: String(RATE), ADMIN_IDS: '1', HTTP_PORT: String(await freePort()), HTTP_HOST: '127.0.0.1',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot(), 'scripts/bench-broadcast-worker.ts')], { cwd: repoRoot(), env, stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function runSize(size: number, redisUrl: string, mongoBase: string): Promise<Figures> {
  const api = await startBotApiServer({ recordCalls: false, rateLimitPerSecond: Math.round(RATE * 1.2), notModifiedErrors: false });
  const prefix = `bs-${randomBytes(3).toString('hex')}`;
  const config: Config = loadConfig({
    ...process.env,
    BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    REDIS_URL: redisUrl,
    MONGODB_URI: mongoBase.replace(/\/?(\?|$)/, `/komek_scale_${size}$1`),
    DATA_KEY: DATA_KEY_HEX,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    PAID_BROADCASTS: 'true',
    PAID_BROADCAST_RATE: String(RATE),
    SAMPLE_CENTRES: 'false',
    // The broadcasts below are written by user 1: an administrator, whose right to send is
    // checked on every job without a look-up (a staff member's costs one Redis read per job).
    ADMIN_IDS: '1',
  });
  const logger = createLogger('silent');
  const mongo = await connectMongo(config.MONGODB_URI);
  await mongo.dropDatabase();
  const redis = new Redis(redisUrl);
  const queue = createDeliveryQueue({ redisUrl, prefix, cipher: createDataCipher(config.DATA_KEY) });
  const bot = await createBot(config, { redis, mongo, logger, delivery: queue });
  await bot.init();

  const t0 = performance.now();
  await seed(mongo, size);
  const seedMs = performance.now() - t0;
  console.log(`  [${size}] seeded ${size} users and ${Math.round(size / 3)} volunteers in ${(seedMs / 1000).toFixed(1)} s`);

  // ---- count and queue the whole audience (the fan-out job's work, run here to time it)
  const audience = { group: 'all' as const };
  const counted = await withPeakRss(() => bot.services.broadcasts.countAudience(audience));
  const { id } = await bot.services.broadcasts.create({
    createdBy: 1, staffChatId: 42, staffLocale: 'en', texts: { kk: 'Хабарландыру', ru: 'Объявление', en: 'Announcement' }, fallback: 'kk', audience,
    sendAt: new Date(Date.now() + 3600_000), // scheduled: queued now, sent later (nothing is sent here)
  });
  // create() handed the queueing to a fan-out job; no worker runs yet, so run it here, timed.
  const enq = await withPeakRss(() => bot.services.broadcasts.runFanOut(id));
  const doc = await broadcastModel(mongo).findById(id).lean();
  console.log(`  [${size}] counted ${counted.result} in ${counted.ms.toFixed(0)} ms; queued ${doc?.enqueue?.count} in ${(enq.ms / 1000).toFixed(1)} s, peak RSS +${mb(enq.growth)}`);
  await bot.services.broadcasts.cancel(id, 1);
  const bull = (await import('bullmq')).Queue;
  const raw = new bull('delivery', { prefix, connection: { url: redisUrl } });
  await raw.obliterate({ force: true });

  // ---- sustained delivery at RATE for SECONDS (broadcast jobs, real guards, real worker)
  let delivery: Figures['delivery'];
  const target = Math.min(size, Math.round(RATE * SECONDS));
  if (PARTS.has('delivery')) {
    const now = new Date();
    const b = await broadcastModel(mongo).create({
      createdBy: 1, staffChatId: 42, staffLocale: 'en', texts: { en: 'Delivery test' }, fallback: 'en', audience: { group: 'all' },
      sendAt: now, status: 'sending', total: target, enqueue: { done: true, count: target, at: now }, startedAt: now,
    });
    const bid = String(b._id);
    const users = await userModel(mongo).find({ announcements: { $ne: false } }, { _id: 1, chatId: 1 }).sort({ _id: 1 }).limit(target).lean<Array<{ _id: unknown; chatId: number }>>();
    await broadcastModel(mongo).updateOne({ _id: b._id }, { $set: { total: users.length, 'enqueue.count': users.length } });
    for (let i = 0; i < users.length; i += 1000) {
      await queue.enqueue(users.slice(i, i + 1000).map((u) => ({ id: broadcastJobId(bid, u.chatId), chatId: u.chatId, kind: 'broadcast' as const, text: 'Delivery test', broadcastId: bid, recipientRef: String(u._id) })));
    }
    api.counts.sent = 0;
    api.counts.rejected429 = 0;
    const started = Date.now();
    const worker = await startWorker(config);
    const deadline = started + SECONDS * 1000 * 4 + 60_000;
    // Sustained: from the first message to the last, without the worker's start-up.
    let firstAt = 0;
    while (api.counts.sent < users.length && Date.now() < deadline) {
      await sleep(20);
      if (!firstAt && api.counts.sent > 0) firstAt = Date.now();
    }
    const elapsed = (Date.now() - (firstAt || started)) / 1000;
    const startUp = ((firstAt || Date.now()) - started) / 1000;
    await worker.close();
    const mine = users.map((u) => api.sentByChat.get(u.chatId) ?? 0);
    const achieved = api.counts.sent / elapsed;
    delivery = {
      ratio: achieved / RATE,
      achieved,
      share429: api.counts.rejected429 / Math.max(1, api.counts.sent + api.counts.rejected429),
      missing: mine.filter((n) => n === 0).length,
      duplicates: mine.reduce((a, n) => a + Math.max(0, n - 1), 0),
      sent: api.counts.sent,
      limit: Math.round(RATE * 1.2),
      // The run stops at its deadline; what had not gone out by then was still queued, not lost.
      cutOff: api.counts.sent < users.length,
    };
    console.log(`  [${size}] delivered ${api.counts.sent} of ${users.length} in ${elapsed.toFixed(1)} s after a ${startUp.toFixed(1)} s start-up = ${achieved.toFixed(0)}/s (${delivery.ratio.toFixed(2)} of ${RATE}/s; worker ${WORKER_MODE === 'process' ? 'in its own process' : 'in this process'})`);
    await raw.obliterate({ force: true });
  }
  await raw.close();

  // ---- mission matching: the start-up tasks that build the match lists, then 100 missions
  const match = await benchMatching(mongo, bot.services);
  logMatching(size, match);

  // ---- mixed update workload over the webhook
  let workload: Figures['workload'] = { rate: 0, p50: 0, p99: 0, updates: 0 };
  if (PARTS.has('workload')) {
    const port = await freePort();
    const server = createHttpServer({ port, logger, health: [], webhook: { path: '/webhook', secret: SECRET, runtime: bot.runtime } });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    workload = await mixedWorkload(api, `http://127.0.0.1:${port}/webhook`, size);
    console.log(`  [${size}] mixed workload ${workload.rate.toFixed(0)} upd/s, p50 ${workload.p50.toFixed(0)} ms, p99 ${workload.p99.toFixed(0)} ms`);
    server.close();
  }

  await queue.close();
  await mongo.dropDatabase();
  await mongo.close();
  redis.disconnect();
  await api.stop();
  return { size, seedMs, countMs: counted.ms, counted: counted.result, enqueueMs: enq.ms, enqueued: doc?.enqueue?.count ?? 0, enqueueRss: enq.growth, enqueueHeapAfterGc: enq.heapAfterGc, delivery, match, workload };
}

function logMatching(size: number, m: MatchFigures): void {
  console.log(`  [${size}] start-up tasks (match lists) ${(m.startUpMs / 1000).toFixed(1)} s; matching p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms (${m.avgFound.toFixed(0)} volunteers per mission); after a change p50 ${m.afterChange.p50.toFixed(1)} ms, p99 ${m.afterChange.p99.toFixed(1)} ms; list built again p50 ${m.rebuild.p50.toFixed(1)} ms, p99 ${m.rebuild.p99.toFixed(1)} ms`);
}

function printMatching(m: MatchFigures): void {
  console.log(`  mission matching:  p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms over 100 missions (target p99 <= 200 ms), ${m.avgFound.toFixed(0)} volunteers per mission`);
  console.log(`  plan:              ${m.plan}`);
  console.log(`  a volunteer's change (numbers taken): p50 ${m.change.p50.toFixed(1)} ms, p99 ${m.change.p99.toFixed(1)} ms; the next mission of its key p50 ${m.afterChange.p50.toFixed(1)} ms, p99 ${m.afterChange.p99.toFixed(1)} ms (${m.afterChange.missions} missions)`);
  console.log(`  list not there:    p50 ${m.rebuild.p50.toFixed(1)} ms, p99 ${m.rebuild.p99.toFixed(1)} ms over ${m.rebuild.missions} missions (built again from the volunteer records)`);
  console.log(`  its plan:          ${m.rebuildPlan}`);
  console.log(`  start-up tasks:    ${(m.startUpMs / 1000).toFixed(1)} s, ${m.lists} match list records written`);
}

/** BENCH_PARTS=matching: seeding and mission matching only, for work on matching. */
async function matchOnly(size: number, redisUrl: string, mongoBase: string): Promise<Figures> {
  const config: Config = loadConfig({
    ...process.env, BOT_TOKEN: '123456:bench-matching-only-token', REDIS_URL: redisUrl, MONGODB_URI: mongoBase.replace(/\/?(\?|$)/, `/komek_match_${size}$1`),
    DATA_KEY: DATA_KEY_HEX, REDIS_PREFIX: `bm-${randomBytes(3).toString('hex')}`, LOG_LEVEL: 'silent', SAMPLE_CENTRES: 'false',
  });
  const mongo = await connectMongo(config.MONGODB_URI);
  await mongo.dropDatabase();
  const redis = new Redis(redisUrl);
  const queue = createDeliveryQueue({ redisUrl, prefix: config.REDIS_PREFIX, cipher: createDataCipher(config.DATA_KEY) });
  const bot = await createBot(config, { redis, mongo, logger: createLogger('silent'), delivery: queue });
  const t0 = performance.now();
  await seed(mongo, size);
  const seedMs = performance.now() - t0;
  console.log(`  [${size}] seeded ${size} users and ${Math.round(size / 3)} volunteers in ${(seedMs / 1000).toFixed(1)} s`);
  const match = await benchMatching(mongo, bot.services);
  logMatching(size, match);
  await queue.close();
  await mongo.dropDatabase();
  await mongo.close();
  redis.disconnect();
  return { size, seedMs, countMs: 0, counted: 0, enqueueMs: 0, enqueued: 0, enqueueRss: 0, enqueueHeapAfterGc: 0, match, workload: { rate: 0, p50: 0, p99: 0, updates: 0 } };
}

/**
 * Per chat: /start, a language, /menu, the rehab search (menu item 1, then region 1), /cancel.
 * Half the chats are users from the end of the seeded collection (joined late), half are new.
 */
async function mixedWorkload(api: BotApiServer, url: string, size: number): Promise<Figures['workload']> {
  const chats = Array.from({ length: WORKLOAD_CHATS }, (_, i) => (i % 2 === 0 ? FIRST + size - 1 - i : 50_000_000 + size + i));
  const script = (chat: number, i: number): Update[] => [
    api.command(chat, 'start', undefined, { enqueue: false, languageCode: 'en' }),
    api.callback(chat, `lang:${LOCALES[i % 3]}`, undefined, { enqueue: false }),
    api.command(chat, 'menu', undefined, { enqueue: false }),
    api.text(chat, '1', { enqueue: false }),
    api.text(chat, '1', { enqueue: false }),
    api.command(chat, 'cancel', undefined, { enqueue: false }),
  ];
  // Rounds keep each chat's updates in order (as Telegram does) while 32 are in flight overall.
  const rounds = chats.map(script);
  const latencies: number[] = [];
  const started = performance.now();
  for (let step = 0; step < rounds[0]!.length; step++) {
    let next = 0;
    const worker = async () => {
      while (next < rounds.length) {
        const update = rounds[next++]![step]!;
        const s = performance.now();
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
        latencies.push(performance.now() - s);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
  const seconds = (performance.now() - started) / 1000;
  return { rate: latencies.length / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), updates: latencies.length };
}

async function main(): Promise<void> {
  const started: ServiceProcess[] = [];
  const redisUrl = process.env.REDIS_URL ?? (started[started.length] = await startRedis()).url;
  const ferret = process.env.MONGODB_URI ? undefined : await startFerret();
  if (ferret) started.push(ferret);
  const mongoBase = process.env.MONGODB_URI ?? ferret!.url;
  console.log(`bench:scale — sizes ${SIZES.join(', ')}; database ${ferret ? `FerretDB on ${ferret.backend}` : mongoBase}; delivery ${RATE}/s for up to ${SECONDS} s; ${WORKLOAD_CHATS} chats in the mixed workload`);
  console.log('  (2 CPU cores shared with the other processes on this machine: figures are what it had to spare)');
  const all: Figures[] = [];
  for (const size of SIZES) all.push(await (MATCH_ONLY ? matchOnly : runSize)(size, redisUrl, mongoBase));

  console.log('\n=== results ===');
  const base = all[0]!;
  for (const f of all) {
    console.log(`\n${f.size} users (seeded in ${(f.seedMs / 1000).toFixed(1)} s):`);
    if (MATCH_ONLY) {
      printMatching(f.match);
      continue;
    }
    console.log(`  count audience:    ${f.counted} in ${f.countMs.toFixed(0)} ms`);
    console.log(`  enqueue audience:  ${f.enqueued} jobs in ${(f.enqueueMs / 1000).toFixed(1)} s (${((f.enqueued / f.enqueueMs) * 1000).toFixed(0)}/s), peak RSS growth ${mb(f.enqueueRss)}, heap after GC ${mb(f.enqueueHeapAfterGc)} (targets at 200,000: <= 60 s, <= 150 MB)`);
    if (f.delivery) {
      const d = f.delivery;
      console.log(`  delivery:          ${d.sent} sent, ${d.achieved.toFixed(0)}/s = ${d.ratio.toFixed(2)} of ${RATE}/s configured (target >= 0.98); 429 ${(d.share429 * 100).toFixed(2)}% (local API limit ${d.limit}/s); ${d.cutOff ? `not yet sent when the run stopped at its deadline (still queued) ${d.missing}` : `missing ${d.missing}`}; duplicates ${d.duplicates}`);
    }
    printMatching(f.match);
    const vs = f === base ? '' : ` = ${(f.workload.rate / base.workload.rate).toFixed(2)} of the ${base.size}-user rate (target >= 0.80)`;
    console.log(`  mixed workload:    ${f.workload.updates} updates, ${f.workload.rate.toFixed(0)} upd/s, p50 ${f.workload.p50.toFixed(0)} ms, p99 ${f.workload.p99.toFixed(0)} ms${vs}`);
  }
  for (const s of started) await s.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
