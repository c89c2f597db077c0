// Restarts around a broadcast, with the real queue and worker: the bot dying while it is still
// queueing jobs, and scheduled broadcasts waiting in Redis while no worker runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { createBroadcastApp, onboard, sleep, until, type BroadcastApp } from './helpers.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { userModel } from '../../src/db/models/user.js';
import { BroadcastsService } from '../../src/features/broadcast/broadcasts.service.js';
import { ENQUEUE_PAGE } from '../../src/features/broadcast/broadcast-enqueue.js';
import { AuditService } from '../../src/services/audit.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { createLogger } from '../../src/logger.js';
import { createDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { DELIVERY_QUEUE_NAME } from '../../src/delivery/keys.js';
import type { DeliveryQueue } from '../../src/delivery/types.js';
import { testRedisUrl } from '../support/isolation.js';
import { testCipher } from '../support/data-key.js';

const STAFF = 6000;
const CRASH_FIRST = 20_000;
const CRASH_N = ENQUEUE_PAGE + 100;
const LATER = [6101, 6102, 6103];

/**
 * The real queue for the first pages; the third is taken by Redis and then the process dies,
 * before the cursor could move past its bucket: what a SIGKILL there leaves behind.
 */
class DyingQueue implements DeliveryQueue {
  pages = 0;
  constructor(private readonly real: DeliveryQueue) {}
  async enqueue(jobs: Parameters<DeliveryQueue['enqueue']>[0]): Promise<void> {
    if (this.pages >= 3) throw new Error('process killed');
    this.pages++;
    await this.real.enqueue(jobs);
    if (this.pages === 3) throw new Error('process killed after Redis took the page');
  }
  async cancel(ids: string[]): Promise<void> {
    await this.real.cancel(ids);
  }
}

describe('broadcasts across restarts', () => {
  let b: BroadcastApp;
  beforeAll(async () => {
    b = await createBroadcastApp('broadcast_restart', { staffId: STAFF, rate: 1000, worker: { reconcileIntervalMs: 200, enqueueStaleMs: 600 } });
    // The first sign-up creates the collections (FerretDB may refuse to create one twice at
    // once); the other users are independent, so they sign up side by side.
    await onboard(b.app, STAFF, 'English');
    await Promise.all([
      b.app.bot.services.users.setAnnouncements(STAFF, false),
      ...LATER.map(async (chat) => {
        await onboard(b.app, chat, 'English');
        await b.app.bot.services.users.setRegion(chat, 'turkistan');
      }),
      userModel(b.app.mongo).insertMany(
        Array.from({ length: CRASH_N }, (_, i) => ({ telegramId: CRASH_FIRST + i, chatId: CRASH_FIRST + i, locale: 'ru', region: 'abai' })),
      ),
    ]);
  });
  afterAll(async () => b?.close());

  it('finishes a broadcast whose creator died half-way through queueing: nobody missed, nobody twice', async () => {
    const { app } = b;
    const deps = {
      connection: app.mongo,
      cipher: createDataCipher(app.config.DATA_KEY),
      config: app.config,
      i18n: app.bot.i18n,
      delivery: new DyingQueue(b.queue),
      logger: createLogger('silent'),
      now: () => new Date(),
    };
    const dying = new BroadcastsService(deps, new AuditService(deps));
    // This process has no fan-out job queue, so it queues in its own process, and dies there.
    await dying.create({ createdBy: STAFF, staffChatId: STAFF, staffLocale: 'en', texts: { ru: 'Объявление' }, fallback: 'ru', audience: { group: 'all', region: 'abai' } });
    // It died with the third page in Redis and the cursor still at that page's bucket. Under
    // load the worker's reconcile tick may take the queueing over sooner: the dying process then
    // finds its cursor moved and stops there.
    expect([1, 2, 3]).toContain(deps.delivery.pages);
    const stuck = await broadcastModel(app.mongo).findOne({ 'audience.region': 'abai' }).lean();
    if (deps.delivery.pages === 3 && !stuck?.enqueue?.done) expect(stuck?.enqueue?.bucket).toBeLessThanOrEqual(2);

    // The worker already sends the first pages; its reconcile tick queues the rest once the
    // queueing has stood still for enqueueStaleMs, the third page's bucket again (BullMQ keeps
    // the job ids it holds, and a sent job's done marker stops a second send).
    await until(async () => (await broadcastModel(app.mongo).findOne({ 'audience.region': 'abai' }).lean())?.status === 'done', 40_000, 'broadcast done');
    for (let i = 0; i < CRASH_N; i++) expect(app.api.sentByChat.get(CRASH_FIRST + i) ?? 0).toBe(1);
    const doc = await broadcastModel(app.mongo).findOne({ 'audience.region': 'abai' }).lean();
    expect(doc).toMatchObject({ total: CRASH_N, sent: CRASH_N, failed: 0, blocked: 0, skipped: 0, enqueue: { done: true, count: CRASH_N } });
    await until(() => app.api.messagesTo(STAFF).some((m) => m.text?.includes(`Sent: ${CRASH_N}`) && m.text.includes('Final figures')), 5000, 'final report');
  });

  it('keeps a scheduled broadcast in Redis while no worker runs, and sends it once one is back', async () => {
    const { app } = b;
    await b.stopWorker();
    // A second ahead leaves room for create() on a loaded machine; the pause below then runs half
    // a second past sendAt with no worker: the due messages must still be waiting.
    const sendAt = new Date(Date.now() + 1000);
    const { id, total } = await app.bot.services.broadcasts.create({
      createdBy: STAFF, staffChatId: STAFF, staffLocale: 'en', texts: { en: 'Scheduled news.' }, fallback: 'en', audience: { group: 'all', region: 'turkistan' }, sendAt,
    });
    expect(total).toBe(3);
    await sleep(Math.max(0, sendAt.getTime() + 500 - Date.now()));
    for (const chat of LATER) expect(app.api.messagesTo(chat).some((m) => m.text?.includes('Scheduled news.'))).toBe(false);
    b.startWorker();
    await until(async () => (await broadcastModel(app.mongo).findById(id).lean())?.status === 'done', 10_000, 'scheduled broadcast done');
    for (const chat of LATER) {
      const calls = app.api.callsOf('sendMessage', chat).filter((c) => String(c.payload.text).includes('Scheduled news.'));
      expect(calls).toHaveLength(1);
      expect(calls[0]!.at).toBeGreaterThanOrEqual(sendAt.getTime());
    }
  });

  it('cancels a scheduled broadcast from a restarted process: its waiting jobs are gone and nothing goes', async () => {
    const { app } = b;
    const sendAt = new Date(Date.now() + 1500);
    const { id } = await app.bot.services.broadcasts.create({
      createdBy: STAFF, staffChatId: STAFF, staffLocale: 'en', texts: { en: 'Never sent.' }, fallback: 'en', audience: { group: 'all', region: 'turkistan' }, sendAt,
    });
    // A new process: its own connection to the queue, nothing carried over in memory.
    const queue = createDeliveryQueue({ redisUrl: testRedisUrl(), prefix: app.config.REDIS_PREFIX, cipher: testCipher() });
    const deps = { connection: app.mongo, cipher: createDataCipher(app.config.DATA_KEY), config: app.config, i18n: app.bot.i18n, delivery: queue, logger: createLogger('silent'), now: () => new Date() };
    const fresh = new BroadcastsService(deps, new AuditService(deps));
    const bull = new Queue(DELIVERY_QUEUE_NAME, { prefix: app.config.REDIS_PREFIX, connection: { url: testRedisUrl() } });
    try {
      const mine = async () => (await bull.getJobs(['delayed', 'wait'])).filter((j) => j?.data?.broadcastId === id).length;
      // The worker's fan-out job queues the three recipients' messages.
      await until(async () => (await mine()) === 3, 10_000, 'three waiting messages');
      expect((await fresh.cancel(id, STAFF))?.status).toBe('cancelled');
      expect(await mine()).toBe(0);
      // Past sendAt by a second with the worker running: a cancelled message that was still
      // queued would have gone out by now.
      await sleep(Math.max(0, sendAt.getTime() + 1000 - Date.now()));
      for (const chat of LATER) expect(app.api.messagesTo(chat).some((m) => m.text?.includes('Never sent.'))).toBe(false);
    } finally {
      await bull.close();
      await queue.close();
    }
  });
});
