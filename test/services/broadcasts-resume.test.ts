// A process that dies while create() is still queueing jobs: the broadcast records how far it
// got (a bucket of the audience), and a worker's reconcile tick (resumeStalled) queues the rest,
// each recipient exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { createSceneHarness, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';
import { audienceBucket } from '../../src/db/models/audience-bucket.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { BroadcastsService, type NewBroadcast } from '../../src/features/broadcast/broadcasts.service.js';
import { AuditService } from '../../src/services/audit.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { createLogger } from '../../src/logger.js';
import type { DeliveryJob, DeliveryQueue } from '../../src/delivery/types.js';

// The fan-out walks the audience one bucket at a time (64 buckets), so what these tests need is
// several people in every bucket and a queuer that dies part-way through the buckets: 400 people
// (about 6 a bucket) and a death after 150 jobs (about 25 buckets in). More people only made every
// pass read more records; no bucket comes near a page of the queue (500) at any size a test can afford.
const N = 400;
const KILL_AT = 150;
const FIRST = 10_000;

/**
 * Stands for Redis as BullMQ uses it: a job id it already holds is ignored, so a page queued
 * twice is held once. Every page handed to it is also kept in `pages`, duplicates included.
 */
class QueuedJobs {
  readonly held = new Map<string, DeliveryJob>();
  readonly pages: DeliveryJob[][] = [];
  take(jobs: DeliveryJob[]): void {
    this.pages.push(jobs);
    for (const job of jobs) if (!this.held.has(job.id)) this.held.set(job.id, job);
  }
}

/**
 * Queues pages until `killAt` jobs were handed over, and dies right after Redis took that page:
 * the cursor did not move past it. What a process SIGKILLed there leaves behind.
 */
class DyingDelivery implements DeliveryQueue {
  handed = 0;
  constructor(
    private readonly redis: QueuedJobs,
    private readonly killAt = KILL_AT,
  ) {}
  async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.handed >= this.killAt) throw new Error('process killed');
    this.redis.take(jobs);
    this.handed += jobs.length;
    if (this.handed >= this.killAt) throw new Error('process killed after Redis took the page');
  }
  async cancel(): Promise<void> {}
}

/** A restarted process's queue, on the same Redis. */
class LiveDelivery implements DeliveryQueue {
  constructor(private readonly redis: QueuedJobs) {}
  async enqueue(jobs: DeliveryJob[]): Promise<void> {
    this.redis.take(jobs);
  }
  async cancel(): Promise<void> {}
}

