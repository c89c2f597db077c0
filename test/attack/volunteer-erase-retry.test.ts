// "Delete my data" for a volunteer with hours on record, stopped half-way (the database went
// away) and run again, as the chat's mailbox retries the update: the hours kept without a name
// on each mission must be counted once, and the person is still told what is kept.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';
import { missionAssignmentModel } from '../../src/features/volunteer/mission-assignment.model.js';
import { missionModel } from '../../src/features/volunteer/mission.model.js';
import { addVolunteer, clock, HOUR, mission } from '../volunteer/helpers.js';

const STAFF = 9100;
const LEAVING = 7301;
const STAYING = 7302;
const outage = () => Object.assign(new Error('FerretDB is not answering'), { code: 'ECONNRESET' });

describe('attack: a volunteer erasing their data, run again after a failure', () => {
  let app: TestApp;
  const time = clock();
  const ids: string[] = [];

  beforeAll(async () => {
    app = await createSceneHarness('atk_vol_erase_retry', { now: time.now });
    const { missions } = app.bot.services;
    await missions.init();
    await addVolunteer(app, LEAVING, 'en');
    await addVolunteer(app, STAYING, 'en');
    for (const [title, hours] of [['Charity fair', 5], ['Park clean-up', 3]] as const) {
      const { mission: m } = await missions.publish(mission(time.now(), { title, durationHours: hours }), STAFF);
      ids.push(String(m._id));
      await missions.accept(String(m._id), LEAVING);
      await missions.accept(String(m._id), STAYING);
    }
    time.advance(5 * 24 * HOUR);
    for (const id of ids) expect(await missions.saveAttendance(id, [LEAVING, STAYING], STAFF)).toMatchObject({ credited: 2 });
  });
  afterAll(async () => app?.close());

  const anonymised = async (id: string) => {
    const m = await missionModel(app.mongo).findById(id).lean();
    return { hours: m?.anonymisedHours, volunteers: m?.anonymisedVolunteers };
  };

  it('counts the kept hours once on each mission when the first try stopped before the places were deleted', async () => {
    const assignments = missionAssignmentModel(app.mongo);
    const spy = vi.spyOn(assignments, 'deleteMany').mockImplementationOnce(() => {
      throw outage();
    });
    await expect(app.bot.services.missions.eraseVolunteer(LEAVING)).rejects.toThrow('FerretDB');
    spy.mockRestore();

    // The retry still names what is kept, and every mission counts the person's hours once.
    expect(await app.bot.services.missions.eraseVolunteer(LEAVING)).toEqual({ keptMissions: 2, keptHours: 8 });
    expect(await anonymised(ids[0]!)).toEqual({ hours: 5, volunteers: 1 });
    expect(await anonymised(ids[1]!)).toEqual({ hours: 3, volunteers: 1 });
    expect(await assignments.countDocuments({ volunteerUserId: LEAVING })).toBe(0);
    // The other volunteer's hours are theirs, untouched.
    expect((await app.bot.services.missions.hours(STAYING)).total).toBe(8);
  });

  it('a third run (the reply was lost again) changes nothing', async () => {
    expect(await app.bot.services.missions.eraseVolunteer(LEAVING)).toEqual({ keptMissions: 0, keptHours: 0 });
    expect(await anonymised(ids[0]!)).toEqual({ hours: 5, volunteers: 1 });
  });
});

describe('attack: the volunteers of one mission erasing their data at the same moment', () => {
  let app: TestApp;
  const time = clock();
  const team = Array.from({ length: 8 }, (_, i) => 7401 + i);

  beforeAll(async () => {
    app = await createSceneHarness('atk_vol_erase_together', { now: time.now });
    await app.bot.services.missions.init();
  });
  afterAll(async () => app?.close());

  it('keeps every one of their hours on the mission', async () => {
    const { missions } = app.bot.services;
    for (const u of team) await addVolunteer(app, u, 'en');
    const { mission: m } = await missions.publish(mission(time.now(), { durationHours: 2 }), STAFF);
    const id = String(m._id);
    for (const u of team) await missions.accept(id, u);
    time.advance(5 * 24 * HOUR);
    expect(await missions.saveAttendance(id, team, STAFF)).toMatchObject({ credited: team.length });
    await Promise.all(team.map((u) => missions.eraseVolunteer(u)));
    const kept = await missionModel(app.mongo).findById(id).lean();
    expect({ hours: kept?.anonymisedHours, volunteers: kept?.anonymisedVolunteers }).toEqual({ hours: 2 * team.length, volunteers: team.length });
  });
});
