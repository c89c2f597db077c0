// A process dies while queueing a broadcast, right after Redis took a page of it; before the
// queueing is resumed, one person of that page turns announcements off. The resumed queueing
// reads that bucket again without them, so the broadcast's total leaves them out while their job
// is still in the queue (skipped at send time, and counted). The figures then reach the total
// one job early: the broadcast is marked done while a real recipient's job still waits, and that
// person must still get the announcement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';
import { audienceBucket } from '../../src/db/models/audience-bucket.js';
import { BroadcastsService, type NewBroadcast } from '../../src/features/broadcast/broadcasts.service.js';
import { AuditService } from '../../src/services/audit.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { createLogger } from '../../src/logger.js';
import type { DeliveryJob, DeliveryQueue } from '../../src/delivery/types.js';

const N = 120;
const KILL_AT = 40;
const FIRST = 30_000;

/** Redis as BullMQ uses it: a job id it already holds is ignored. */
class HeldJobs {
  readonly held = new Map<string, DeliveryJob>();
  lastPage: DeliveryJob[] = [];
  take(jobs: DeliveryJob[]): void {
    this.lastPage = jobs;
    for (const job of jobs) if (!this.held.has(job.id)) this.held.set(job.id, job);
  }
}

/** Dies right after Redis took the page that reached `killAt` jobs (a SIGKILL there). */
class DyingDelivery implements DeliveryQueue {
  handed = 0;
  constructor(private readonly redis: HeldJobs) {}
  async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.handed >= KILL_AT) throw new Error('process killed');
    this.redis.take(jobs);
    this.handed += jobs.length;
    if (this.handed >= KILL_AT) throw new Error('process killed after Redis took the page');
  }
  async cancel(): Promise<void> {}
}

class LiveDelivery implements DeliveryQueue {
  constructor(private readonly redis: HeldJobs) {}
  async enqueue(jobs: DeliveryJob[]): Promise<void> {
    this.redis.take(jobs);
  }
  async cancel(): Promise<void> {}
}

describe('attack: a broadcast resumed after a recipient already queued opted out', () => {
  let app: TestApp;
  let clock = new Date();
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
  const input: NewBroadcast = { createdBy: 1, staffChatId: 1, staffLocale: 'en', texts: { en: 'Hello' }, fallback: 'en', audience: { group: 'all', region: 'ulytau' } };

  beforeAll(async () => {
    app = await createSceneHarness('attack_broadcast_resume_optout');
    await userModel(app.mongo).insertMany(
      Array.from({ length: N }, (_, i) => ({ telegramId: FIRST + i, chatId: FIRST + i, locale: 'en', region: 'ulytau' })),
    );
  }, 60_000);
  afterAll(async () => app?.close());

  it('still sends to everyone who wants it, the last of them included', async () => {
    const redis = new HeldJobs();
    const { id } = await service(new DyingDelivery(redis)).create(input);
    const diedIn = audienceBucket(redis.lastPage[0]!.chatId);
    const optedOut = redis.lastPage[0]!.chatId;
    expect(audienceBucket(optedOut)).toBe(diedIn);
    await userModel(app.mongo).updateOne({ telegramId: optedOut }, { $set: { announcements: false } });

    clock = new Date(clock.getTime() + 61_000);
    expect(await service(new LiveDelivery(redis)).resumeStalled(60_000, async () => true)).toEqual([id]);
    expect(redis.held.size).toBe(N);

    // The workers: the opted-out person's job first, then everyone else's, each checked at send
    // time by a worker of its own (no status remembered from an earlier job) and counted.
    const jobs = [...redis.held.values()].sort((a, b) => (a.chatId === optedOut ? -1 : b.chatId === optedOut ? 1 : 0));
    const refused: number[] = [];
    for (const job of jobs) {
      const worker = service(new LiveDelivery(redis));
      const wanted = await worker.deliveryWanted(job);
      if (!wanted && job.chatId !== optedOut) refused.push(job.chatId);
      await worker.recordOutcome(id, { status: wanted ? 'sent' : 'skipped' });
    }
    expect(refused).toEqual([]);
    const doc = (await service(new LiveDelivery(redis)).get(id))!;
    expect(doc.status).toBe('done');
    expect(doc.sent).toBe(N - 1);
  }, 60_000);
});