describe('resuming a broadcast whose queueing stopped half-way', () => {
  let app: TestApp;
  let clock: Date;
  const service = (delivery: DeliveryQueue) => {
    const deps = {
      connection: app.mongo,
      cipher: createDataCipher(app.config.DATA_KEY),
      config: app.config,
      i18n: app.bot.i18n,
      delivery,
      logger: createLogger('silent'),
      now: () => clock,
    };
    return new BroadcastsService(deps, new AuditService(deps));
  };
  const input: NewBroadcast = {
    createdBy: 1,
    staffChatId: 1,
    staffLocale: 'en',
    texts: { kk: 'Сәлем', en: 'Hello' },
    fallback: 'kk',
    audience: { group: 'all', region: 'abai' },
  };

  beforeAll(async () => {
    app = await createSceneHarness('broadcasts_resume');
    await userModel(app.mongo).insertMany(
      Array.from({ length: N }, (_, i) => ({ telegramId: FIRST + i, chatId: FIRST + i, locale: (['kk', 'ru', 'en'] as const)[i % 3], region: 'abai' })),
    );
  });
  afterAll(async () => app?.close());

  it('queues the rest once the queuer has been silent long enough, and never twice', async () => {
    clock = new Date();
    const redis = new QueuedJobs();
    // The staff are told it is on its way: it is recorded, and it will be finished.
    expect(await service(new DyingDelivery(redis)).create(input)).toMatchObject({ total: N });
    const broadcasts = broadcastModel(app.mongo);
    const stuck = (await broadcasts.findOne({}).lean())!;
    const id = String(stuck._id);
    // The cursor stands at the start of the bucket whose page Redis took as the process died:
    // the count is that of the buckets before it.
    const lastPage = redis.pages[redis.pages.length - 1]!;
    const diedIn = audienceBucket(lastPage[0]!.chatId);
    expect(lastPage.every((j) => audienceBucket(j.chatId) === diedIn)).toBe(true);
    expect(stuck).toMatchObject({ status: 'sending', total: N, enqueue: { done: false, bucket: diedIn, count: redis.held.size - lastPage.length } });
    // The audit entry is written before queueing, so even a broadcast that died is on record.
    expect(await app.bot.services.audit.recent(5, { action: 'broadcast.create' })).toHaveLength(1);

    // Meanwhile one person not yet queued turns announcements off.
    const optedOut = Array.from({ length: N }, (_, i) => FIRST + i).find((chat) => audienceBucket(chat) > diedIn)!;
    await userModel(app.mongo).updateOne({ telegramId: optedOut }, { $set: { announcements: false } });

    const claims: string[] = [];
    const claim = async (bid: string) => {
      claims.push(bid);
      return true;
    };
    // A queuer that wrote a page a moment ago may still be alive: leave it alone.
    expect(await service(new LiveDelivery(redis)).resumeStalled(60_000, claim)).toEqual([]);
    expect(claims).toEqual([]);

    const pagesBefore = redis.pages.length;
    clock = new Date(clock.getTime() + 61_000);
    expect(await service(new LiveDelivery(redis)).resumeStalled(60_000, claim)).toEqual([id]);
    const after = (await broadcasts.findById(id).lean())!;
    expect(after).toMatchObject({ status: 'sending', total: N - 1, enqueue: { done: true, count: N - 1 } });

    // Redis holds one job for every recipient: the bucket the process died in was queued again
    // (and only that one), its job ids were already held.
    expect(redis.held.size).toBe(N - 1);
    const chats = new Set([...redis.held.values()].map((j) => j.chatId));
    for (let i = 0; i < N; i++) expect(chats.has(FIRST + i)).toBe(FIRST + i !== optedOut);
    const handed = redis.pages.flat().map((j) => j.id);
    const twice = handed.filter((jobId, i) => handed.indexOf(jobId) !== i);
    expect(twice.sort()).toEqual(lastPage.map((j) => j.id).sort());
    expect(redis.pages.slice(pagesBefore)[0]!.map((j) => j.id).sort()).toEqual(lastPage.map((j) => j.id).sort());
    // In each person's language, with the fallback for Russian.
    const jobs = [...redis.held.values()];
    expect(jobs.find((j) => (j.chatId - FIRST) % 3 === 1)!.locale).toBe('kk');
    expect(jobs.find((j) => (j.chatId - FIRST) % 3 === 2)!.locale).toBe('en');

    // Nothing left to resume.
    clock = new Date(clock.getTime() + 120_000);
    expect(await service(new RecordingDelivery()).resumeStalled(60_000, claim)).toEqual([]);
    await userModel(app.mongo).updateOne({ telegramId: optedOut }, { $set: { announcements: true } });
  });

  it('queues people who join while it is queued when their bucket is still ahead, each once', async () => {
    clock = new Date();
    await broadcastModel(app.mongo).deleteMany({});
    const redis = new QueuedJobs();
    await service(new DyingDelivery(redis)).create(input);
    const stuck = (await broadcastModel(app.mongo).findOne({}).lean())!;
    const at = stuck.enqueue!.bucket!;
    // Two newcomers: one in a bucket already queued, one in a bucket still ahead of the cursor.
    const newcomers = Array.from({ length: 500 }, (_, i) => 90_000 + i);
    const behind = newcomers.find((chat) => audienceBucket(chat) < at)!;
    const ahead = newcomers.find((chat) => audienceBucket(chat) > at)!;
    for (const chat of [behind, ahead]) await userModel(app.mongo).create({ telegramId: chat, chatId: chat, locale: 'en', region: 'abai' });

    clock = new Date(clock.getTime() + 61_000);
    await service(new LiveDelivery(redis)).resumeStalled(60_000, async () => true);
    const chats = [...redis.held.values()].map((j) => j.chatId);
    expect(chats.filter((c) => c === ahead)).toHaveLength(1);
    expect(chats).not.toContain(behind);
    // The total is who was really queued: everyone before, and the newcomer ahead of the cursor.
    expect(await broadcastModel(app.mongo).findById(stuck._id).lean()).toMatchObject({ total: N + 1, enqueue: { done: true, count: N + 1 } });
    await userModel(app.mongo).deleteMany({ telegramId: { $in: [behind, ahead] } });
  });

  it('carries on a broadcast left half-way by a version that queued in _id order: from the start, counted afresh', async () => {
    clock = new Date();
    await broadcastModel(app.mongo).deleteMany({});
    const doc = await broadcastModel(app.mongo).create({
      createdBy: 1, staffChatId: 1, staffLocale: 'en', texts: { en: 'Old cursor' }, fallback: 'en', audience: { group: 'all', region: 'abai' },
      sendAt: clock, status: 'sending', total: N, startedAt: clock,
      enqueue: { done: false, count: KILL_AT, upTo: new Types.ObjectId(), at: new Date(clock.getTime() - 120_000) },
    });
    const redis = new QueuedJobs();
    expect(await service(new LiveDelivery(redis)).resumeStalled(60_000, async () => true)).toEqual([String(doc._id)]);
    expect(redis.held.size).toBe(N);
    const after = (await broadcastModel(app.mongo).findById(doc._id).lean())!;
    expect(after).toMatchObject({ total: N, enqueue: { done: true, count: N } });
    expect(after.enqueue?.upTo).toBeUndefined();
  });

  it('does not resume a broadcast that was cancelled or that another worker has claimed', async () => {
    clock = new Date();
    await broadcastModel(app.mongo).deleteMany({});
    await service(new DyingDelivery(new QueuedJobs())).create(input);
    await service(new DyingDelivery(new QueuedJobs())).create({ ...input, texts: { en: 'Second' }, fallback: 'en' });
    const [first, second] = await broadcastModel(app.mongo).find({}).sort({ createdAt: 1 }).lean();
    await app.bot.services.broadcasts.cancel(String(first!._id), 1);
    clock = new Date(clock.getTime() + 61_000);
    const later = new RecordingDelivery();
    // The claim is how workers share the work: one that loses it leaves the broadcast alone.
    expect(await service(later).resumeStalled(60_000, async () => false)).toEqual([]);
    expect(later.jobs).toHaveLength(0);
    expect(await service(later).resumeStalled(60_000, async () => true)).toEqual([String(second!._id)]);
    expect(later.jobs.every((j) => j.broadcastId === String(second!._id))).toBe(true);
    expect((await broadcastModel(app.mongo).findById(first!._id).lean())?.status).toBe('cancelled');
  });
});
