import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConcurrency } from '../../src/delivery/delivery-worker.js';
import { createBroadcastApp, onboard, openCompose, until, type BroadcastApp } from './helpers.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { userModel } from '../../src/db/models/user.js';

const STAFF = 5000;
const KK = 5001;
const RU = 5002;
const EN_OFF = 5003;
const BLOCKER = 5004;
const EN = 5005;

describe('staff broadcasts end to end', () => {
  let b: BroadcastApp;
  beforeAll(async () => {
    // No reconcile tick after the first: each broadcast here must finish, and report, by itself.
    b = await createBroadcastApp('broadcast_e2e', { staffId: STAFF, worker: { reconcileIntervalMs: 3_600_000 } });
    const { app } = b;
    await onboard(app, STAFF, 'English');
    await onboard(app, KK, 'Қазақша');
    await onboard(app, RU, 'Русский');
    await onboard(app, EN_OFF, 'English');
    await onboard(app, BLOCKER, 'English');
    await onboard(app, EN, 'English');
    await app.bot.services.users.setAnnouncements(EN_OFF, false);
    await app.bot.services.users.setRegion(KK, 'almaty-city');
    app.api.blockedChats.add(BLOCKER);
    // The staff member is a recipient too; keep them out of the counts below.
    await app.bot.services.users.setAnnouncements(STAFF, false);
  });
  afterAll(async () => b?.close());

  it('composes in two languages, previews, shows the count, sends each person their language and reports', async () => {
    const { app } = b;
    await openCompose(app, STAFF);
    expect(app.last(STAFF).text).toContain('In which languages');
    await app.tapLike(STAFF, 'Қазақша');
    await app.tapLike(STAFF, 'English');
    await app.tapLike(STAFF, 'Done');
    expect(app.last(STAFF).text).toContain('Write the announcement in Қазақша');
    await app.say(STAFF, 'Ертең орталық жабық.');
    expect(app.last(STAFF).text).toContain('Write the announcement in English');
    await app.say(STAFF, 'The centre is closed tomorrow.');
    expect(app.last(STAFF).text).toContain('Which version should they get');
    await app.tapLike(STAFF, 'English');
    await app.tapLike(STAFF, 'Everyone');
    await app.tapLike(STAFF, 'All regions');
    await app.tapLike(STAFF, 'All languages');
    app.drain(STAFF);
    const toKkBefore = app.api.callsOf('sendMessage', KK).length;
    await app.tapLike(STAFF, 'Send now');
    const shown = app.drain(STAFF);
    const all = shown.join('\n---\n');
    // Previews, each exactly as the recipients get it, then the count (KK, RU, BLOCKER, EN).
    expect(shown).toContain('Ертең орталық жабық.\n\nБұл — «Көмек» ботының хабарландыруы. Хабарландыруларды басты мәзірдегі «Менің деректерім» бөлімінде өшіруге болады.');
    expect(shown).toContain('The centre is closed tomorrow.\n\nThis is an announcement from Komek. You can turn announcements off in the menu under "My data".');
    expect(all).toContain('will go to 4 people');
    expect(app.api.callsOf('sendMessage', KK)).toHaveLength(toKkBefore); // nothing goes before confirming

    await app.tapLike(STAFF, 'Send the announcement');
    expect(app.drain(STAFF).join('\n')).toContain('on its way to 4 people');

    await until(async () => (await broadcastModel(app.mongo).findOne({}).lean())?.status === 'done', 15_000, 'broadcast done');
    expect(app.api.lastMessageTo(KK)?.text).toContain('Ертең орталық жабық.');
    // Russian was not written: the fallback (English) goes, with its footer in English.
    expect(app.api.lastMessageTo(RU)?.text).toContain('The centre is closed tomorrow.\n\nThis is an announcement from Komek.');
    expect(app.api.lastMessageTo(EN)?.text).toContain('The centre is closed tomorrow.');
    // Opted out: nothing.
    expect(app.api.messagesTo(EN_OFF).some((m) => m.text?.includes('closed tomorrow'))).toBe(false);
    const doc = await broadcastModel(app.mongo).findOne({}).lean();
    expect(doc).toMatchObject({ total: 4, sent: 3, blocked: 1, failed: 0, status: 'done' });
    const blocker = await userModel(app.mongo).findOne({ telegramId: BLOCKER }).lean();
    expect(blocker?.blocked).toBe(true);

    await until(() => app.api.messagesTo(STAFF).some((m) => m.text?.includes('Final figures')), 5000, 'final report');
    const report = app.api.messagesTo(STAFF).filter((m) => m.text?.includes('Final figures')).pop()!.text!;
    expect(report).toContain('Sent: 3');
    expect(report).toContain('Blocked the bot: 1');
    const audit = await app.bot.services.audit.recent(10, { action: 'broadcast.create' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(STAFF);
    // One final report and one audit entry with the figures, however many workers saw the end
    // (it is made as a job's outcome is recorded, so once the queue is idle every job has had its say).
    await untilDeliveryIdle(app.config);
    expect(app.api.callsOf('sendMessage', STAFF).filter((c) => String(c.payload.text).includes('Final figures'))).toHaveLength(1);
    const done = await app.bot.services.audit.recent(10, { action: 'broadcast.done' });
    expect(done).toHaveLength(1);
    expect(done[0]!.details).toMatchObject({ total: 4, sent: 3, blocked: 1 });
  });

  it('skips the user who blocked the bot on the next broadcast, and lists past broadcasts', async () => {
    const { app } = b;
    const before = app.api.callsOf('sendMessage', BLOCKER).length;
    const { total } = await app.bot.services.broadcasts.create({
      createdBy: STAFF,
      staffChatId: STAFF,
      staffLocale: 'en',
      texts: { en: 'Second announcement.' },
      fallback: 'en',
      audience: { group: 'all' },
    });
    expect(total).toBe(3);
    await until(async () => (await broadcastModel(app.mongo).countDocuments({ status: 'done' })) === 2, 15_000, 'second done');
    // The progress message of a finished broadcast loses its Cancel button.
    await until(() => !app.api.visibleMessages(STAFF).some((m) => m.buttons.flat().includes('Cancel sending')), 5000, 'button gone');
    expect(app.api.callsOf('sendMessage', BLOCKER).length).toBe(before);
    expect(app.api.lastMessageTo(RU)?.text).toContain('Second announcement.');

    app.drain(STAFF);
    await app.command(STAFF, 'menu');
    await app.tapLike(STAFF, 'Staff');
    await app.tapLike(STAFF, 'Past announcements');
    const list = app.drain(STAFF).join('\n');
    expect(list).toContain('The last announcements');
    expect(list).toContain('sent\n"Second announcement."\nSent: 3');
    expect(list).toContain('sent\n"The centre is closed tomorrow."\nSent: 3');
  });

  it('still delivers notices about the user\'s own matters when announcements are off', async () => {
    const { app } = b;
    await b.queue.enqueue([{ id: 'grant-status-test-1', chatId: EN_OFF, kind: 'grant-status', text: 'Your application was approved.' }]);
    await until(() => app.api.lastMessageTo(EN_OFF)?.text === 'Your application was approved.', 5000, 'notice');
  });

  it('rejects a time in the past, schedules a future one and cancels it with the button', async () => {
    const { app } = b;
    await openCompose(app, STAFF);
    await app.tapLike(STAFF, 'English');
    await app.tapLike(STAFF, 'Done');
    await app.say(STAFF, 'Scheduled news.');
    await app.tapLike(STAFF, 'Everyone');
    await app.tapLike(STAFF, 'All regions');
    await app.tapLike(STAFF, 'All languages');
    await app.tapLike(STAFF, 'At a set time');
    app.drain(STAFF);
    await app.say(STAFF, '01.01.2020 10:00');
    expect(app.drain(STAFF).join('\n')).toContain('already passed');
    await app.say(STAFF, '01.01.2099 10:00');
    expect(app.drain(STAFF).join('\n')).toContain('will go to 3 people');
    await app.tapLike(STAFF, 'Send the announcement');
    expect(app.drain(STAFF).join('\n')).toContain('will be sent on 01.01.2099 10:00 (Kazakhstan time) to 3 people');
    const doc = await broadcastModel(app.mongo).findOne({ status: 'scheduled' }).lean();
    expect(doc?.total).toBe(3);
    // The fan-out job walks all 64 audience buckets; once it is through, the three delayed jobs
    // wait in Redis. (A job it queued after a Cancel is removed by the fan-out itself.)
    await until(async () => (await broadcastModel(app.mongo).findById(doc!._id).lean())?.enqueue?.done === true, 10_000, 'queued');
    await app.tapLike(STAFF, 'Cancel sending');
    expect(app.last(STAFF).text).toContain('Sending was cancelled');
    const after = await broadcastModel(app.mongo).findById(doc!._id).lean();
    expect(after?.status).toBe('cancelled');
    const counts = await b.queue.cancelBroadcast!(String(doc!._id));
    expect(counts).toBe(0); // the button already removed every delayed job
    const audit = await app.bot.services.audit.recent(10, { action: 'broadcast.cancel' });
    expect(audit).toHaveLength(1);
  });

  it('stops a running broadcast from its progress message', async () => {
    const { app } = b;
    // Many recipients at a low rate, so there is time to press Cancel.
    const users = userModel(app.mongo);
    await users.insertMany(Array.from({ length: 150 }, (_, i) => ({ telegramId: 7000 + i, chatId: 7000 + i, locale: 'en', region: 'abai' })));
    expect(await app.bot.services.broadcasts.countAudience({ group: 'all', region: 'abai' })).toBe(150);
    await app.bot.services.broadcasts.create({
      createdBy: STAFF,
      staffChatId: STAFF,
      staffLocale: 'en',
      texts: { en: 'Long broadcast.' },
      fallback: 'en',
      audience: { group: 'all', region: 'abai' },
    });
    await until(() => app.api.visibleMessages(STAFF).some((m) => m.buttons.flat().includes('Cancel sending') && m.text?.includes('of 150')), 10_000, 'progress message');
    const progress = app.api.visibleMessages(STAFF).find((m) => m.text?.includes('of 150'))!;
    expect(progress.text).toMatch(/[▓░]{10} \d+%/);
    expect(progress.text).toMatch(/\d+ percent done/);
    await app.send(app.api.callback(STAFF, progress.callbackData[0]![0]!, progress.messageId, { enqueue: false }));
    expect(app.api.lastMessageTo(STAFF)?.text).toContain('Sending was cancelled');
    const sentAtCancel = app.api.callsOf('sendMessage').filter((c) => Number(c.payload.chat_id) >= 7000).length;
    // Until the queue has nothing left to send: every job queued before Cancel has run (or been dropped).
    await untilDeliveryIdle(app.config);
    const sentLater = app.api.callsOf('sendMessage').filter((c) => Number(c.payload.chat_id) >= 7000).length;
    // At most what the worker already had in flight (its default at this rate) goes out after Cancel.
    expect(sentLater - sentAtCancel).toBeLessThanOrEqual(defaultConcurrency(app.config.DELIVERY_RATE));
    expect(sentLater).toBeLessThan(150);
    const doc = await broadcastModel(app.mongo).findOne({ 'audience.region': 'abai' }).lean();
    expect(doc?.status).toBe('cancelled');
  });
});
