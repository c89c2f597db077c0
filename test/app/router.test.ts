import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSceneHarness, createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { FEATURES } from '../../src/features/index.js';
import type { Feature } from '../../src/app/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { testMongoUri } from '../support/isolation.js';

// Two small scenes: a short one that expires after 10 minutes and a long form with drafts.
const short = defineScene(z.object({ a: z.string(), b: z.string() }), {
  id: 'short',
  version: 1,
  namespace: 'common',
  titleKey: 'common:menu.help',
  inactivitySeconds: 600,
  steps: [
    { id: 'a', kind: 'text', prompt: 'common:progress', schema: z.string() },
    { id: 'b', kind: 'text', prompt: 'common:progress', schema: z.string() },
  ],
  complete: async () => ({ replies: [{ kind: 'text', text: 'short done' }] }),
});
const long = (version: number) => defineScene(z.object({ first: z.string(), second: z.string() }), {
  id: 'long',
  version,
  namespace: 'common',
  titleKey: 'common:menu.my-data',
  draftDays: 7,
  steps: [
    { id: 'first', kind: 'text', prompt: 'common:progress', schema: z.string() },
    { id: 'second', kind: 'text', prompt: 'common:progress', schema: z.string() },
  ],
  complete: async (answers) => ({ replies: [{ kind: 'text', text: `long done: ${answers.first} ${answers.second}` }] }),
});
// A scene that leads on to another with a seed, as a search leads to its result pages.
const chain = defineScene(z.object({ word: z.string() }), {
  id: 'chain',
  version: 1,
  namespace: 'common',
  titleKey: 'common:menu.help',
  steps: [{ id: 'word', kind: 'text', prompt: 'common:progress', schema: z.string() }],
  complete: async (answers) => ({ replies: [{ kind: 'text', text: `chain done: ${answers.word}` }], next: { scene: 'chained', seed: { from: answers.word } } }),
});
const chained = defineScene(z.object({ from: z.string(), more: z.string() }), {
  id: 'chained',
  version: 1,
  namespace: 'common',
  titleKey: 'common:menu.help',
  steps: [{ id: 'more', kind: 'text', prompt: 'common:progress', promptParams: (a) => ({ current: a.from ?? '?', total: 'x' }), schema: z.string() }],
  complete: async (answers) => ({ replies: [{ kind: 'text', text: `chained done: ${answers.from} ${answers.more}` }] }),
  backFromStart: async () => ({ scene: 'chain' }),
});
const testFeature = (version = 1): Feature => ({
  id: 'router-test',
  scenes: [short, long(version), chain, chained],
  commands: [
    { command: 'chain', run: (ctx) => ctx.startScene('chain') },
    { command: 'short', run: (ctx) => ctx.startScene('short') },
    { command: 'long', run: (ctx) => ctx.startScene('long') },
  ],
});

