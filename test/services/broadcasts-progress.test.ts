// Several workers may see the same moment of a broadcast (its first outcome, its last one).
// The progress message and the final report are claimed in Redis, so each goes out once even
// where MongoDB-compatible servers let two conditional updates both succeed (FerretDB).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { BroadcastProgress } from '../../src/features/broadcast/broadcast-progress.js';
import { createLogger } from '../../src/logger.js';
import { deliveryKeys } from '../../src/delivery/keys.js';

const STAFF = 77;

describe('broadcast progress shared by several workers', () => {
  let app: TestApp;
  const worker = () =>
    new BroadcastProgress({
      api: app.bot.runtime.api,
      broadcasts: app.bot.services.broadcasts,
      i18n: app.bot.i18n,
      redis: app.redis,
      prefix: app.config.REDIS_PREFIX,
      ratePerSecond: 25,
      logger: createLogger('silent'),
    });
  beforeAll(async () => {
    app = await createSceneHarness('broadcasts_progress');
    await userModel(app.mongo).insertMany([1, 2, 3].map((n) => ({ telegramId: n, chatId: n, locale: 'en' })));
  });
  afterAll(async () => app?.close());

  it('sends one progress message and one final report, with one audit entry', async () => {
    const services = app.bot.services;
    const { id } = await services.broadcasts.create({ createdBy: STAFF, staffChatId: STAFF, staffLocale: 'en', texts: { en: 'Hi' }, fallback: 'en', audience: { group: 'all' } });
    const running = (await services.broadcasts.get(id))!;
    const [a, b, c] = [worker(), worker(), worker()];
    await Promise.all([a.show(running), b.show(running), c.show(running)]);
    const progress = app.api.callsOf('sendMessage', STAFF).filter((m) => String(m.payload.text).includes('Sending the announcement'));
    expect(progress).toHaveLength(1);
    expect((await broadcastModel(app.mongo).findById(id).lean())?.progressMessageId).toBeGreaterThan(0);

    await broadcastModel(app.mongo).updateOne({ _id: id }, { $set: { status: 'done', sent: 3 } });
    const done = (await services.broadcasts.get(id))!;
    await Promise.all([a.finish(done), b.finish(done), c.finish(done)]);
    const reports = app.api.callsOf('sendMessage', STAFF).filter((m) => String(m.payload.text).includes('Final figures'));
    expect(reports).toHaveLength(1);
    expect(await services.audit.recent(10, { action: 'broadcast.done' })).toHaveLength(1);
    // The progress message became the report too, without its Cancel button.
    const edited = app.api.visibleMessages(STAFF).find((m) => m.messageId === done.progressMessageId);
    expect(edited?.text).toContain('Final figures');
    expect(edited?.buttons.flat()).toEqual([]);
  });

  it('finishes a broadcast whose every outcome came before its fan-out was over, and leaves a scheduled one alone', async () => {
    const services = app.bot.services;
    const keys = deliveryKeys(app.config.REDIS_PREFIX);
    const { id } = await services.broadcasts.create({ createdBy: STAFF, staffChatId: STAFF, staffLocale: 'en', texts: { en: 'Early' }, fallback: 'en', audience: { group: 'all' } });
    // The three outcomes were counted in Redis while queueing was not yet marked done.
    await app.redis.hset(keys.broadcastCounts(id), { sent: 2, blocked: 1 });
    const reportsBefore = app.api.callsOf('sendMessage', STAFF).filter((m) => String(m.payload.text).includes('Final figures')).length;
    await worker().afterFanOut(id);
    expect(await services.broadcasts.get(id)).toMatchObject({ status: 'done', sent: 2, blocked: 1 });
    expect(app.api.callsOf('sendMessage', STAFF).filter((m) => String(m.payload.text).includes('Final figures'))).toHaveLength(reportsBefore + 1);

    // A scheduled broadcast's fan-out ends long before its time: that must not start it.
    const later = await services.broadcasts.create({ createdBy: STAFF, staffChatId: STAFF, staffLocale: 'en', texts: { en: 'Later' }, fallback: 'en', audience: { group: 'all' }, sendAt: new Date(Date.now() + 24 * 3600_000) });
    await worker().afterFanOut(later.id);
    expect((await services.broadcasts.get(later.id))?.status).toBe('scheduled');
  });
});
