import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type TestApp, type RecordingDelivery } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { pickLanguage, progressBar } from '../../src/features/broadcast/broadcast-render.js';
import { deliveryKeys } from '../../src/delivery/keys.js';

describe('BroadcastsService', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('broadcasts_service');
    await userModel(app.mongo).insertMany([
      { telegramId: 1, chatId: 1, locale: 'kk', region: 'abai' },
      { telegramId: 2, chatId: 2, locale: 'ru', region: 'abai' },
      { telegramId: 3, chatId: 3, locale: 'ru', region: 'almaty-city' },
      { telegramId: 4, chatId: 4, locale: 'en', region: 'abai' },
      { telegramId: 5, chatId: 5, locale: 'kk', region: 'abai' },
      { telegramId: 6, chatId: 6, locale: 'en' },
    ]);
    // Through the service, as the bot does: the record and the Redis copy the send-time check reads.
    await app.bot.services.users.setAnnouncements(4, false);
    await app.bot.services.users.setBlocked(5, true);
  });
  afterAll(async () => app?.close());

  it('counts the audience, leaving out opted-out and blocked users, with combined filters', async () => {
    const b = app.bot.services.broadcasts;
    expect(await b.countAudience({ group: 'all' })).toBe(4);
    expect(await b.countAudience({ group: 'all', region: 'abai' })).toBe(2);
    expect(await b.countAudience({ group: 'all', language: 'ru' })).toBe(2);
    expect(await b.countAudience({ group: 'all', region: 'abai', language: 'ru' })).toBe(1);
    expect(await b.countAudience({ group: 'volunteers', userIds: [1, 3, 4, 5] })).toBe(2);
    expect(await b.countAudience({ group: 'volunteers', userIds: [1, 3, 4, 5], region: 'abai', language: 'kk' })).toBe(1);
    // A group whose service has nothing yet is empty, not everyone.
    expect(await b.countAudience({ group: 'applicants' })).toBe(0);
  });

  it('queues one job per recipient in their language, with the fallback, and deduplicating ids', async () => {
    const delivery = app.delivery as RecordingDelivery;
    const { id, total } = await app.bot.services.broadcasts.create({
      createdBy: 99,
      staffChatId: 99,
      staffLocale: 'en',
      texts: { kk: 'Сәлем', en: 'Hello' },
      fallback: 'kk',
      audience: { group: 'all' },
      sendAt: new Date(Date.now() + 3_600_000),
    });
    expect(total).toBe(4);
    const jobs = delivery.jobs.filter((j) => j.broadcastId === id);
    expect(jobs.map((j) => j.id).sort()).toEqual([1, 2, 3, 6].map((c) => `bc-${id}-${c}`).sort());
    expect(jobs.every((j) => !j.id.includes(':') && j.kind === 'broadcast' && j.notBefore)).toBe(true);
    // Each job names its language; the worker renders the text once per broadcast and language.
    expect(jobs.map((j) => [j.chatId, j.locale, j.text]).sort()).toEqual([[1, 'kk', ''], [2, 'kk', ''], [3, 'kk', ''], [6, 'en', '']]); // ru missing → kk
    const b = app.bot.services.broadcasts;
    const text = (chatId: number) => b.textOf(jobs.find((j) => j.chatId === chatId)!);
    expect((await text(1))!.startsWith('Сәлем\n\n')).toBe(true);
    expect(await text(2)).toBe(await text(1));
    expect(await text(6)).toContain('Hello\n\nThis is an announcement from Komek');
    expect(await b.textOf({ broadcastId: '0123456789abcdef01234567', locale: 'en' })).toBeUndefined();
    const doc = await broadcastModel(app.mongo).findById(id).lean();
    expect(doc).toMatchObject({ status: 'scheduled', total: 4, sent: 0 });
  });

  it('checks at send time: opted out, blocked and cancelled broadcasts are dropped, own notices are not', async () => {
    const b = app.bot.services.broadcasts;
    const doc = await broadcastModel(app.mongo).findOne({ status: 'scheduled' }).lean();
    const broadcastId = String(doc!._id);
    const job = (chatId: number, kind: 'broadcast' | 'grant-status' = 'broadcast') => ({ id: `x-${chatId}`, chatId, kind, text: 't', broadcastId });
    expect(await b.deliveryWanted(job(1))).toBe(true);
    expect(await b.deliveryWanted(job(4))).toBe(false);
    expect(await b.deliveryWanted(job(4, 'grant-status'))).toBe(true);
    expect(await b.deliveryWanted(job(5, 'grant-status'))).toBe(false);
    await b.cancel(broadcastId, 99);
    expect(await b.deliveryWanted(job(1))).toBe(false);
    expect(await b.cancel(broadcastId, 99)).toBeNull();
  });

  it('sees changes made after queueing at send time: opting out, a 403, coming back, erasure', async () => {
    const b = app.bot.services.broadcasts;
    const users = app.bot.services.users;
    const { id } = await b.create({
      createdBy: 99, staffChatId: 99, staffLocale: 'en', texts: { en: 'Later' }, fallback: 'en', audience: { group: 'all' },
      sendAt: new Date(Date.now() + 3_600_000),
    });
    const job = (chatId: number) => ({ id: `later-${chatId}`, chatId, kind: 'broadcast' as const, text: 't', broadcastId: id });
    expect(await b.deliveryWanted(job(1))).toBe(true);
    await users.setAnnouncements(1, false);
    expect(await b.deliveryWanted(job(1))).toBe(false);
    await users.setAnnouncements(1, true);
    expect(await b.deliveryWanted(job(1))).toBe(true);
    // Telegram answered 403 to another message: marked by chat.
    await users.setBlockedByChat(1);
    expect(await b.deliveryWanted(job(1))).toBe(false);
    // Writing to the bot again unblocks (the record and the copy).
    await users.touch({ updateId: 1, chatId: 1, userId: 1 }, 'kk');
    expect(await b.deliveryWanted(job(1))).toBe(true);
    expect((await users.get(1))?.blocked).toBe(false);
    // Erased: nothing more goes to them; a new start is a new record that wants announcements.
    await users.setBlockedByChat(2);
    await users.erase(2);
    expect(await b.deliveryWanted(job(2))).toBe(false);
    // ...but no marker says for ever that this id used the bot: the blocked one is gone, the
    // opt-out expires once queued jobs have drained.
    const keys = deliveryKeys(app.config.REDIS_PREFIX);
    expect(await app.redis.exists(keys.blocked(2))).toBe(0);
    expect(await app.redis.ttl(keys.noAnnouncements(2))).toBeGreaterThan(0);
    // Telegram refuses a job queued before the erasure: still skipped, and still no lasting trace.
    await users.setBlockedByChat(2);
    expect(await b.deliveryWanted(job(2))).toBe(false);
    expect(await app.redis.ttl(keys.blocked(2))).toBeGreaterThan(0);
    expect(await app.redis.ttl(keys.blocked(2))).toBeLessThanOrEqual(7 * 24 * 3600);
    // A person with a record stays marked while the record says blocked (until they write again).
    await users.setBlockedByChat(1);
    expect(await app.redis.ttl(keys.blocked(1))).toBe(-1);
    await users.touch({ updateId: 3, chatId: 1, userId: 1 }, 'kk');
    await users.touch({ updateId: 2, chatId: 2, userId: 2 }, 'ru');
    expect(await b.deliveryWanted(job(2))).toBe(true);
    // The opted-out and blocked users seeded above stay out.
    expect(await b.deliveryWanted(job(4))).toBe(false);
    expect(await b.deliveryWanted(job(5))).toBe(false);
    await b.cancel(id, 99);
  });

  it('counts each outcome and finishes exactly once', async () => {
    const b = app.bot.services.broadcasts;
    const { id } = await b.create({ createdBy: 99, staffChatId: 99, staffLocale: 'en', texts: { en: 'x' }, fallback: 'en', audience: { group: 'all', language: 'ru' } });
    const results = await Promise.all([b.recordOutcome(id, { status: 'sent' }), b.recordOutcome(id, { status: 'blocked' })]);
    expect(results.filter((r) => r?.finished)).toHaveLength(1);
    expect(await broadcastModel(app.mongo).findById(id).lean()).toMatchObject({ status: 'done', sent: 1, blocked: 1 });
  });

  it('renders the language choice and the progress bar', () => {
    expect(pickLanguage({ kk: 'a' }, 'kk', 'ru')).toBe('kk');
    expect(pickLanguage({ kk: 'a', ru: 'b' }, 'kk', 'ru')).toBe('ru');
    expect(progressBar(40, 100)).toEqual({ bar: '▓▓▓▓░░░░░░ 40%', percent: 40 });
    expect(progressBar(0, 0).percent).toBe(100);
  });
});
