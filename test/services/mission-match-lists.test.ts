import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import { createTestApp, type TestApp } from '../support/app-harness.js';
import { volunteerModel, type VolunteerRecord } from '../../src/features/volunteer/volunteer.model.js';
import { matchChangeModel, matchListModel } from '../../src/features/volunteer/match-lists.model.js';
import { MatchLists } from '../../src/features/volunteer/match-lists.js';
import { syncMatch } from '../../src/features/volunteer/match-sync.js';
import { startUpMatching } from '../../src/features/volunteer/match-start-up.js';
import { missionMatchKey, volunteerMatchKeys } from '../../src/features/volunteer/match-keys.js';
import { fitsMission, matchFilter, type MatchCriteria } from '../../src/features/volunteer/mission-match.js';
import { AVAILABILITY } from '../../src/features/volunteer/volunteer-options.js';
import { runStartUpTasks } from '../../src/app/start-up.js';
import { createLogger } from '../../src/logger.js';
import type { Feature } from '../../src/app/types.js';
import { addVolunteer } from '../volunteer/helpers.js';
import { initMatchModels, listedVolunteers } from './match-list-helpers.js';
import { startUpLocks, startUpTasksLockOf } from '../support/start-up-locks.js';

type Recipient = { userId: number; chatId: number; locale: string };
const byId = (list: Recipient[]) => [...list].sort((a, b) => a.userId - b.userId);

const recipient = (c: VolunteerRecord): Recipient => ({ userId: c.userId, chatId: c.chatId, locale: c.locale });

/** The query before the lists: the volunteer records the key selects, not paused, not blocked. */
async function queryBefore(mongo: Connection, criteria: Omit<MatchCriteria, 'skills'>): Promise<VolunteerRecord[]> {
  const candidates = await volunteerModel(mongo).find(matchFilter({ ...criteria, skills: [] })).lean<VolunteerRecord[]>();
  return candidates.filter((c) => c.paused !== true && c.blocked !== true);
}

/** Matching as it was before the lists: that query, every rule checked in code. */
async function matchingBefore(mongo: Connection, criteria: MatchCriteria): Promise<Recipient[]> {
  return (await queryBefore(mongo, criteria)).filter((c) => fitsMission(c, criteria)).map(recipient);
}

/** A MatchLists whose touch dies, as the process would in a crash between two writes. */
class CrashingLists extends MatchLists {
  override async touch(): Promise<void> {
    throw new Error('crash');
  }
}

