// npm run bench:parts — each part of queueing and delivering a broadcast measured alone, so the
// part that bounds bench:scale is visible: reading the audience from the database, queueing it in
// Redis, one user-record query per message (what the send-time check used to cost), one message
// to the local Bot API, and BullMQ moving empty jobs with and without its window limiter.
// BENCH_USERS (default 20000) users are seeded into a throwaway FerretDB.
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { connectMongo } from '../src/db/connect.js';
import { userModel } from '../src/db/models/user.js';
import { audienceBucket } from '../src/db/models/audience-bucket.js';
import { createDeliveryQueue } from '../src/delivery/bullmq-queue.js';
import { DELIVERY_QUEUE_NAME } from '../src/delivery/keys.js';
import { audienceFilter, recipientPages } from '../src/features/broadcast/broadcast-enqueue.js';
import { REGION_KEYS } from '../src/domain/regions.js';
import { grammyBot, grammyCaller } from '../src/telegram/grammy-runtime.js';
import { startBotApiServer } from '../src/platform/bot-api/index.js';
import { startFerret, startRedis } from '../test/support/service-processes.js';
import { createDataCipher } from '../src/security/crypto.js';

/** Job texts are sealed as in production; the key only has to be the same for queue and worker. */
const cipher = createDataCipher(randomBytes(32));

const N = Number(process.env.BENCH_USERS ?? 20_000);
const JOBS = 10_000;
const LOCALES = ['kk', 'ru', 'en'] as const;
const TEXT = 'An announcement of a usual length: a sentence or two to everyone who wants them.';

async function timed<T>(name: string, count: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  console.log(`  ${name.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms${count ? `  ${((count / ms) * 1000).toFixed(0).padStart(6)}/s` : ''}`);
  return result;
}

/** Runs `work` for indexes 0..count-1 with `inFlight` at a time. */
async function inParallel(count: number, inFlight: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < count) await work(next++);
  }));
}

async function drain(redisUrl: string, prefix: string, limiter?: { max: number; duration: number }): Promise<void> {
  let done = 0;
  await new Promise<void>((resolve) => {
    const worker = new Worker(DELIVERY_QUEUE_NAME, async () => {
      if (++done === JOBS) {
        void worker.close();
        resolve();
      }
    }, { prefix, connection: { url: redisUrl, maxRetriesPerRequest: null }, concurrency: 100, ...(limiter ? { limiter } : {}) });
  });
}

/**
 * What sealing each text and indexing it by chat (for "delete my data") costs when queueing
 * messages that carry their text (notices, invitations, answers), against the same jobs handed to
 * BullMQ's addBulk as they are: the peer, in the same run, on the same Redis.
 */
async function noticesAgainstPlainBullmq(redisUrl: string): Promise<void> {
  const notices = (from: number) => Array.from({ length: 1000 }, (_, j) => ({ id: `n-${from + j}`, chatId: from + j + 1, kind: 'mission-invite' as const, text: TEXT }));
  const plain = new Queue(DELIVERY_QUEUE_NAME, { prefix: `parts-${randomBytes(3).toString('hex')}`, connection: { url: redisUrl } });
  const komek = createDeliveryQueue({ redisUrl, prefix: `parts-${randomBytes(3).toString('hex')}`, cipher });
  const peerMs = await timed('queue 10,000 notices with their text: BullMQ addBulk as they are', JOBS, async () => {
    const started = performance.now();
    for (let i = 0; i < JOBS; i += 1000) await plain.addBulk(notices(i).map((job) => ({ name: job.kind, data: job, opts: { jobId: job.id } })));
    return performance.now() - started;
  });
  const oursMs = await timed('queue 10,000 notices: sealed and indexed by chat (enqueue)', JOBS, async () => {
    const started = performance.now();
    for (let i = 0; i < JOBS; i += 1000) await komek.enqueue(notices(i));
    return performance.now() - started;
  });
  console.log(`  sealed and indexed / plain addBulk: ${(oursMs / peerMs).toFixed(2)}× the time`);
  await plain.obliterate({ force: true });
  await plain.close();
  await komek.close();
}

