import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app-harness.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';
import { MATCH_KEYS_VERSION, missionMatchKey, volunteerMatchKeys } from '../../src/features/volunteer/match-keys.js';
import { startUpMatching } from '../../src/features/volunteer/match-start-up.js';
import { matchFilter, type MatchCriteria } from '../../src/features/volunteer/mission-match.js';
import { addVolunteer } from '../volunteer/helpers.js';

// Mission matching is one equality on precomputed keys; these tests pin down that the keys select
// exactly the volunteers fitsMission would, on the real database (FerretDB in tests), and that
// every write that changes a key's ingredients keeps the keys in step.
describe('mission matching by match keys', () => {
  let app: TestApp;
  const ids = (list: Array<{ userId: number }>) => list.map((v) => v.userId).sort((a, b) => a - b);
  const match = async (c: Partial<MatchCriteria>) =>
    ids(await app.bot.services.volunteers.matching({ region: 'karaganda', area: 'people-in-need', skills: [], ...c }));

  beforeAll(async () => {
    app = await createTestApp('match_keys');
    await volunteerModel(app.mongo).init();
  });
  afterAll(async () => app?.close());

  it('keys: one per area, availability (and "any time") and age group; none while paused or blocked', () => {
    const base = { region: 'almaty', areas: ['animals', 'animals', 'nature'], availability: ['weekends'], age: 18 };
    expect(volunteerMatchKeys(base).sort()).toEqual(
      [
        'almaty|animals|*|adult', 'almaty|animals|*|all', 'almaty|animals|weekends|adult', 'almaty|animals|weekends|all',
        'almaty|nature|*|adult', 'almaty|nature|*|all', 'almaty|nature|weekends|adult', 'almaty|nature|weekends|all',
      ].sort(),
    );
    // 17: only missions open to 14-17-year-olds.
    expect(volunteerMatchKeys({ ...base, age: 17 }).every((k) => k.endsWith('|all'))).toBe(true);
    expect(volunteerMatchKeys({ ...base, paused: true })).toEqual([]);
    expect(volunteerMatchKeys({ ...base, blocked: true })).toEqual([]);
    expect(volunteerMatchKeys({ ...base, areas: [] })).toEqual([]);
    expect(missionMatchKey({ region: 'almaty', area: 'animals', skills: [] })).toBe('almaty|animals|*|adult');
    expect(missionMatchKey({ region: 'almaty', area: 'animals', skills: [], minorsAllowed: true, availability: 'evenings' })).toBe('almaty|animals|evenings|all');
  });

  it('selects exactly by region, area, availability and the age rule (17 and 18 at the edge)', async () => {
    await addVolunteer(app, 2001, 'en', { age: 18, availability: ['weekends'] });
    await addVolunteer(app, 2002, 'ru', { age: 17, guardianConsent: true, availability: ['weekends', 'evenings'] });
    await addVolunteer(app, 2003, 'kk', { age: 40, availability: [] });
    await addVolunteer(app, 2004, 'en', { region: 'almaty' });
    await addVolunteer(app, 2005, 'en', { areas: ['animals'] });
    await addVolunteer(app, 2006, 'en', { age: 14, guardianConsent: true, availability: ['weekdays'], skills: [] });

    expect(await match({})).toEqual([2001, 2003]);
    expect(await match({ minorsAllowed: true })).toEqual([2001, 2002, 2003, 2006]);
    expect(await match({ availability: 'weekends' })).toEqual([2001]);
    expect(await match({ availability: 'weekends', minorsAllowed: true })).toEqual([2001, 2002]);
    expect(await match({ availability: 'evenings', minorsAllowed: true })).toEqual([2002]);
    expect(await match({ availability: 'weekdays' })).toEqual([]);
    expect(await match({ region: 'almaty' })).toEqual([2004]);
    expect(await match({ area: 'animals' })).toEqual([2005]);
    expect(await match({ area: 'disability-elderly' })).toEqual([2001, 2003]);
    // Skills are checked in code on the candidates the keys found.
    expect(await match({ skills: ['first-aid'], minorsAllowed: true })).toEqual([2001, 2002, 2003]);
    expect(await match({ region: 'nowhere' })).toEqual([]);
  });

  it('keeps the keys in step with edits, pause, blocking and coming back', async () => {
    const volunteers = app.bot.services.volunteers;
    const users = app.bot.services.users;
    await addVolunteer(app, 2101, 'en', { region: 'abai', age: 30 });
    const inAbai = { region: 'abai' };
    expect(await match(inAbai)).toEqual([2101]);

    await volunteers.updateField(2101, 'region', 'zhetysu');
    expect(await match(inAbai)).toEqual([]);
    expect(await match({ region: 'zhetysu' })).toEqual([2101]);

    await volunteers.updateField(2101, 'areas', ['nature']);
    expect(await match({ region: 'zhetysu' })).toEqual([]);
    expect(await match({ region: 'zhetysu', area: 'nature' })).toEqual([2101]);

    await volunteers.updateField(2101, 'availability', ['evenings']);
    expect(await match({ region: 'zhetysu', area: 'nature', availability: 'evenings' })).toEqual([2101]);
    expect(await match({ region: 'zhetysu', area: 'nature', availability: 'weekends' })).toEqual([]);

    await volunteers.updateField(2101, 'age', 16, { guardianConsent: true });
    expect(await match({ region: 'zhetysu', area: 'nature' })).toEqual([]);
    expect(await match({ region: 'zhetysu', area: 'nature', minorsAllowed: true })).toEqual([2101]);

    const here = { region: 'zhetysu', area: 'nature', minorsAllowed: true };
    await volunteers.setPaused(2101, true);
    expect(await match(here)).toEqual([]);
    await volunteers.setPaused(2101, false);
    expect(await match(here)).toEqual([2101]);

    await users.setBlocked(2101, true);
    expect(await match(here)).toEqual([]);
    await users.setBlocked(2101, false);
    expect(await match(here)).toEqual([2101]);

    // A 403 from Telegram marks by chat; a message afterwards brings the volunteer back.
    await users.setBlockedByChat(2101);
    expect(await match(here)).toEqual([]);
    await users.touch({ updateId: 1, chatId: 2101, userId: 2101 }, 'en');
    expect(await match(here)).toEqual([2101]);

    // Signing up again replaces the profile, and the keys with it.
    await volunteers.register(2101, 2101, 'en', { fullName: 'A B', age: 30, phone: '+77011234567', region: 'abai', areas: ['search'], availability: [], skills: [] });
    expect(await match(here)).toEqual([]);
    expect(await match({ region: 'abai', area: 'search' })).toEqual([2101]);
  });

  it('never invites someone whose keys are stale: every rule is checked again in code', async () => {
    await addVolunteer(app, 2201, 'en', { region: 'ulytau', age: 30 });
    // A key written by an older process, now wrong about the record (it says "kyzylorda").
    await volunteerModel(app.mongo).updateOne({ userId: 2201 }, { $set: { matchKeys: ['kyzylorda|people-in-need|*|adult'] } });
    expect(await match({ region: 'kyzylorda' })).toEqual([]);
    // Paused directly in the database, keys not refreshed: still not invited.
    await volunteerModel(app.mongo).updateOne({ userId: 2201 }, { $set: { paused: true, matchKeys: ['ulytau|people-in-need|*|adult'] } });
    expect(await match({ region: 'ulytau' })).toEqual([]);
  });

  it('fills in keys of records from before them (or of another key format) at start-up', async () => {
    const model = volunteerModel(app.mongo);
    await addVolunteer(app, 2301, 'en', { region: 'mangystau', age: 20 });
    await addVolunteer(app, 2302, 'en', { region: 'mangystau', age: 20 });
    await model.updateOne({ userId: 2301 }, { $unset: { matchKeys: 1, matchKeysVersion: 1 } });
    await model.updateOne({ userId: 2302 }, { $set: { matchKeys: ['old-format'], matchKeysVersion: MATCH_KEYS_VERSION - 1 } });
    expect(await match({ region: 'mangystau' })).toEqual([]);
    // The start-up task: keys, and the lists made of the old ones dropped.
    const backfill = startUpMatching.find((t) => t.name === 'mission match keys')!;
    expect(await backfill.run(app.mongo)).toBe(2);
    expect(await match({ region: 'mangystau' })).toEqual([2301, 2302]);
    expect(await backfill.run(app.mongo)).toBe(0);
  });

  it('the query is one equality the index serves', async () => {
    expect(matchFilter({ region: 'abai', area: 'search', skills: ['driving'], availability: 'weekends' })).toEqual({ matchKeys: 'abai|search|weekends|adult' });
    const indexes = await volunteerModel(app.mongo).listIndexes();
    expect(indexes.some((i) => JSON.stringify(i.key) === JSON.stringify({ matchKeys: 1 }))).toBe(true);
  });
});
