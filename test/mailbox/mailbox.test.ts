// The chat mailbox against the real Redis and FerretDB, one test per row of issue 9's table of
// failures (and the rules that replaced them). Users are played through the local Bot API.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/features/index.js';
import { createTestApp, dropTestDatabase, onboard, type TestApp, type TestAppOptions } from '../support/app-harness.js';
import { testMongoUri } from '../support/isolation.js';
import { tallyFeature } from '../support/tally-feature.js';
import { mailboxTestFeature } from './features.js';

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

// One database for the file: each test has its own Redis prefix (mailbox, sessions, dead
// letters) and its own chats, so the tests meet in nothing, and FerretDB builds the
// collections and indexes once instead of seven times.
const database = testMongoUri('mailbox');
afterAll(() => dropTestDatabase(database));

const FAST_RETRIES = { MAILBOX_RETRY_BASE_MS: '50', MAILBOX_RETRY_MAX_MS: '200', MAILBOX_MAX_ATTEMPTS: '3' };

async function app(name: string, options: TestAppOptions = {}): Promise<TestApp> {
  const a = await createTestApp(name, { features: [...FEATURES, tallyFeature, mailboxTestFeature], mongoUri: database, keepDatabase: true, ...options, env: { ...FAST_RETRIES, ...options.env } });
  apps.push(a);
  return a;
}

const APOLOGY = 'Sorry, something went wrong on our side';
const tallies = (a: TestApp, chat: number) =>
  a.api
    .messagesTo(chat)
    .filter((m) => m.text?.startsWith('tally '))
    .map((m) => Number(m.text!.slice(6)));

describe('bursts: every update handled once, in order', () => {
  it('1,000 updates from one chat at once: all answered, in the order sent, no apology', async () => {
    const a = await app('mailbox_burst_one');
    await onboard(a, 501);
    const updates = Array.from({ length: 1000 }, (_, n) => a.api.callback(501, `tally:${n}`, undefined, { enqueue: false }));
    await Promise.all(updates.map((u) => a.send(u)));
    const expected = updates.map((_, n) => n);
    expect(tallies(a, 501)).toEqual(expected);
    expect(a.api.messagesTo(501).some((m) => m.text?.includes(APOLOGY))).toBe(false);
    expect((await a.bot.sessions.peek(501))?.data?.tally).toEqual(expected);
  }, 120_000);

  it('5,000 updates across 500 chats (10 each): none dropped, none apologised for', async () => {
    const a = await app('mailbox_burst_many');
    const chats = Array.from({ length: 500 }, (_, i) => 10_000 + i);
    // Users who chose English a moment ago (their sessions written through the real store), so
    // the burst measures the pipeline, not 500 first-time sign-ups in the database.
    // One pipelined round trip for all 500, not 500 one after another.
    const seeding = a.redis.pipeline();
    for (const chat of chats) seeding.set(`${a.config.REDIS_PREFIX}:chat:{${chat}}:sess`, a.bot.sessions.seal({ locale: 'en', syncedAt: Date.now() }).sealed);
    await seeding.exec();
    const updates = Array.from({ length: 5000 }, (_, n) => a.api.callback(chats[n % 500]!, `tally:${n}`, undefined, { enqueue: false }));
    await Promise.all(updates.map((u) => a.send(u)));
    const stored = await Promise.all(chats.map((chat) => a.bot.sessions.peek(chat)));
    chats.forEach((chat, i) => {
      // The chat's ten updates in the order sent: i, i + 500, ..., i + 4,500.
      const expected = Array.from({ length: 10 }, (_, k) => i + 500 * k);
      expect(tallies(a, chat), `chat ${chat}`).toEqual(expected);
      expect(stored[i]?.data?.tally, `chat ${chat}`).toEqual(expected);
    });
    expect(a.api.counts.sent).toBe(5000);
  }, 180_000);

  it('an update delivered twice is handled once', async () => {
    const a = await app('mailbox_dupe');
    await onboard(a, 502);
    const update = a.api.callback(502, 'tally:7', undefined, { enqueue: false });
    await a.send(update);
    await a.send(update);
    expect(tallies(a, 502)).toEqual([7]);
    expect((await a.bot.sessions.peek(502))?.data?.tally).toEqual([7]);
  });
});