describe('router', () => {
  let apps: TestApp[] = [];
  let clock = new Date('2026-11-22T10:00:00Z');
  const now = () => clock;
  afterEach(async () => {
    await Promise.all(apps.map((a) => a.close()));
    apps = [];
  });

  // A restart needs the sessions to outlive the process: those tests run over the Redis mailbox.
  async function app(version = 1, shared?: { mongoUri: string; redisPrefix: string }) {
    const create = shared ? createTestApp : createSceneHarness;
    const created = await create('router', { now, features: [...FEATURES, testFeature(version)], ...shared });
    apps.push(created);
    return created;
  }

  it('closes a short scene after inactivity, with a word to the user', async () => {
    clock = new Date('2026-11-22T10:00:00Z');
    const a = await app();
    await onboard(a, 1);
    await a.command(1, 'short');
    await a.say(1, 'one');
    clock = new Date('2026-11-22T10:09:00Z'); // 9 minutes: still open, and the deadline slides
    await a.say(1, 'ignored?');
    expect(a.drain(1)).toContain('short done');
    await a.command(1, 'short');
    clock = new Date('2026-11-22T10:30:00Z');
    await a.say(1, 'late');
    const texts = a.drain(1);
    expect(texts.join('\n')).toContain('was closed because there was no answer for a long time');
    expect(texts.at(-1)).toContain('Main menu');
  });

  it('opens the scene a finished scene names, with its seed, after the replies of the finished one', async () => {
    clock = new Date('2026-11-22T10:00:00Z');
    const a = await app();
    await onboard(a, 5);
    await a.command(5, 'chain');
    a.drain(5);
    await a.say(5, 'alpha');
    const texts = a.drain(5);
    // The finished scene's reply first, then the next scene's question built from the seed; no menu between.
    expect(texts[0]).toBe('chain done: alpha');
    expect(texts[1]).toContain('alpha');
    expect(texts.join('\n')).not.toContain('Main menu:');
    expect((await a.bot.sessions.peek(5))?.scene).toMatchObject({ id: 'chained', step: 'more', answers: { from: 'alpha' } });
    await a.say(5, 'beta');
    expect(a.drain(5)).toContain('chained done: alpha beta');
  });

  it('opens the scene Back names from the first step of a scene', async () => {
    clock = new Date('2026-11-22T10:00:00Z');
    const a = await app();
    await onboard(a, 6);
    await a.command(6, 'chain');
    await a.say(6, 'alpha');
    a.drain(6);
    await a.say(6, 'Back');
    expect((await a.bot.sessions.peek(6))?.scene).toMatchObject({ id: 'chain', step: 'word' });
  });

  it('keeps a long form as a draft on Menu and offers to continue it', async () => {
    clock = new Date('2026-11-22T10:00:00Z');
    const a = await app();
    await onboard(a, 2);
    await a.command(2, 'long');
    await a.say(2, 'alpha');
    await a.say(2, 'Main menu');
    expect(a.drain(2).join('\n')).toContain('saved for 7 days');
    clock = new Date('2026-11-25T10:00:00Z');
    await a.command(2, 'long');
    expect(a.last(2).text).toContain('You have an unfinished form');
    await a.say(2, 'continue');
    await a.say(2, 'beta');
    expect(a.drain(2)).toContain('long done: alpha beta');
  });

  it('drops a draft after its days are over', async () => {
    clock = new Date('2026-11-22T10:00:00Z');
    const a = await app();
    await onboard(a, 3);
    await a.command(3, 'long');
    await a.say(3, 'alpha');
    await a.command(3, 'menu');
    clock = new Date('2026-12-01T10:00:00Z');
    await a.command(3, 'long');
    expect(a.last(3).text).not.toContain('unfinished form');
    expect((await a.bot.sessions.peek(3))?.scene).toMatchObject({ id: 'long', step: 'first', answers: {} });
  });

  it('restarts a form cleanly when a deploy changed its version', async () => {
    clock = new Date('2026-11-22T10:00:00Z');
    const shared = { mongoUri: testMongoUri('router_version'), redisPrefix: `t-${randomBytes(4).toString('hex')}` };
    const before = await app(1, shared);
    await onboard(before, 4);
    await before.command(4, 'long');
    await before.say(4, 'alpha');
    await before.stop();
    const after = await app(2, shared);
    // Each local Bot API numbers updates from the same start; skip the ids the first one used,
    // as Telegram's own ids would never repeat.
    after.api.nextUpdateId = 100_000;
    await after.say(4, 'beta');
    const texts = after.drain(4);
    expect(texts[0]).toContain('has been updated, so it has to start again');
    expect(texts.at(-1)).toContain('Main menu');
  });

  it('cancels a form and stores none of its answers', async () => {
    clock = new Date('2026-11-22T10:00:00Z');
    const a = await app();
    await onboard(a, 5);
    await a.command(5, 'long');
    await a.say(5, 'alpha');
    await a.command(5, 'cancel');
    expect(a.drain(5).join('\n')).toContain('Cancelled. Nothing from this form was saved.');
    const session = await a.bot.sessions.peek(5);
    expect(session?.scene).toBeUndefined();
    expect(session?.drafts?.long).toBeUndefined();
  });

  it('after the stored session expired, keeps the language the person picked and reads what they sent', async () => {
    clock = new Date('2026-11-22T10:00:00Z');
    const a = await app();
    await onboard(a, 7, 'Русский');
    await a.bot.mailbox.eraseSession(7); // what Redis does after SESSION_TTL_S of silence
    await a.say(7, 'Меню');
    const texts = a.drain(7);
    expect(texts.join('\n')).not.toContain('Выберите язык');
    expect(texts.at(-1)).toContain('Главное меню');
    expect((await a.bot.sessions.peek(7))?.locale).toBe('ru');
  });

  it('asks the language again when the person never picked one, or deleted their data', async () => {
    clock = new Date('2026-11-22T10:00:00Z');
    const a = await app();
    await a.command(8, 'start');
    a.drain(8);
    await a.bot.mailbox.eraseSession(8);
    await a.command(8, 'start');
    expect(a.drain(8).join('\n')).toContain('Please choose a language');
    await a.tapLike(8, 'Қазақша');
    await a.bot.services.users.erase(8);
    await a.bot.mailbox.eraseSession(8);
    await a.command(8, 'start');
    expect(a.drain(8).join('\n')).toContain('Please choose a language');
  });

  it('apologises in the user language when a handler fails, and keeps the session', async () => {
    clock = new Date('2026-11-22T10:00:00Z');
    const failing: Feature = { id: 'fail', commands: [{ command: 'boom', run: async () => Promise.reject(new Error('boom')) }] };
    const a = await createSceneHarness('router_fail', { now, features: [...FEATURES, failing] });
    apps.push(a);
    await onboard(a, 6, 'Русский');
    await a.command(6, 'boom');
    expect(a.drain(6)).toEqual(['Извините, у нас что-то пошло не так. Попробуйте ещё раз через минуту. Ваши прежние ответы сохранены.']);
    expect((await a.bot.sessions.peek(6))?.locale).toBe('ru');
  });
});
