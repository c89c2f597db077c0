// How long Redis keeps a session, by the forms it holds (src/app/session-lifetime.ts): the
// cases the grant test (test/grant/draft-retention.test.ts) does not reach through the bot.
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../src/app/registry.js';
import { sessionTtlS } from '../../src/app/session-lifetime.js';
import type { SceneState } from '../../src/engine/types.js';
import { FEATURES } from '../../src/features/index.js';

const registry = buildRegistry(FEATURES);
const NOW = Date.UTC(2026, 10, 20, 6);
const DAY_S = 24 * 3600;
const MAX_S = 30 * DAY_S;

const form = (id: string, touchedAgoS: number, lifetimeS: number): SceneState => ({
  id,
  version: registry.scenes.get(id)!.version,
  step: 'x',
  history: [],
  answers: {},
  startedAt: NOW - touchedAgoS * 1000,
  touchedAt: NOW - touchedAgoS * 1000,
  expiresAt: NOW + (lifetimeS - touchedAgoS) * 1000,
});

describe('sessionTtlS', () => {
  it('a session without a form keeps SESSION_TTL_S', () => {
    expect(sessionTtlS({ locale: 'kk', data: { rehab: {} } }, registry, NOW, MAX_S)).toBe(MAX_S);
  });

  it('a draft kept while no form is open: until the draft runs out', () => {
    const draft = form('grant-application', 2 * DAY_S, 7 * DAY_S);
    expect(sessionTtlS({ drafts: { 'grant-application': draft } }, registry, NOW, MAX_S)).toBe(5 * DAY_S);
  });

  it('a draft about to run out while a short form is open: the session goes with the draft, its IIN not kept for the short form', () => {
    const draft = form('grant-application', 7 * DAY_S - 60, 7 * DAY_S);
    const open = form('rehab-search', 0, 30 * 60);
    expect(sessionTtlS({ scene: open, drafts: { 'grant-application': draft } }, registry, NOW, MAX_S)).toBe(60);
  });

  it('a draft about to run out while the person does something else without a form: the session goes with the draft, not an hour later', () => {
    const draft = form('grant-application', 7 * DAY_S - 60, 7 * DAY_S);
    expect(sessionTtlS({ drafts: { 'grant-application': draft }, data: { rehab: {} } }, registry, NOW, MAX_S)).toBe(60);
  });

  it('the long form open and being answered: its 7 days from this answer', () => {
    expect(sessionTtlS({ scene: form('grant-application', 0, 7 * DAY_S) }, registry, NOW, MAX_S)).toBe(7 * DAY_S);
  });

  it('only a short form open: a draft\'s lifetime, not its half an hour (nor 30 days)', () => {
    expect(sessionTtlS({ scene: form('rehab-search', 0, 30 * 60) }, registry, NOW, MAX_S)).toBe(7 * DAY_S);
  });

  it('never longer than SESSION_TTL_S, never less than a second', () => {
    const draft = form('grant-application', 0, 7 * DAY_S);
    expect(sessionTtlS({ scene: draft }, registry, NOW, 3 * DAY_S)).toBe(3 * DAY_S);
  });
});