describe('failures are retried, not swallowed', () => {
  it('a 429 on a direct reply waits retry_after and sends it; the answer is kept and nobody is apologised to', async () => {
    const a = await app('mailbox_429');
    await onboard(a, 503);
    a.api.failNext('sendMessage', 429, 'Too Many Requests: retry after 1', { retry_after: 1 });
    const started = Date.now();
    await a.send(a.api.callback(503, 'tally:1', undefined, { enqueue: false }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(a.drain(503)).toEqual(['tally 1']);
    expect((await a.bot.sessions.peek(503))?.data?.tally).toEqual([1]);
  });

  it('a failure that keeps coming back: told once that it takes longer, then dead-lettered with the apology, and the chat moves on', async () => {
    const a = await app('mailbox_dead');
    const chat = 987_654_321;
    await onboard(a, chat);
    await a.command(chat, 'flaky');
    const seen = a.drain(chat);
    expect(seen.filter((t) => t.startsWith('Your answer is taking longer'))).toHaveLength(1);
    expect(seen.filter((t) => t.startsWith(APOLOGY))).toHaveLength(1);
    expect(seen.at(-1)).toContain(APOLOGY);
    const dead = await a.bot.mailbox.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ attempts: 3, transient: true, error: { type: 'TransientError' } });
    // Nothing in clear: neither the chat id nor what was typed.
    expect(JSON.stringify(dead[0])).not.toContain(String(chat));
    expect(JSON.stringify(dead[0])).not.toContain('flaky');
    // The next update is served as usual.
    await a.send(a.api.callback(chat, 'tally:5', undefined, { enqueue: false }));
    expect(a.drain(chat)).toEqual(['tally 5']);
  });

  it('a bug (an error that would only repeat) is dead-lettered at once with the apology, in the user language', async () => {
    const a = await app('mailbox_bug');
    await onboard(a, 504, 'Русский');
    await a.command(504, 'broken');
    expect(a.drain(504)).toEqual(['Извините, у нас что-то пошло не так. Попробуйте ещё раз через минуту. Ваши прежние ответы сохранены.']);
    expect(await a.bot.mailbox.deadLetters()).toMatchObject([{ attempts: 1, transient: false, error: { type: 'TypeError' } }]);
    await a.send(a.api.callback(504, 'tally:2', undefined, { enqueue: false }));
    expect(a.drain(504)).toEqual(['tally 2']);
    expect((await a.bot.sessions.peek(504))?.locale).toBe('ru');
  });
});

describe('a bad session never bricks a chat', () => {
  it('an unreadable session is set aside (kept, still sealed) and the user starts afresh with a word about it', async () => {
    const a = await app('mailbox_bad_session');
    await onboard(a, 505);
    const key = `${a.config.REDIS_PREFIX}:chat:{505}:sess`;
    await a.redis.set(key, 'v1.not-a-sealed-session');
    await a.command(505, 'menu', undefined, 'en');
    const seen = a.drain(505);
    expect(seen[0]).toBe('Sorry, we could not read where our earlier conversation stopped, so we are starting afresh. Applications you already sent are kept.');
    expect(seen.length).toBeGreaterThan(1);
    const aside = await a.redis.keys(`${a.config.REDIS_PREFIX}:chat:{505}:bad:*`);
    expect(aside).toHaveLength(1);
    expect(await a.redis.get(aside[0]!)).toBe('v1.not-a-sealed-session');
    expect(await a.redis.ttl(aside[0]!)).toBeGreaterThan(0);
    // The chat works on, with a readable session again.
    await a.tapLike(505, 'English');
    a.drain(505);
    await a.send(a.api.callback(505, 'tally:1', undefined, { enqueue: false }));
    expect(a.drain(505)).toEqual(['tally 1']);
    expect((await a.bot.sessions.peek(505))?.data?.tally).toEqual([1]);
  });
});

