import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroadcastApp, onboard, until, type BroadcastApp } from './helpers.js';
import { userModel } from '../../src/db/models/user.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';

const STAFF = 8400;
const CITIZEN = 8401;
const AUDIENCE = 240;
const FIRST = 840_000;

// All messages share one queue and one rate. A large announcement queues tens of thousands of
// messages at once (200,000 take hours at Telegram's rate): a citizen's own notice queued behind
// them (a decision on their application, an operator's answer, a mission reminder) waited until
// every announcement had gone. Notices about a person's own matters go first.
describe('a notice queued while a large announcement is being sent', () => {
  let b: BroadcastApp;
  beforeAll(async () => {
    b = await createBroadcastApp('broadcast_priority', { staffId: STAFF, rate: 30 });
    await onboard(b.app, STAFF);
    await onboard(b.app, CITIZEN);
    for (const chat of [STAFF, CITIZEN]) await b.app.bot.services.users.setAnnouncements(chat, false);
    await userModel(b.app.mongo).insertMany(
      Array.from({ length: AUDIENCE }, (_, i) => ({ telegramId: FIRST + i, chatId: FIRST + i, locale: 'kk', region: 'abai' })),
    );
  }, 60_000);
  afterAll(async () => b?.close());

  const announcementsSent = () => b.app.api.calls.filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) >= FIRST).length;

  it('goes out before the announcements still waiting', { timeout: 60_000 }, async () => {
    const { app } = b;
    await app.bot.services.broadcasts.create({
      createdBy: STAFF, staffChatId: STAFF, staffLocale: 'en', texts: { kk: 'Хабарландыру' }, fallback: 'kk', audience: { group: 'all', region: 'abai' },
    });
    await until(async () => (await broadcastModel(app.mongo).findOne({}).lean())?.enqueue?.done === true, 20_000, 'everyone queued');
    await until(() => announcementsSent() >= 10, 20_000, 'the first announcements');
    // Counted when the notice is queued, not when the wait above noticed ten: on a busy machine
    // that look may come seconds late.
    const before = announcementsSent();
    await app.delivery.enqueue([{ id: 'own-notice-1', chatId: CITIZEN, kind: 'notice', text: 'Your application was approved.' }]);
    await until(() => app.api.messagesTo(CITIZEN).some((m) => m.text === 'Your application was approved.'), 20_000, 'the notice');
    // At 30 a second the rest of the announcement takes several more seconds; the notice waited
    // only for the sends already holding their slots, not for it.
    expect(announcementsSent()).toBeLessThan(AUDIENCE);
    expect(announcementsSent() - before).toBeLessThan(AUDIENCE / 2);
  });
});
