// A broadcaster schedules an announcement to every region, then is narrowed to one region. When
// its time comes the send-time check stops it (docs/access.md): the author had been told "it will
// be sent on …" and must now be told, in their language, that it was stopped and why, once,
// instead of believing it went out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { deliveryGuards } from '../../src/delivery/bot-worker.js';

const ADMIN = 8900;
const AUTHOR = 8901;
const RECIPIENTS = [8910, 8911];

describe('broadcast stopped at send time because its author lost access', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_broadcast_withdrawn', { adminIds: [ADMIN] });
    await app.bot.services.users.makeStaff(AUTHOR, AUTHOR, 'ru', ADMIN, { roles: ['broadcaster'], regions: null, topics: null });
    for (const id of RECIPIENTS) await userModel(app.mongo).create({ telegramId: id, chatId: id, locale: 'en', region: 'abai' });
  }, 60_000);
  afterAll(async () => app?.close());

  it('tells the author once, in their language, that the announcement was stopped and why', async () => {
    const { id } = await app.bot.services.broadcasts.create({
      createdBy: AUTHOR,
      staffChatId: AUTHOR,
      staffLocale: 'ru',
      texts: { ru: 'Завтра центр закрыт на ремонт.' },
      fallback: 'ru',
      audience: { group: 'all' },
      sendAt: new Date(Date.now() + 3_600_000),
    });
    await app.bot.services.staff.changeAccess(ADMIN, AUTHOR, { roles: ['broadcaster'], regions: ['astana'], topics: null });

    const delivery = app.delivery as RecordingDelivery;
    const guard = deliveryGuards(app.bot.services).broadcast;
    for (const chatId of RECIPIENTS) {
      const job = delivery.jobs.find((j) => j.broadcastId === id && j.chatId === chatId)!;
      expect(await guard(job)).toBe(false);
    }
    expect(await broadcastModel(app.mongo).findById(id).lean()).toMatchObject({ status: 'cancelled' });

    const told = delivery.to(AUTHOR).filter((j) => !j.broadcastId);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('Завтра центр закрыт на ремонт.');
    expect(told[0]!.text).toContain('доступ');
    // Told even if they lost staff access altogether: it is about their own message.
    expect(told[0]!.actedBy).toBeUndefined();
  });

  it('tells nobody when the author deleted their data: the bot keeps no chat with them', async () => {
    const GONE = 8902;
    await app.bot.services.users.makeStaff(GONE, GONE, 'en', ADMIN, { roles: ['broadcaster'], regions: null, topics: null });
    const { id } = await app.bot.services.broadcasts.create({
      createdBy: GONE,
      staffChatId: GONE,
      staffLocale: 'en',
      texts: { en: 'Tomorrow the centre is closed.' },
      fallback: 'en',
      audience: { group: 'all' },
      sendAt: new Date(Date.now() + 3_600_000),
    });
    await app.bot.services.users.erase(GONE);
    const delivery = app.delivery as RecordingDelivery;
    const job = delivery.jobs.find((j) => j.broadcastId === id)!;
    expect(await deliveryGuards(app.bot.services).broadcast(job)).toBe(false);
    expect(await broadcastModel(app.mongo).findById(id).lean()).toMatchObject({ status: 'cancelled' });
    expect(delivery.to(GONE).filter((j) => !j.broadcastId)).toHaveLength(0);
  });
});
