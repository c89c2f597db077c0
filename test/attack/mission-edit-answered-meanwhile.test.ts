// The repair pass finishing a change of a mission's details cut short (MissionEdits.finishInterrupted)
// runs the change's follow-up again: a moved start clears the "still coming" answers given for
// an older start. A volunteer answering the new start's reminder writes their answer under the
// mission's lock at the same moment: FerretDB writes an update as the whole document it read, so
// the pass's clearing, read before the answer was written and written after, undid it. The test
// holds the answer's row in the PostgreSQL under the test FerretDB, so both reads come first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { missionModel } from '../../src/features/volunteer/mission.model.js';
import { missionEditModel } from '../../src/features/volunteer/mission-edit.model.js';
import { addVolunteer, clock, HOUR, mission } from '../volunteer/helpers.js';
import { holdRow, testPostgresUrl } from '../support/row-hold.js';
import { untilHeldOrWaiting, watchLock, type LockWatch } from '../support/lock-watch.js';
import { testRedisUrl } from '../support/isolation.js';

const ADMIN = 9350;
const COORD = 9351;
const VOLUNTEER = 9352;

describe.skipIf(!testPostgresUrl())('attack: the repair pass finishing a change of start, and a "still coming" answered meanwhile', () => {
  let app: TestApp;
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  const missions = () => app.bot.services.missions;

  beforeAll(async () => {
    app = await createSceneHarness('atk_mission_edit_answered', { adminIds: [ADMIN], now: time.now });
    await missions().init();
    for (const chat of [ADMIN, COORD, VOLUNTEER]) await onboard(app, chat);
    await app.bot.services.users.makeStaff(COORD, COORD, 'en', ADMIN, { roles: ['coordinator'], regions: ['karaganda'], topics: null });
    await addVolunteer(app, VOLUNTEER, 'en');
  }, 60_000);
  afterAll(async () => app?.close());

  it('the answer for the new start, written as the pass clears older answers, stands', async () => {
    const { mission: published } = await missions().publish(mission(time.now(), { title: 'Moved fair' }), COORD);
    const id = String(published._id);
    await missions().accept(id, VOLUNTEER);
    const to = new Date(published.startsAt.getTime() + 24 * HOUR);
    expect(await missions().editMission(id, 0, 'moved', { startsAt: to }, COORD)).toMatchObject({ status: 'saved', version: 1 });
    // As if the process died before the save's last write: the repair comes round to it.
    await missionEditModel(app.mongo).updateOne({ missionId: published._id, version: 1 }, { $unset: { doneAt: 1, told: 1 } });
    time.advance(2 * 60_000);

    const hold = await holdRow(testPostgresUrl()!, app.mongo.db!.databaseName, 'missionassignments', 'volunteerUserId', String(VOLUNTEER));
    let answering: Promise<unknown> = Promise.resolve();
    let repairing: Promise<number> = Promise.resolve(0);
    let watch: LockWatch | undefined;
    try {
      // The new start's reminder answered: its write waits on the held row, the mission's lock held.
      answering = missions().answerReminder(id, VOLUNTEER, 24, true, 1);
      expect(await hold.untilWaiting(1, 10_000)).toBe(1);
      watch = await watchLock(testRedisUrl(), `${app.config.REDIS_PREFIX}:mission:lock:${id}`);
      repairing = missions().finishInterruptedEdits();
      // The pass's clearing waits on the row too, unless it waits for the mission's lock (seen
      // waiting: lock-watch.ts).
      await untilHeldOrWaiting(hold, 2, watch, 2_000);
    } finally {
      watch?.stop();
      await hold.release();
    }
    expect(await answering).toBe('noted');
    expect(await repairing).toBe(1);

    expect((await missions().roster(id))!.accepted.find((e) => e.userId === VOLUNTEER)?.reminder24).toBe('yes');
    expect((await missionModel(app.mongo).findById(id).lean())!.version).toBe(1);
  });
});
