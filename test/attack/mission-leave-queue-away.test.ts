// A volunteer gives up their place while the delivery queue (Redis) is away for a moment, and the
// mailbox runs the answer again. Their status was written and the place freed before the queue
// failed (cancelling their reminders), so the answer run again found nothing to release: the place
// stayed empty while others waited for it, and the volunteer was told they had no place. Or the
// queue failed while telling the first on the waiting list: they held the place, never told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import type { DeliveryJob } from '../../src/delivery/types.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { missionAssignmentModel } from '../../src/features/volunteer/mission-assignment.model.js';
import { addVolunteer, clock, mission } from '../volunteer/helpers.js';

const COORDINATOR = 9950;

/** The project's own delivery queue interface, away for the next cancel, or the next batch of a kind. */
class QueueAwayOnce extends RecordingDelivery {
  cancelAway = false;
  enqueueAway?: DeliveryJob['kind'];
  override async cancel(ids: string[]): Promise<void> {
    if (this.cancelAway) {
      this.cancelAway = false;
      throw new TransientError('queue unreachable');
    }
    await super.cancel(ids);
  }
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.enqueueAway && jobs.some((j) => j.kind === this.enqueueAway)) {
      this.enqueueAway = undefined;
      throw new TransientError('queue unreachable');
    }
    await super.enqueue(jobs);
  }
}

describe('attack: a place given up while the delivery queue is away for a moment', () => {
  let app: TestApp;
  const delivery = new QueueAwayOnce();
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('atk_leave_queue_away', { now: time.now, delivery });
    await app.bot.services.missions.init();
    for (const u of [9951, 9952, 9953, 9954]) await addVolunteer(app, u, 'en', { region: 'zhetisu' });
  }, 60_000);
  afterAll(async () => app?.close());

  const statusOf = async (userId: number) => (await missionAssignmentModel(app.mongo).findOne({ volunteerUserId: userId }).lean())?.status;

  it('run again, the answer passes the place on to the first on the waiting list, who is told', async () => {
    const missions = app.bot.services.missions;
    const id = String((await missions.publish(mission(time.now(), { region: 'zhetisu', slots: 1, title: 'One place' }), COORDINATOR)).mission._id);
    expect((await missions.accept(id, 9951)).status).toBe('accepted');
    expect((await missions.accept(id, 9952)).status).toBe('waiting');
    delivery.cancelAway = true;
    await expect(missions.cancelByVolunteer(id, 9951)).rejects.toThrow('queue unreachable');
    expect(await missions.cancelByVolunteer(id, 9951)).toBe('released');
    expect(await statusOf(9952)).toBe('accepted');
    expect(delivery.jobs.some((j) => j.id === `mp-${id}-9952`)).toBe(true);
    expect(await missions.acceptedCount(id)).toBe(1);
  }, 60_000);

  it('the queue away while telling the one who moved up: the answer run again tells them, once', async () => {
    const missions = app.bot.services.missions;
    const id = String((await missions.publish(mission(time.now(), { region: 'zhetisu', slots: 1, title: 'Another place' }), COORDINATOR)).mission._id);
    expect((await missions.accept(id, 9953)).status).toBe('accepted');
    expect((await missions.accept(id, 9954)).status).toBe('waiting');
    delivery.enqueueAway = 'mission-reminder';
    await expect(missions.cancelByVolunteer(id, 9953)).rejects.toThrow('queue unreachable');
    expect(await missions.cancelByVolunteer(id, 9953)).toBe('released');
    expect(await statusOf(9954)).toBe('accepted');
    const told = delivery.jobs.filter((j) => j.id === `mp-${id}-9954`);
    expect(told).toHaveLength(1);
    expect(await missions.isDeliveryWanted(told[0]!)).toBe(true);
    expect(delivery.jobs.some((j) => j.id === `mr24-${id}-9954`)).toBe(true);
  }, 60_000);
});
