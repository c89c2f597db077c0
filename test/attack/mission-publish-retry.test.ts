import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import type { DeliveryJob } from '../../src/delivery/types.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { missionModel } from '../../src/features/volunteer/mission.model.js';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import { addVolunteer, clock, mission } from '../volunteer/helpers.js';
import { until } from '../support/until.js';

const COORDINATOR = 9400;
const VOLUNTEERS = [9401, 9402, 9403];
const LATER_VOLUNTEERS = [9411, 9412];

/**
 * The project's own delivery queue interface, whose queue (Redis) is away for the next batch of
 * invitations; while `stalled`, queueing never returns, as in a process SIGKILLed mid-publish.
 */
class InvitationsAwayOnce extends RecordingDelivery {
  away = false;
  stalled = false;
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.stalled) return new Promise<void>(() => undefined);
    if (this.away && jobs.some((j) => j.kind === 'mission-invite')) {
      this.away = false;
      throw new TransientError('queue unreachable');
    }
    await super.enqueue(jobs);
  }
}

// A coordinator taps «Publish and invite» while the delivery queue is away for a moment. The
// mailbox runs the tap again (a passing failure), as it does after a process is killed mid-publish.
// The mission was written before its invitations were queued: running the tap again published
// it a second time, and the first copy stayed open with its volunteers listed as invited but
// never told (so not invited later either).
describe('a mission published while the delivery queue is away for a moment', () => {
  let app: TestApp;
  const delivery = new InvitationsAwayOnce();
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  beforeAll(async () => {
    app = await createSceneHarness('attack_publish_retry', { adminIds: [COORDINATOR], now: time.now, delivery });
    await app.bot.services.missions.init();
    for (const id of VOLUNTEERS) await addVolunteer(app, id, 'en', { region: 'kostanay' });
  }, 60_000);
  afterAll(async () => app?.close());

  it('is published once, and every matching volunteer is invited to it once', async () => {
    await onboard(app, COORDINATOR);
    await app.tapLike(COORDINATOR, 'Staff');
    await app.tapLike(COORDINATOR, 'Publish a volunteer mission');
    await app.say(COORDINATOR, 'Snow clearing');
    await app.say(COORDINATOR, 'Clear the snow from the yards of older neighbours.');
    await app.say(COORDINATOR, '3');
    await app.say(COORDINATOR, 'Kostanay');
    await app.say(COORDINATOR, 'Courtyard of house 12');
    await app.tapLike(COORDINATOR, 'Skip');
    await app.say(COORDINATOR, '28.11.2026 10:00');
    await app.say(COORDINATOR, '3');
    await app.say(COORDINATOR, '5');
    await app.tapLike(COORDINATOR, 'Done');
    await app.say(COORDINATOR, '1');
    expect(app.last(COORDINATOR).text).toContain('3 volunteers match it');
    app.drain(COORDINATOR);

    delivery.away = true;
    await app.tapLike(COORDINATOR, 'Publish and invite');

    const published = await missionModel(app.mongo).find({ title: 'Snow clearing' }).lean();
    expect(published).toHaveLength(1);
    const id = String(published[0]!._id);
    const invites = delivery.jobs.filter((j) => j.kind === 'mission-invite');
    expect(invites.map((j) => j.id).sort()).toEqual(VOLUNTEERS.map((v) => `mi-${id}-${v}`).sort());
    expect(app.drain(COORDINATOR).join('\n')).toContain('3 volunteers are being invited');
  }, 60_000);

  it('a process killed after writing the mission: the repair tick queues its invitations, once', async () => {
    for (const id of LATER_VOLUNTEERS) await addVolunteer(app, id, 'en', { region: 'turkistan' });
    delivery.stalled = true;
    void app.bot.services.missions.publish(mission(time.now(), { title: 'Tree planting', region: 'turkistan' }), COORDINATOR, 'screen-token-1');
    const missions = missionModel(app.mongo);
    await until('the mission is written', async () => (await missions.exists({ title: 'Tree planting' })) !== null);
    const written = (await missions.findOne({ title: 'Tree planting' }).lean())!;
    const id = String(written._id);
    expect([...written.invitedUserIds].sort()).toEqual(LATER_VOLUNTEERS);
    delivery.stalled = false;
    // Not yet: a publish may still be queueing them.
    expect(await app.bot.services.missions.finishInterruptedPublishing()).toBe(0);

    time.advance(2 * 60_000);
    expect(await app.bot.services.missions.finishInterruptedPublishing()).toBe(1);
    expect(delivery.jobs.filter((j) => j.kind === 'mission-invite' && j.id.startsWith(`mi-${id}-`)).map((j) => j.id).sort()).toEqual(LATER_VOLUNTEERS.map((v) => `mi-${id}-${v}`));
    expect(await app.bot.services.missions.finishInterruptedPublishing()).toBe(0);
    expect(await auditLogModel(app.mongo).countDocuments({ action: 'mission.publish', target: `mission:${id}` })).toBe(1);
  }, 60_000);
});
