// A start that stops part-way through a start-up back-fill (a crash, a deploy killed, a user-record
// lock that waited past its time) must leave the rest to the next start: the flags broadcast
// audiences select on were once filled only while no record had one, so the records after the
// stop never got theirs, and those people missed every announcement to volunteers or applicants.
import { inquiryRecordLock } from '../../src/services/inquiry-record-lock.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../support/app-harness.js';
import { startUpLocks, startUpTasksLockOf } from '../support/start-up-locks.js';
import { addVolunteer } from '../volunteer/helpers.js';
import { runStartUpTasks } from '../../src/app/start-up.js';
import type { Feature, StartUpLocks } from '../../src/app/types.js';
import { SETTLE_MS } from '../../src/db/models/start-up-pass.js';
import { createLogger } from '../../src/logger.js';
import { RecordLock, RecordLockedError } from '../../src/services/record-lock.js';
import { userModel } from '../../src/db/models/user.js';
import { grantFeature } from '../../src/features/grant/index.js';
import { volunteerFeature } from '../../src/features/volunteer/index.js';
import { grantApplicationModel } from '../../src/features/grant/grant-application.model.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';
import { backfillApplicantFlags } from '../../src/features/grant/applicant-flags.js';
import { backfillVolunteerFlags } from '../../src/features/volunteer/volunteer-flags.js';
import { MatchLists } from '../../src/features/volunteer/match-lists.js';
import { matchListModel } from '../../src/features/volunteer/match-lists.model.js';
import { MATCH_KEYS_VERSION, volunteerMatchKeys } from '../../src/features/volunteer/match-keys.js';
import { initMatchModels, listedVolunteers } from './match-list-helpers.js';

const APPLICANTS = [6101, 6102, 6103, 6104, 6105, 6106];
const VOLUNTEERS = [6201, 6202, 6203, 6204, 6205, 6206];
/** Applies through the previous release after the back-fills reached their end. */
const LATE_APPLICANT = 6107;

/**
 * The user-record lock, as the start-up tasks take it, that lets `allowed` of these people's
 * records through and then waits no more: the start stops there, as when the real lock waited past
 * its 15 seconds for a record another process kept.
 */
class LockGivingUp extends RecordLock {
  constructor(
    app: TestApp,
    private readonly people: readonly number[],
    private allowed: number,
  ) {
    super(app.redis, `${app.config.REDIS_PREFIX}:access-write`);
  }

  /** The records whose lock was asked for, in order. */
  readonly asked: number[] = [];

  override async run<T>(name: string, work: () => Promise<T>, waitMs?: number): Promise<T> {
    this.asked.push(Number(name));
    if (this.people.includes(Number(name)) && this.allowed-- <= 0) throw new RecordLockedError(name);
    return super.run(name, work, waitMs);
  }
}

