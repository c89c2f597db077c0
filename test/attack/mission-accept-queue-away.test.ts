// A volunteer taps Accept while the delivery queue (Redis) is away for a moment: the place is
// taken, then scheduling the reminders fails, and the mailbox runs the tap again. The tap run
// again found its own unfinished answer and said "I am still saving your earlier answer, tap
// again in a minute", though the place was theirs; until someone looked at the mission, the
// answer stayed unfinished and no "still coming?" reminder was scheduled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import type { DeliveryJob } from '../../src/delivery/types.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { missionAssignmentModel } from '../../src/features/volunteer/mission-assignment.model.js';
import { addVolunteer, clock, mission } from '../volunteer/helpers.js';

const COORDINATOR = 9900;
const VOLUNTEER = 9901;

/** The project's own delivery queue interface, whose queue is away for the next reminders. */
class RemindersAwayOnce extends RecordingDelivery {
  away = false;
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.away && jobs.some((j) => j.kind === 'mission-reminder')) {
      this.away = false;
      throw new TransientError('queue unreachable');
    }
    await super.enqueue(jobs);
  }
}

describe('attack: Accept tapped while the delivery queue is away for a moment', () => {
  let app: TestApp;
  const delivery = new RemindersAwayOnce();
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('atk_accept_queue_away', { now: time.now, delivery });
    await app.bot.services.missions.init();
    await onboard(app, VOLUNTEER);
    await addVolunteer(app, VOLUNTEER, 'en', { region: 'abai' });
  }, 60_000);
  afterAll(async () => app?.close());

  it('the tap run again finishes the answer: on the team, told so, reminders scheduled', async () => {
    const id = String((await app.bot.services.missions.publish(mission(time.now(), { region: 'abai' }), COORDINATOR)).mission._id);
    app.drain(VOLUNTEER);
    delivery.away = true;
    await app.send(app.api.callback(VOLUNTEER, `ms:acc:${id}`, undefined, { enqueue: false }));
    const told = app.drain(VOLUNTEER).join('\n');
    expect(told).not.toContain('still saving');
    expect(told).toContain('on the team');
    expect((await missionAssignmentModel(app.mongo).findOne({ volunteerUserId: VOLUNTEER }).lean())?.status).toBe('accepted');
    expect(delivery.jobs.filter((j) => j.kind === 'mission-reminder').map((j) => j.id).sort()).toEqual([`mr24-${id}-${VOLUNTEER}`, `mr2-${id}-${VOLUNTEER}`].sort());
  }, 60_000);
});
