// "Delete my data" keeps the hours of completed missions only as anonymous totals on each mission.
// The erasure is run again when a step of it fails for a passing reason (the delivery queue away
// while the volunteer's upcoming place is given up): the hours already moved to the total must
// not be added a second time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { missionModel } from '../../src/features/volunteer/mission.model.js';
import { addVolunteer, clock, HOUR, mission } from '../volunteer/helpers.js';

const COORDINATOR = 9700;
const LEAVER = 9701;

/** The project's own delivery queue interface, whose queue (Redis) is away for the next cancellation. */
class CancelAwayOnce extends RecordingDelivery {
  away = false;
  override async cancel(ids: string[]): Promise<void> {
    if (this.away) {
      this.away = false;
      throw new TransientError('queue unreachable');
    }
    await super.cancel(ids);
  }
}

describe('attack: "delete my data" run again after a passing failure', () => {
  let app: TestApp;
  const delivery = new CancelAwayOnce();
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('atk_erase_retried', { now: time.now, delivery });
    await app.bot.services.missions.init();
    await addVolunteer(app, LEAVER, 'en', { region: 'zhambyl' });
  }, 60_000);
  afterAll(async () => app?.close());

  it('moves the hours of a completed mission to its anonymous total once', async () => {
    const missions = app.bot.services.missions;
    const done = String((await missions.publish(mission(time.now(), { title: 'Done one', region: 'zhambyl', startsAt: new Date(time.now().getTime() + 24 * HOUR) }), COORDINATOR)).mission._id);
    expect((await missions.accept(done, LEAVER)).status).toBe('accepted');
    time.advance(30 * HOUR);
    expect(await missions.saveAttendance(done, [LEAVER], COORDINATOR)).toEqual({ credited: 1, attended: 1 });
    // Then they take a place on a mission ahead.
    const ahead = String((await missions.publish(mission(time.now(), { title: 'Ahead', region: 'zhambyl' }), COORDINATOR)).mission._id);
    expect((await missions.accept(ahead, LEAVER)).status).toBe('accepted');

    delivery.away = true;
    await expect(missions.eraseVolunteer(LEAVER)).rejects.toThrow('queue unreachable');
    expect(await missions.eraseVolunteer(LEAVER)).toEqual({ keptMissions: 1, keptHours: 4 });
    expect(await missionModel(app.mongo).findById(done).lean()).toMatchObject({ anonymisedHours: 4, anonymisedVolunteers: 1 });
    expect(await missions.acceptedCount(ahead)).toBe(0);
  }, 60_000);
});