// Mission matching reads one packed list per match key (match-lists.ts). These tests hold it to
// the query it replaced, on the real database, through every change a volunteer can make, a
// crash in the middle of one, a build racing a change, and the start-up tasks.
describe('mission match lists', () => {
  let app: TestApp;
  const matching = (c: Partial<MatchCriteria>) => app.bot.services.volunteers.matching({ region: 'abai', area: 'search', skills: [], ...c });
  const ids = async (c: Partial<MatchCriteria>) => (await matching(c)).map((r) => r.userId).sort((a, b) => a - b);
  const seqOf = async (key: string) => Math.max(0, ...(await matchChangeModel(app.mongo).find({ key }).lean()).map((c) => c.seq));
  const listed = () => listedVolunteers(app.mongo);

  beforeAll(async () => {
    app = await createTestApp('match_lists');
    await initMatchModels(app.mongo);
  });
  afterAll(async () => app?.close());

  it('selects exactly who the query before the lists selected, for every kind of mission', async () => {
    const regions = ['pavlodar', 'turkistan'];
    const areaSets = [['search'], ['search', 'animals'], ['animals', 'nature']];
    const times = [[], ['weekends'], ['weekdays', 'evenings']];
    const ages = [14, 17, 18, 40];
    const skillSets = [[], ['first-aid'], ['first-aid', 'driving']];
    for (let i = 0; i < 48; i++) {
      const userId = 5000 + i;
      await addVolunteer(app, userId, (['kk', 'ru', 'en'] as const)[i % 3], {
        region: regions[i % 2]!,
        areas: areaSets[i % 3]!,
        availability: times[(i >> 1) % 3]!,
        age: ages[i % 4]!,
        guardianConsent: true,
        skills: skillSets[(i >> 2) % 3]!,
      });
      if (i % 7 === 3) await app.bot.services.volunteers.setPaused(userId, true);
      if (i % 11 === 5) await app.bot.services.users.setBlocked(userId, true);
    }
    // One mission key per region, area, time and age group; the skills are checked in code on
    // the key's volunteers, by the old way as by the lists. Nothing here writes a volunteer, so
    // the keys run side by side, each on its own list records.
    const keys = regions.flatMap((region) =>
      ['search', 'animals', 'nature', 'other'].flatMap((area) =>
        [undefined, ...AVAILABILITY].flatMap((availability) => [false, true].map((minorsAllowed) => ({ region, area, minorsAllowed, ...(availability ? { availability } : {}) }))),
      ),
    );
    const compared = await Promise.all(
      keys.map(async (key) => {
        // The old query once for the key: its filter is the key alone (matchFilter), skills were checked in code.
        const candidates = await queryBefore(app.mongo, key);
        let count = 0;
        for (const skills of [[], ['first-aid'], ['driving', 'first-aid']]) {
          const criteria: MatchCriteria = { ...key, skills };
          const expected = byId(candidates.filter((c) => fitsMission(c, criteria)).map(recipient));
          // The lists twice: the first call of a key builds its list, every later one reads it.
          expect(byId(await app.bot.services.volunteers.matching(criteria))).toEqual(expected);
          expect(byId(await app.bot.services.volunteers.matching(criteria))).toEqual(expected);
          count += expected.length;
        }
        return count;
      }),
    );
    // The grid is not trivially empty.
    expect(compared.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    // 48 sign-ups and some 300 look-ups: 5 s alone, 19-30 s beside a full run's other workers.
  }, 90_000);

  it('a list of more than 100 volunteers is stored in parts and read whole', async () => {
    const records = Array.from({ length: 250 }, (_, i) => {
      const v = { userId: 7000 + i, chatId: 7000 + i, locale: (['kk', 'ru', 'en'] as const)[i % 3], fullName: 'V', age: 20 + (i % 40), phoneEnc: 'x', phoneHash: `h${i}`, region: 'akmola', areas: ['nature'], availability: [], skills: i % 2 ? ['driving'] : [], consentAt: new Date() };
      return { ...v, matchKeys: volunteerMatchKeys(v) };
    });
    await volunteerModel(app.mongo).insertMany(records);
    const criteria: MatchCriteria = { region: 'akmola', area: 'nature', skills: [] };
    const before = byId(await matchingBefore(app.mongo, criteria));
    expect(before).toHaveLength(250);
    expect(byId(await app.bot.services.volunteers.matching(criteria))).toEqual(before);
    const parts = await matchListModel(app.mongo).find({ key: missionMatchKey(criteria) }).lean();
    expect(parts.map((p) => p.part).sort()).toEqual([0, 1, 2]);
    expect(byId(await app.bot.services.volunteers.matching(criteria))).toEqual(before);
    expect(byId(await app.bot.services.volunteers.matching({ ...criteria, skills: ['driving'] }))).toEqual(before.filter((r) => r.userId % 2 === 1));
    // Gone again, around the service as they came, list and all: the start-up test below would
    // otherwise rewrite the keys of these 250 too, which its one-pass property does not need.
    await volunteerModel(app.mongo).deleteMany({ userId: { $gte: 7000, $lt: 7250 } });
    await matchListModel(app.mongo).deleteMany({ key: missionMatchKey(criteria) });
  });

  it('a mission reads the stored list: a record changed behind the service is not seen until it is touched', async () => {
    await addVolunteer(app, 5101, 'en', { region: 'abai', areas: ['search'], skills: [] });
    expect(await ids({})).toEqual([5101]);
    const key = missionMatchKey({ region: 'abai', area: 'search' });
    expect(await matchListModel(app.mongo).find({ key }).lean()).toMatchObject([{ part: 0, parts: 1, members: JSON.stringify([[5101, 5101, 'en', []]]) }]);
    // Written around the service: the list still answers, as it should (nothing told it).
    await volunteerModel(app.mongo).updateOne({ userId: 5101 }, { $set: { chatId: 777 } });
    expect((await matching({}))[0]).toMatchObject({ userId: 5101, chatId: 5101 });
    await new MatchLists(app.mongo).touch([key]);
    expect(await matchListModel(app.mongo).countDocuments({ key })).toBe(0);
    expect((await matching({}))[0]).toMatchObject({ userId: 5101, chatId: 777 });
    await volunteerModel(app.mongo).updateOne({ userId: 5101 }, { $set: { chatId: 5101 } });
    await new MatchLists(app.mongo).touch([key]);
  });

  it('follows every change of a volunteer: answers, skills, pause, blocking, language, signing up again, deleting', async () => {
    const volunteers = app.bot.services.volunteers;
    const users = app.bot.services.users;
    const id = 5201;
    await addVolunteer(app, id, 'en', { region: 'zhambyl', areas: ['search'], availability: ['weekends'], age: 30, skills: [] });
    const here = { region: 'zhambyl', area: 'search' };
    const has = async (c: Partial<MatchCriteria>) => (await ids(c)).includes(id);
    expect(await has(here)).toBe(true);

    await volunteers.updateField(id, 'region', 'ulytau');
    expect(await has(here)).toBe(false);
    expect(await has({ region: 'ulytau', area: 'search' })).toBe(true);
    const there = { region: 'ulytau', area: 'search' };

    await volunteers.updateField(id, 'areas', ['nature']);
    expect(await has(there)).toBe(false);
    expect(await has({ region: 'ulytau', area: 'nature' })).toBe(true);
    const nature = { region: 'ulytau', area: 'nature' };

    await volunteers.updateField(id, 'availability', ['evenings']);
    expect(await has({ ...nature, availability: 'weekends' })).toBe(false);
    expect(await has({ ...nature, availability: 'evenings' })).toBe(true);

    await volunteers.updateField(id, 'skills', ['driving']);
    expect(await has({ ...nature, skills: ['driving'] })).toBe(true);
    await volunteers.updateField(id, 'skills', []);
    expect(await has({ ...nature, skills: ['driving'] })).toBe(false);

    await volunteers.updateField(id, 'age', 16, { guardianConsent: true });
    expect(await has(nature)).toBe(false);
    expect(await has({ ...nature, minorsAllowed: true })).toBe(true);
    await volunteers.updateField(id, 'age', 30);

    await volunteers.setPaused(id, true);
    expect(await has(nature)).toBe(false);
    await volunteers.setPaused(id, false);
    expect(await has(nature)).toBe(true);

    await users.setBlocked(id, true);
    expect(await has(nature)).toBe(false);
    await users.setBlocked(id, false);
    expect(await has(nature)).toBe(true);
    await users.setBlockedByChat(id);
    expect(await has(nature)).toBe(false);
    await users.touch({ updateId: 1, chatId: id, userId: id }, 'en');
    expect(await has(nature)).toBe(true);

    // The invitation's language is the list's copy.
    await users.setLocale(id, 'kk');
    expect((await matching(nature)).find((r) => r.userId === id)?.locale).toBe('kk');

    await volunteers.register(id, id, 'ru', { fullName: 'A B', age: 30, phone: '+77011234567', region: 'abai', areas: ['animals'], availability: [], skills: [] });
    expect(await has(nature)).toBe(false);
    expect((await matching({ region: 'abai', area: 'animals' })).find((r) => r.userId === id)?.locale).toBe('ru');

    // Delete my data: out of every list record, not only out of the answers.
    expect(await listed()).toContain(id);
    await volunteers.remove(id);
    expect(await has({ region: 'abai', area: 'animals' })).toBe(false);
    expect(await listed()).not.toContain(id);
    // Nothing is left pending.
    expect(await volunteerModel(app.mongo).countDocuments({ matchPending: true })).toBe(0);
  });

  it('a list built from records read before a change is read with the change; one with a part missing is never used', async () => {
    const id = 5301;
    await addVolunteer(app, id, 'en', { region: 'kostanay', areas: ['search'], skills: [] });
    const key = missionMatchKey({ region: 'kostanay', area: 'search' });
    expect(await ids({ region: 'kostanay' })).toEqual([id]);
    // A build that read the change number, then the records, and stored its list only after
    // this change (the volunteer still in it): the change's number is above the list's.
    const seen = await seqOf(key);
    await app.bot.services.volunteers.setPaused(id, true);
    await matchListModel(app.mongo).create({ _id: `${key}#late#0`, key, build: 'late', part: 0, parts: 1, seq: seen, members: JSON.stringify([[id, id, 'en', []]]) });
    expect(await ids({ region: 'kostanay' })).toEqual([]);
    // Nor is a build with a part missing, for the current number.
    await addVolunteer(app, 5302, 'en', { region: 'kostanay', areas: ['search'], skills: [] });
    await matchListModel(app.mongo).deleteMany({ key });
    await matchListModel(app.mongo).create({ _id: `${key}#half#1`, key, build: 'half', part: 1, parts: 2, seq: await seqOf(key), members: JSON.stringify([[5302, 5302, 'en', []]]) });
    expect(await ids({ region: 'kostanay' })).toEqual([5302]);
    expect(await matchListModel(app.mongo).countDocuments({ key, build: 'half' })).toBe(0);
  });

  it('a mission reads again only the volunteers changed since the stored list, and stores it after a few changes', async () => {
    const key = missionMatchKey({ region: 'aktobe', area: 'emergencies' });
    const here = { region: 'aktobe', area: 'emergencies' };
    await addVolunteer(app, 5501, 'en', { region: 'aktobe', areas: ['emergencies'], skills: [] });
    expect(await ids(here)).toEqual([5501]);
    const storedAt = async () => [...new Set((await matchListModel(app.mongo).find({ key }).lean()).map((p) => p.seq))];
    const first = await storedAt();
    // Written around the service, so only a build would see it.
    await volunteerModel(app.mongo).updateOne({ userId: 5501 }, { $set: { chatId: 999 } });
    await addVolunteer(app, 5502, 'kk', { region: 'aktobe', areas: ['emergencies'], skills: [] });
    expect(byId(await matching(here))).toEqual([
      { userId: 5501, chatId: 5501, locale: 'en' },
      { userId: 5502, chatId: 5502, locale: 'kk' },
    ]);
    // Patched in memory: the stored list is the one from before.
    expect(await storedAt()).toEqual(first);
    for (let i = 0; i < 8; i++) await app.bot.services.volunteers.updateField(5502, 'skills', i % 2 ? [] : ['driving']);
    expect(await ids(here)).toEqual([5501, 5502]);
    expect(await storedAt()).toEqual([await seqOf(key)]);
    // The change records the stored list holds are gone; the latest number stays.
    expect(await matchChangeModel(app.mongo).countDocuments({ key })).toBe(1);
    await volunteerModel(app.mongo).updateOne({ userId: 5501 }, { $set: { chatId: 5501 } });
  });

  it('changes of many volunteers of one key at once leave the list as the volunteer records say', async () => {
    const volunteers = app.bot.services.volunteers;
    const criteria: MatchCriteria = { region: 'kyzylorda', area: 'sport-events', skills: [] };
    const team = Array.from({ length: 12 }, (_, i) => 5600 + i);
    // No particular times: 2 keys a volunteer instead of 4; the changes race on the same key.
    for (const id of team) await addVolunteer(app, id, 'ru', { region: 'kyzylorda', areas: ['sport-events'], availability: [], skills: [] });
    expect(await ids(criteria)).toEqual(team);
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        team.map((id, i) =>
          (i + round) % 3 === 0
            ? volunteers.setPaused(id, round % 2 === 0)
            : (i + round) % 3 === 1
              ? volunteers.updateField(id, 'skills', round % 2 ? ['driving'] : [])
              : app.bot.services.users.setLocale(id, round % 2 ? 'kk' : 'en'),
        ),
      );
      expect(byId(await app.bot.services.volunteers.matching(criteria))).toEqual(byId(await matchingBefore(app.mongo, criteria)));
    }
  });

  it('a crash between the volunteer write and the lists leaves the change to the start-up task', async () => {
    const volunteers = volunteerModel(app.mongo);
    const repair = startUpMatching.find((t) => t.name === 'mission match changes left unfinished')!;
    const id = 5401;
    await addVolunteer(app, id, 'en', { region: 'atyrau', areas: ['search'], skills: [] });
    expect(await ids({ region: 'atyrau' })).toEqual([id]);

    // Crash right after the write (the service's own update: the change and matchPending together).
    await volunteers.updateOne({ userId: id }, { $set: { region: 'mangystau', matchPending: true } });
    expect(await ids({ region: 'mangystau' })).toEqual([]);
    expect(await repair.run(app.mongo)).toBe(1);
    expect(await ids({ region: 'mangystau' })).toEqual([id]);
    expect(await ids({ region: 'atyrau' })).toEqual([]);
    expect(await repair.run(app.mongo)).toBe(0);

    // Crash after the keys were rewritten, before the lists were touched: the old key's list
    // still holds them, the new one does not; the noted keys are touched at start-up. Meanwhile
    // the marked volunteer is left out of every mission, not invited where they no longer are.
    expect(await ids({ region: 'mangystau', area: 'search', availability: 'weekends' })).toEqual([id]);
    await volunteers.updateOne({ userId: id }, { $set: { region: 'aktobe', matchPending: true } });
    await expect(syncMatch(volunteers, new CrashingLists(app.mongo), { userId: id })).rejects.toThrow('crash');
    expect(await volunteers.findOne({ userId: id }, { matchKeys: 1 }).lean()).toMatchObject({ matchKeys: expect.arrayContaining(['aktobe|search|*|adult']) });
    expect(await ids({ region: 'mangystau', area: 'search', availability: 'weekends' })).toEqual([]);
    expect(await repair.run(app.mongo)).toBe(1);
    expect(await ids({ region: 'mangystau', area: 'search', availability: 'weekends' })).toEqual([]);
    expect(await ids({ region: 'aktobe' })).toEqual([id]);

    // Crash in "delete my data" after the volunteer left the lists, before the record was
    // deleted: the record is still there, so at start-up it is a volunteer again.
    await volunteers.updateOne({ userId: id }, { $set: { matchKeys: [], matchPending: true, matchTouch: volunteerMatchKeys({ region: 'aktobe', areas: ['search'], availability: ['weekends'], age: 25 }) } });
    await new MatchLists(app.mongo).touch(['aktobe|search|*|adult']);
    expect(await ids({ region: 'aktobe' })).toEqual([]);
    expect(await repair.run(app.mongo)).toBe(1);
    expect(await ids({ region: 'aktobe' })).toEqual([id]);
  });

  it('start-up: keys, repairs and lists built in one pass when there are none; a second run changes nothing', async () => {
    const volunteers = volunteerModel(app.mongo);
    const lists = matchListModel(app.mongo);
    // Records as an older version left them: no keys, no lists.
    await volunteers.updateMany({}, { $unset: { matchKeys: 1, matchKeysVersion: 1 } });
    await lists.deleteMany({});
    const criteria: MatchCriteria = { region: 'pavlodar', area: 'search', skills: [], minorsAllowed: true };
    const expected = byId(await matchingBefore(app.mongo, { ...criteria }));
    expect(expected).toEqual([]); // no keys yet: the query before the lists found nobody either

    const feature: Feature = { id: 'volunteer-matching', startUp: startUpMatching };
    const logger = createLogger('silent');
    const counts = async () => Promise.all(startUpMatching.map((t) => t.run(app.mongo)));
    await runStartUpTasks([feature], app.mongo, startUpLocks(app), logger, startUpTasksLockOf(app));
    const built = await lists.countDocuments({});
    expect(built).toBeGreaterThan(10);
    const after = byId(await matchingBefore(app.mongo, criteria));
    expect(after.length).toBeGreaterThan(0);
    expect(byId(await app.bot.services.volunteers.matching(criteria))).toEqual(after);
    // Idempotent: nothing to fill in, nothing pending, lists already there.
    expect(await counts()).toEqual([0, 0, 0]);
    expect(await lists.countDocuments({})).toBe(built);
  });
});