describe('start-up back-fills stopped part-way', () => {
  let app: TestApp;
  const users = () => userModel(app.mongo);
  const passes = () => app.mongo.collection('startuppasses');
  const flagged = async (field: 'applicant' | 'volunteer', ids: number[]) =>
    (await users().find({ telegramId: { $in: ids }, [field]: { $exists: true } }, { telegramId: 1 }).lean<Array<{ telegramId: number }>>())
      .map((u) => u.telegramId)
      .sort((a, b) => a - b);
  const start = (locks: StartUpLocks) => runStartUpTasks([grantFeature, volunteerFeature], app.mongo, locks, createLogger('silent'), startUpTasksLockOf(app));
  const stoppingAfter = (people: readonly number[], allowed: number): StartUpLocks => ({ userRecord: new LockGivingUp(app, people, allowed), inquiryRecord: inquiryRecordLock(app.bot.deps) });

  beforeAll(async () => {
    app = await createTestApp('start_up_resume');
    await initMatchModels(app.mongo);
  });
  afterAll(async () => app?.close());

  it('goes on at the next start after the last record handled, and reads nothing once the passes have settled', async () => {
    for (const id of APPLICANTS) {
      await app.bot.services.users.touch({ updateId: 0, chatId: id, userId: id }, 'en');
      // As stored before the user record kept the flag (only what the back-fill reads).
      await grantApplicationModel(app.mongo).collection.insertOne({ ref: `SR-${id}`, submissionKey: `sr-${id}`, userId: id, region: 'almaty', createdAt: new Date() });
    }
    for (const id of VOLUNTEERS) await addVolunteer(app, id);
    await app.bot.services.volunteers.setPaused(VOLUNTEERS[5]!, true);
    // Records from before the flags and regions existed.
    await users().updateMany({}, { $unset: { applicant: 1, volunteer: 1, region: 1 } });

    // The first start stops after three applicants' records.
    await expect(start(stoppingAfter(APPLICANTS, 3))).rejects.toBeInstanceOf(RecordLockedError);
    expect(await flagged('applicant', APPLICANTS)).toHaveLength(3);
    // The next goes on after them (the flags pass takes the records' locks of the other three
    // only, then the two regions passes all six each), and stops after two volunteers' records.
    const second = new LockGivingUp(app, VOLUNTEERS, 2);
    await expect(start({ userRecord: second, inquiryRecord: inquiryRecordLock(app.bot.deps) })).rejects.toBeInstanceOf(RecordLockedError);
    expect(second.asked.filter((id) => APPLICANTS.includes(id))).toEqual([...APPLICANTS.slice(3), ...APPLICANTS, ...APPLICANTS]);
    expect(await flagged('applicant', APPLICANTS)).toEqual(APPLICANTS);
    expect(await flagged('volunteer', VOLUNTEERS)).toHaveLength(2);
    // The one after that finishes the volunteers, from the third on.
    const third = new LockGivingUp(app, [], 0);
    await start({ userRecord: third, inquiryRecord: inquiryRecordLock(app.bot.deps) });
    expect(third.asked.filter((id) => VOLUNTEERS.includes(id)).slice(0, 4)).toEqual(VOLUNTEERS.slice(2));
    expect(await flagged('volunteer', VOLUNTEERS)).toEqual(VOLUNTEERS);
    const volunteerFlags = await users().find({ telegramId: { $in: VOLUNTEERS } }, { telegramId: 1, volunteer: 1 }).sort({ telegramId: 1 }).lean();
    expect(volunteerFlags.map((u) => u.volunteer)).toEqual([true, true, true, true, true, false]);
    expect(await users().countDocuments({ telegramId: { $in: APPLICANTS }, region: 'almaty' })).toBe(APPLICANTS.length);
    expect(await users().countDocuments({ telegramId: { $in: VOLUNTEERS }, region: { $exists: true } })).toBe(VOLUNTEERS.length);

    // The previous release, still serving, takes an application without the flag or the region:
    // the next start, within a day of the end, goes over the records written since and fills it in.
    await app.bot.services.users.touch({ updateId: 0, chatId: LATE_APPLICANT, userId: LATE_APPLICANT }, 'en');
    await users().updateOne({ telegramId: LATE_APPLICANT }, { $unset: { applicant: 1, region: 1 } });
    await grantApplicationModel(app.mongo).collection.insertOne({ ref: 'SR-LATE', submissionKey: 'sr-late', userId: LATE_APPLICANT, region: 'aktobe', createdAt: new Date() });
    await start(startUpLocks(app));
    expect(await users().findOne({ telegramId: LATE_APPLICANT }, { applicant: 1, region: 1, applicantRegion: 1, _id: 0 }).lean()).toEqual({ applicant: true, region: 'aktobe', applicantRegion: 'aktobe' });

    // A start a day after the end settles every pass; from then on a start reads only its marks
    // (and the indexed look-up for match changes a crash left pending, owed at every start).
    await passes().updateMany({ reachedEndAt: { $exists: true } }, { $set: { reachedEndAt: new Date(Date.now() - SETTLE_MS - 60_000) } });
    await start(startUpLocks(app));
    expect(await passes().countDocuments({ finishedAt: { $exists: false } })).toBe(0);
    const read: Array<{ collection: string; method: string; filter: unknown }> = [];
    app.mongo.set('debug', (collection: string, method: string, filter: unknown) => void read.push({ collection, method, filter }));
    try {
      await start(startUpLocks(app));
      expect(await backfillApplicantFlags(app.mongo, startUpLocks(app))).toBe(0);
      expect(await backfillVolunteerFlags(app.mongo, startUpLocks(app))).toBe(0);
    } finally {
      app.mongo.set('debug', false);
    }
    const marks = passes().collectionName;
    expect(read.filter((r) => r.collection !== marks)).toEqual([{ collection: volunteerModel(app.mongo).collection.collectionName, method: 'find', filter: { matchPending: true } }]);
    expect(read.filter((r) => r.collection === marks).every((r) => r.method === 'findOne')).toBe(true);
  });

  it('two starts at once: the second waits for the first, and no record is written twice', async () => {
    await users().updateMany({}, { $unset: { applicant: 1, volunteer: 1, region: 1, applicantRegion: 1, volunteerRegion: 1 } });
    await passes().deleteMany({});
    const written = new Map<string, number>();
    const order: string[] = [];
    const counting = (process: string, feature: Feature): Feature => ({
      ...feature,
      startUp: (feature.startUp ?? []).map((task) => ({
        ...task,
        run: async (mongo, locks) => {
          order.push(`${process} ${task.name}`);
          const changed = await task.run(mongo, locks);
          written.set(task.name, (written.get(task.name) ?? 0) + changed);
          return changed;
        },
      })),
    });
    const startAs = (process: string) =>
      runStartUpTasks([counting(process, grantFeature), counting(process, volunteerFeature)], app.mongo, startUpLocks(app), createLogger('silent'), startUpTasksLockOf(app));
    await Promise.all([startAs('first'), startAs('second')]);
    const all = [...APPLICANTS, LATE_APPLICANT];
    expect(await flagged('applicant', all)).toEqual(all);
    expect(await flagged('volunteer', VOLUNTEERS)).toEqual(VOLUNTEERS);
    // Each record written once over both starts: one flag and one region a person.
    expect(written.get('applicant audience flags')).toBe(all.length);
    expect(written.get('applicant announcement regions')).toBe(all.length);
    expect(written.get('volunteer audience flags')).toBe(VOLUNTEERS.length);
    expect(written.get('volunteer announcement regions')).toBe(VOLUNTEERS.length);
    expect(written.get('applicant group regions')).toBe(all.length);
    expect(written.get('volunteer group regions')).toBe(VOLUNTEERS.length);
    // One start's tasks after the other's, never side by side.
    const tasks = order.length / 2;
    const firstOne = order[0]!.split(' ')[0]!;
    expect(order.slice(0, tasks).every((t) => t.startsWith(`${firstOne} `))).toBe(true);
  });

  // The mission match lists: built in one pass at start-up, and dropped when the keys' format changes.
  const keysOfVolunteers = async () => {
    const records = await volunteerModel(app.mongo).find({ userId: { $in: VOLUNTEERS } }).lean();
    return [...new Set(records.flatMap((r) => volunteerMatchKeys(r)))].sort();
  };
  const listedKeys = async () => [...new Set((await matchListModel(app.mongo).find({}, { key: 1 }).lean()).map((l) => l.key))].sort();

  it('builds at the next start the match lists a start stopped before', async () => {
    const lists = new MatchLists(app.mongo);
    await lists.clear();
    const keys = await keysOfVolunteers();
    expect(keys.length).toBeGreaterThan(2);
    // A start stopped after storing the list of one key: a mission read its list meanwhile.
    await lists.members(keys[0]!);
    expect(await listedKeys()).toEqual([keys[0]]);
    await start(startUpLocks(app));
    expect(await listedKeys()).toEqual(keys);
  });

  it('drops at the next start the lists of old keys a start stopped before dropping', async () => {
    // Lists of the old key format, a stranger among them; the records' keys of that format.
    const [key] = await keysOfVolunteers();
    await matchListModel(app.mongo).insertMany([{ _id: `${key}#old#0`, key, build: 'old', part: 0, parts: 1, seq: 0, members: '[[6999,6999,"en",[]]]' }]);
    await volunteerModel(app.mongo).updateMany({}, { $set: { matchKeysVersion: MATCH_KEYS_VERSION - 1 } });
    // The start stops once every key is written, before the old lists are dropped.
    const drop = vi.spyOn(MatchLists.prototype, 'clear').mockRejectedValueOnce(new Error('stopped'));
    try {
      await expect(start(startUpLocks(app))).rejects.toThrow('stopped');
    } finally {
      drop.mockRestore();
    }
    expect(await volunteerModel(app.mongo).countDocuments({ matchKeysVersion: { $ne: MATCH_KEYS_VERSION } })).toBe(0);
    await start(startUpLocks(app));
    expect(await listedVolunteers(app.mongo)).not.toContain(6999);
    expect((await app.bot.services.volunteers.matching({ region: 'karaganda', area: 'people-in-need', skills: [] })).map((m) => m.userId)).not.toContain(6999);
    expect(await listedKeys()).toEqual(await keysOfVolunteers());
  });
});
