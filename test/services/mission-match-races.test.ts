import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../support/app-harness.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';
import { matchListModel } from '../../src/features/volunteer/match-lists.model.js';
import { MatchLists } from '../../src/features/volunteer/match-lists.js';
import { missionMatchKey } from '../../src/features/volunteer/match-keys.js';
import { repairPendingMatches } from '../../src/features/volunteer/match-sync.js';
import type { MatchCriteria } from '../../src/features/volunteer/mission-match.js';
import { addVolunteer } from '../volunteer/helpers.js';
import { initMatchModels, listedVolunteers } from './match-list-helpers.js';

type Store = (key: string, seq: number, packed: string[]) => Promise<void>;

/**
 * A MatchLists whose list write waits for `before` first: a mission that read the volunteer
 * records, then stalled (a slow process, a GC pause) while another process ran a change.
 */
function stalledLists(app: TestApp, before: () => Promise<void>): MatchLists {
  const lists = new MatchLists(app.mongo);
  const inner = lists as unknown as { store: Store };
  const store = inner.store.bind(lists);
  inner.store = async (key, seq, packed) => {
    await before();
    await store(key, seq, packed);
  };
  return lists;
}

// Races the tests of mission-match-lists.test.ts do not reach: a list written by a mission that
// read the records before a volunteer deleted their data, and bursts of changes on one key.
describe('mission match lists under races', () => {
  let app: TestApp;
  const listed = () => listedVolunteers(app.mongo);

  beforeAll(async () => {
    app = await createTestApp('match_races');
    await initMatchModels(app.mongo);
  });
  afterAll(async () => app?.close());

  it('a list built from records read before "delete my data" does not keep the chat id once the deletion is done', async () => {
    const criteria: MatchCriteria = { region: 'abai', area: 'search', skills: [] };
    await addVolunteer(app, 8101, 'en', { region: 'abai', areas: ['search'], skills: [] });
    await addVolunteer(app, 8102, 'en', { region: 'abai', areas: ['search'], skills: [] });
    // No stored list: the stalled mission builds one from the records it read before the deletion.
    await matchListModel(app.mongo).deleteMany({});
    const lists = stalledLists(app, async () => {
      await app.bot.services.volunteers.remove(8101);
    });
    const members = await lists.members(missionMatchKey(criteria));
    // That mission read the records first: inviting them is as if it had run just before.
    expect(members.map((m) => m.userId).sort()).toEqual([8101, 8102]);
    // But once remove() and that mission are both done, the chat id is in no stored list,
    expect(await listed()).not.toContain(8101);
    // and the next mission invites only who is left.
    expect((await app.bot.services.volunteers.matching(criteria)).map((r) => r.userId)).toEqual([8102]);
  });

  it('a list patched and stored by a mission that read the records before "delete my data" does not keep the chat id', async () => {
    const criteria: MatchCriteria = { region: 'abai', area: 'animals', skills: [] };
    const key = missionMatchKey(criteria);
    await addVolunteer(app, 8201, 'en', { region: 'abai', areas: ['animals'], skills: [] });
    await addVolunteer(app, 8202, 'en', { region: 'abai', areas: ['animals'], skills: [] });
    expect((await app.bot.services.volunteers.matching(criteria)).length).toBe(2);
    // Enough changes since the stored list that the next mission stores the list it patched.
    for (let i = 0; i < 8; i++) await app.bot.services.volunteers.updateField(8201, 'skills', i % 2 ? [] : ['driving']);
    const lists = stalledLists(app, async () => {
      await app.bot.services.volunteers.remove(8201);
    });
    await lists.members(key);
    expect(await listed()).not.toContain(8201);
    expect((await app.bot.services.volunteers.matching(criteria)).map((r) => r.userId)).toEqual([8202]);
  });

  it('"delete my data" racing a key refresh (another process\'s start-up repair) leaves the volunteer in no list and invited by no mission', async () => {
    const criteria: MatchCriteria = { region: 'abai', area: 'nature', skills: [] };
    await addVolunteer(app, 8401, 'en', { region: 'abai', areas: ['nature'], skills: [] });
    await addVolunteer(app, 8402, 'en', { region: 'abai', areas: ['nature'], skills: [] });
    expect((await app.bot.services.volunteers.matching(criteria)).length).toBe(2);
    // Between the volunteer leaving the lists and their record being deleted, a process starting
    // up finishes the "pending" record (its keys back), and a mission builds its list meanwhile.
    const touch = MatchLists.prototype.touch;
    let raced = false;
    const spy = vi.spyOn(MatchLists.prototype, 'touch').mockImplementation(async function (this: MatchLists, keys, userId) {
      await touch.call(this, keys, userId);
      if (userId !== undefined || raced) return;
      raced = true;
      await repairPendingMatches(volunteerModel(app.mongo), new MatchLists(app.mongo));
      await app.bot.services.volunteers.matching(criteria);
    });
    try {
      await app.bot.services.volunteers.remove(8401);
    } finally {
      spy.mockRestore();
    }
    expect(raced).toBe(true);
    expect(await volunteerModel(app.mongo).countDocuments({ userId: 8401 })).toBe(0);
    expect((await app.bot.services.volunteers.matching(criteria)).map((r) => r.userId)).toEqual([8402]);
    expect(await listed()).not.toContain(8401);
  });

  it('a burst of changes on one key (a broadcast finding many blocked volunteers) leaves nobody pending and no paused volunteer invited', async () => {
    const criteria: MatchCriteria = { region: 'ulytau', area: 'nature', skills: [] };
    const team = Array.from({ length: 40 }, (_, i) => 8300 + i);
    // No particular times: 2 keys each (the "any time" key for both age groups) rather than 4, so
    // the burst is 40 writers on each of 2 keys instead of 4; the race on one key is the same.
    for (const id of team) await addVolunteer(app, id, 'ru', { region: 'ulytau', areas: ['nature'], availability: [], skills: [] });
    expect((await app.bot.services.volunteers.matching(criteria)).length).toBe(team.length);
    // Every change at once, as the delivery worker's parallel sends report blocked chats.
    const results = await Promise.allSettled(team.map((id) => (id % 2 ? app.bot.services.users.setBlockedByChat(id) : app.bot.services.volunteers.setPaused(id, true))));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await volunteerModel(app.mongo).countDocuments({ matchPending: true })).toBe(0);
    expect(await app.bot.services.volunteers.matching(criteria)).toEqual([]);
  });

  it('a list stored after a deletion whose record a later list already pruned does not keep the chat id', async () => {
    const criteria: MatchCriteria = { region: 'abai', area: 'disability-elderly', skills: [] };
    const key = missionMatchKey(criteria);
    await addVolunteer(app, 8601, 'en', { region: 'abai', areas: ['disability-elderly'], skills: [] });
    await addVolunteer(app, 8602, 'en', { region: 'abai', areas: ['disability-elderly'], skills: [] });
    await matchListModel(app.mongo).deleteMany({ key });
    // The slow mission has read its number and the records; meanwhile the deletion takes the next
    // number, a later change the one after, and another mission stores a list at that number
    // (pruning the deletion's record) before the slow one writes.
    const lists = stalledLists(app, async () => {
      await app.bot.services.volunteers.remove(8601);
      await app.bot.services.volunteers.updateField(8602, 'skills', ['driving']);
      await matchListModel(app.mongo).deleteMany({ key });
      expect((await app.bot.services.volunteers.matching(criteria)).map((r) => r.userId)).toEqual([8602]);
    });
    await lists.members(key);
    expect(await listed()).not.toContain(8601);
  });

  it('a volunteer whose change is not yet in the lists is not invited, and the repair tick finishes a change stuck for a minute', async () => {
    const criteria: MatchCriteria = { region: 'abai', area: 'people-in-need', skills: [] };
    await addVolunteer(app, 8701, 'en', { region: 'abai', areas: ['people-in-need'], skills: [] });
    await addVolunteer(app, 8702, 'en', { region: 'abai', areas: ['people-in-need'], skills: [] });
    expect((await app.bot.services.volunteers.matching(criteria)).map((r) => r.userId).sort()).toEqual([8701, 8702]);
    // 8701 paused, and the list update after it failed (a database blip): the record is marked, the list is not.
    await volunteerModel(app.mongo).updateOne({ userId: 8701 }, { $set: { paused: true, matchPending: true } });
    expect((await app.bot.services.volunteers.matching(criteria)).map((r) => r.userId)).toEqual([8702]);
    // A change in flight is left alone; one pending for over a minute is finished.
    expect(await app.bot.services.volunteers.repairStuckMatches()).toBe(0);
    expect(await app.bot.services.volunteers.repairStuckMatches(new Date(Date.now() + 61_000))).toBe(1);
    expect(await volunteerModel(app.mongo).countDocuments({ userId: 8701, matchPending: true })).toBe(0);
    expect((await app.bot.services.volunteers.matching(criteria)).map((r) => r.userId)).toEqual([8702]);
    await app.bot.services.volunteers.setPaused(8701, false);
    expect((await app.bot.services.volunteers.matching(criteria)).map((r) => r.userId).sort()).toEqual([8701, 8702]);
  });
});
