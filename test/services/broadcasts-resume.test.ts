// A process that dies while create() is still queueing jobs: the broadcast records how far it
// got, and a worker's reconcile tick (resumeStalled) queues the rest, each recipient exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { BroadcastsService, type NewBroadcast } from '../../src/features/broadcast/broadcasts.service.js';
import { ENQUEUE_PAGE } from '../../src/features/broadcast/broadcast-enqueue.js';
import { AuditService } from '../../src/services/audit.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { createLogger } from '../../src/logger.js';
import type { DeliveryJob, DeliveryQueue } from '../../src/delivery/types.js';

const N = ENQUEUE_PAGE * 2 + 200;
const FIRST = 10_000;

/** Accepts the first page, then fails: the state is what a process killed right there leaves. */
class DyingDelivery implements DeliveryQueue {
  readonly jobs: DeliveryJob[] = [];
  async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.jobs.length >= ENQUEUE_PAGE) throw new Error('process killed');
    this.jobs.push(...jobs);
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
    app = await createTestApp('broadcasts_resume');
    await userModel(app.mongo).insertMany(
      Array.from({ length: N }, (_, i) => ({ telegramId: FIRST + i, chatId: FIRST + i, locale: (['kk', 'ru', 'en'] as const)[i % 3], region: 'abai' })),
    );
  });
  afterAll(async () => app?.close());

  it('queues the rest once the queuer has been silent long enough, and never twice', async () => {
    clock = new Date();
    const dying = new DyingDelivery();
    // The staff are told it is on its way: it is recorded, and it will be finished.
    expect(await service(dying).create(input)).toMatchObject({ total: N });
    const broadcasts = broadcastModel(app.mongo);
    const stuck = (await broadcasts.findOne({}).lean())!;
    const id = String(stuck._id);
    expect(stuck).toMatchObject({ status: 'sending', total: N, enqueue: { done: false, count: ENQUEUE_PAGE } });
    // The audit entry is written before queueing, so even a broadcast that died is on record.
    expect(await app.bot.services.audit.recent(5, { action: 'broadcast.create' })).toHaveLength(1);

    // Meanwhile one person not yet queued turns announcements off.
    await userModel(app.mongo).updateOne({ telegramId: FIRST + N - 1 }, { $set: { announcements: false } });

    const restarted = new RecordingDelivery();
    const claims: string[] = [];
    const claim = async (bid: string) => {
      claims.push(bid);
      return true;
    };
    // A queuer that wrote a page a moment ago may still be alive: leave it alone.
    expect(await service(restarted).resumeStalled(60_000, claim)).toEqual([]);
    expect(claims).toEqual([]);

    clock = new Date(clock.getTime() + 61_000);
    expect(await service(restarted).resumeStalled(60_000, claim)).toEqual([id]);
    const after = (await broadcasts.findById(id).lean())!;
    expect(after).toMatchObject({ status: 'sending', total: N - 1, enqueue: { done: true, count: N - 1 } });

    // Together the dead process and the resumed one queued every recipient exactly once.
    const ids = [...dying.jobs, ...restarted.jobs].map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(N - 1);
    const chats = new Set([...dying.jobs, ...restarted.jobs].map((j) => j.chatId));
    for (let i = 0; i < N - 1; i++) expect(chats.has(FIRST + i)).toBe(true);
    // In each person's language, with the fallback for Russian.
    const ru = restarted.jobs.find((j) => (j.chatId - FIRST) % 3 === 1)!;
    expect(ru.text.startsWith('Сәлем\n\n')).toBe(true);
    expect(restarted.jobs.find((j) => (j.chatId - FIRST) % 3 === 2)!.text.startsWith('Hello\n\n')).toBe(true);

    // Nothing left to resume.
    clock = new Date(clock.getTime() + 120_000);
    expect(await service(new RecordingDelivery()).resumeStalled(60_000, claim)).toEqual([]);
  });

  it('does not resume a broadcast that was cancelled or that another worker has claimed', async () => {
    clock = new Date();
    await broadcastModel(app.mongo).deleteMany({});
    await service(new DyingDelivery()).create(input);
    await service(new DyingDelivery()).create({ ...input, texts: { en: 'Second' }, fallback: 'en' });
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
