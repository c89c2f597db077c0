// A grant application left half-way holds an IIN (and a phone, family answers) in the session.
// The draft is offered again for 7 days and then forgotten; Redis must not keep the session that
// holds it for the 30 days a session without form answers lives, since nobody may ever come
// back to drop it on a read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { IIN, NOW, openApplication } from './helpers.js';
import { openSearch } from '../rehab/rehab-helpers.js';

const DAY_S = 24 * 3600;
const DRAFT_S = 7 * DAY_S;

describe('how long Redis keeps a session holding an unfinished form', () => {
  let app: TestApp;
  let clock = NOW;
  beforeAll(async () => {
    app = await createTestApp('grant_draft_retention', { now: () => clock });
  });
  afterAll(async () => app?.close());

  const ttlOf = (chat: number) => app.redis.ttl(`${app.config.REDIS_PREFIX}:chat:{${chat}}:sess`);

  it('an application walked away from after the IIN lives no longer than its 7-day draft', async () => {
    const chat = 351;
    await onboard(app, chat);
    await openApplication(app, chat);
    await app.say(chat, '1');
    await app.say(chat, 'Aliya Sarsenbayeva');
    await app.say(chat, IIN.adultA);
    expect(app.drain(chat).join('\n')).toContain('Your phone number');
    expect(JSON.stringify((await app.bot.sessions.peek(chat))?.scene?.answers)).toContain(IIN.adultA);
    const open = await ttlOf(chat);
    expect(open).toBeLessThanOrEqual(DRAFT_S);
    expect(open).toBeGreaterThan(DRAFT_S - 60);

    // Left for the menu: kept as a draft, which is still the one deadline.
    await app.command(chat, 'menu');
    expect(app.drain(chat).join('\n')).toContain('saved for 7 days');
    expect(await ttlOf(chat)).toBeLessThanOrEqual(DRAFT_S);

    // Two days later the person looks at the menu again without touching the draft: the draft's
    // deadline has not moved, and neither may the session's.
    clock = new Date(NOW.getTime() + 2 * DAY_S * 1000);
    await app.command(chat, 'menu');
    const later = await ttlOf(chat);
    expect(later).toBeLessThanOrEqual(DRAFT_S - 2 * DAY_S);
    expect(later).toBeGreaterThan(DRAFT_S - 2 * DAY_S - 60);
    clock = NOW;
  });

  it('a draft in its last minutes while the person fills in a short form: the session holding its IIN goes at the draft\'s deadline, not an hour later', async () => {
    const chat = 353;
    await onboard(app, chat);
    await openApplication(app, chat);
    await app.say(chat, '1');
    await app.say(chat, 'Aliya Sarsenbayeva');
    await app.say(chat, IIN.adultA);
    await app.command(chat, 'menu');
    expect(app.drain(chat).join('\n')).toContain('saved for 7 days');

    // Ten minutes before the draft runs out the person comes back, but to look for a centre.
    clock = new Date(NOW.getTime() + (DRAFT_S - 10 * 60) * 1000);
    try {
      await openSearch(app, chat);
      const stored = await app.bot.sessions.peek(chat);
      expect(stored?.scene?.id).toBe('rehab-search');
      expect(JSON.stringify(stored?.drafts)).toContain(IIN.adultA);
      const ttl = await ttlOf(chat);
      expect(ttl).toBeLessThanOrEqual(10 * 60);
      expect(ttl).toBeGreaterThan(10 * 60 - 60);
    } finally {
      clock = NOW;
    }
  });

  it('a short form open is kept no longer than a draft either; a session without a form keeps its 30 days', async () => {
    const chat = 352;
    await onboard(app, chat);
    expect(await ttlOf(chat)).toBeGreaterThan(app.config.SESSION_TTL_S - 60);
    await openSearch(app, chat);
    expect(await ttlOf(chat)).toBeLessThanOrEqual(DRAFT_S);
    await app.command(chat, 'cancel');
    expect(await ttlOf(chat)).toBeGreaterThan(app.config.SESSION_TTL_S - 60);
  });
});