async function main(): Promise<void> {
  const [redis, ferret] = await Promise.all([startRedis(), startFerret()]);
  const mongo = await connectMongo(ferret.url.replace(/\/?(\?|$)/, '/komek_parts$1'));
  const users = userModel(mongo);
  await users.init();
  const api = await startBotApiServer({ recordCalls: false, notModifiedErrors: false });
  console.log(`bench:parts — ${N} users on FerretDB on ${ferret.backend}; load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)} on this machine`);

  await timed(`seed ${N} users`, N, async () => {
    for (let i = 0; i < N; i += 2000) {
      await users.insertMany(Array.from({ length: Math.min(2000, N - i) }, (_, j) => {
        const k = i + j;
        // Lean inserts skip the schema's defaults: the audience bucket is written here.
        return { telegramId: 1e6 + k, chatId: 1e6 + k, bucket: audienceBucket(1e6 + k), locale: LOCALES[k % 3], region: REGION_KEYS[k % REGION_KEYS.length], ...(k % 50 === 0 ? { announcements: false } : {}) };
      }), { lean: true });
    }
  });
  await timed('count the audience (countDocuments)', 0, () => users.countDocuments(audienceFilter({ group: 'all' })));
  const all: Array<{ chatId: number }> = [];
  await timed('read the audience a bucket at a time (the fan-out cursor)', N, async () => {
    for await (const page of recipientPages(users, { group: 'all' })) all.push(...page.recipients);
  });
  const queue = createDeliveryQueue({ redisUrl: redis.url, prefix: `parts-${randomBytes(3).toString('hex')}`, cipher });
  const later = new Date(Date.now() + 3600_000);
  await timed('queue it in Redis (addBulk, 1,000 a call, jobs without their text)', all.length, async () => {
    for (let i = 0; i < all.length; i += 1000) {
      await queue.enqueue(all.slice(i, i + 1000).map((u) => ({ id: `bc-x-${u.chatId}`, chatId: u.chatId, kind: 'broadcast' as const, text: '', locale: 'kk' as const, broadcastId: 'x', notBefore: later })));
    }
  });
  await noticesAgainstPlainBullmq(redis.url);
  const ids = all.slice(-2000).map((u) => u.chatId);
  await timed('user record by telegramId, 2,000 queries, 50 in flight', ids.length, () =>
    inParallel(ids.length, 50, (i) => users.findOne({ telegramId: ids[i] }, { blocked: 1, announcements: 1 }).lean()),
  );
  const caller = grammyCaller(grammyBot(api.token, api.apiRoot));
  await timed('sendMessage to the local Bot API, 5,000, 100 in flight', 5000, () =>
    inParallel(5000, 100, (i) => caller.call('sendMessage', { chat_id: 1e6 + i, text: TEXT })),
  );
  for (const limiter of [{ max: 200, duration: 200 }, undefined]) {
    const prefix = `parts-${randomBytes(3).toString('hex')}`;
    const jobs = createDeliveryQueue({ redisUrl: redis.url, prefix, cipher });
    for (let i = 0; i < JOBS; i += 1000) {
      await jobs.enqueue(Array.from({ length: 1000 }, (_, j) => ({ id: `j-${i + j}`, chatId: i + j + 1, kind: 'broadcast' as const, text: TEXT })));
    }
    const label = limiter ? 'BullMQ, empty jobs, window limiter 200 per 200 ms (1,000/s)' : 'BullMQ, empty jobs, no limiter, 100 in flight';
    await timed(label, JOBS, () => drain(redis.url, prefix, limiter));
    await jobs.close();
  }
  await queue.close();
  await api.stop();
  await mongo.close();
  await ferret.stop();
  await redis.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
