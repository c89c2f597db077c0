import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import type { DeliveryJob } from '../../src/delivery/types.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import { missionModel } from '../../src/features/volunteer/mission.model.js';
import { addVolunteer, clock, HOUR, mission } from '../volunteer/helpers.js';
import { until } from '../support/until.js';

const COORDINATOR = 9600;
const TEAM = [9601, 9602];
const LATER_TEAM = [9611, 9612];

/**
 * The project's own delivery queue interface, whose queue (Redis) is away for the next batch of
 * cancellation notices; while `stalled`, queueing never returns, as in a process SIGKILLed
 * between the cancellation's write and its notices.
 */
class NoticesAwayOnce extends RecordingDelivery {
  away = false;
  stalled = false;
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.stalled) return new Promise<void>(() => undefined);
    if (this.away && jobs.some((j) => j.kind === 'mission-notice')) {
      this.away = false;
      throw new TransientError('queue unreachable');
    }
    await super.enqueue(jobs);
  }
}

const cancelNotices = (delivery: RecordingDelivery, id: string) => delivery.jobs.filter((j) => j.id.startsWith(`mc-${id}-`)).map((j) => j.id).sort();

// A coordinator cancels a mission while the delivery queue is away for a moment. The mailbox runs
// the tap again (a passing failure), as it does after a process is killed mid-cancel. The mission
// was marked cancelled before its notices were queued: the tap run again found it cancelled and
// said «no longer there», and the volunteers holding a place were never told it would not take
// place (nor was the cancellation audited).
describe('a mission cancelled while the delivery queue is away for a moment', () => {
  let app: TestApp;
  const delivery = new NoticesAwayOnce();
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  beforeAll(async () => {
    app = await createSceneHarness('attack_cancel_retry', { adminIds: [COORDINATOR], now: time.now, delivery });
    await app.bot.services.missions.init();
    for (const id of [...TEAM, ...LATER_TEAM]) await addVolunteer(app, id, 'en', { region: 'pavlodar' });
  }, 60_000);
  afterAll(async () => app?.close());

  it('every volunteer on the team is told once, the coordinator is told it is cancelled, and it is audited once', async () => {
    const missions = app.bot.services.missions;
    const { mission: m } = await missions.publish(mission(time.now(), { title: 'Park clean-up', region: 'pavlodar', startsAt: new Date(time.now().getTime() + 48 * HOUR) }), COORDINATOR);
    const id = String(m._id);
    for (const v of TEAM) expect((await missions.accept(id, v)).status).toBe('accepted');

    await onboard(app, COORDINATOR);
    await app.tapLike(COORDINATOR, 'Staff');
    await app.tapLike(COORDINATOR, 'Manage volunteer missions');
    await app.tapLike(COORDINATOR, 'Park clean-up');
    await app.tapLike(COORDINATOR, 'Cancel the mission');
    app.drain(COORDINATOR);

    delivery.away = true;
    await app.tapLike(COORDINATOR, 'Yes, cancel it');

    expect((await missions.get(id))?.status).toBe('cancelled');
    expect(cancelNotices(delivery, id)).toEqual(TEAM.map((v) => `mc-${id}-${v}`).sort());
    expect(app.drain(COORDINATOR).join('\n')).toContain('2 volunteers are being told');
    expect(await auditLogModel(app.mongo).countDocuments({ action: 'mission.cancel', target: `mission:${id}` })).toBe(1);
  }, 60_000);

  it('a process killed after marking the mission cancelled: the repair tick tells the team, once', async () => {
    const missions = app.bot.services.missions;
    const { mission: m } = await missions.publish(mission(time.now(), { title: 'Library move', region: 'pavlodar', startsAt: new Date(time.now().getTime() + 48 * HOUR) }), COORDINATOR);
    const id = String(m._id);
    for (const v of LATER_TEAM) expect((await missions.accept(id, v)).status).toBe('accepted');

    delivery.stalled = true;
    void missions.cancelMission(id, COORDINATOR);
    await until('the mission is marked cancelled', async () => (await missionModel(app.mongo).findById(id).lean())?.status === 'cancelled');
    delivery.stalled = false;
    // Not yet: the cancellation may still be queueing them.
    expect(await missions.finishInterruptedCancellations()).toBe(0);

    time.advance(2 * 60_000);
    expect(await missions.finishInterruptedCancellations()).toBe(1);
    expect(cancelNotices(delivery, id)).toEqual(LATER_TEAM.map((v) => `mc-${id}-${v}`).sort());
    expect(await missions.finishInterruptedCancellations()).toBe(0);
    expect(await auditLogModel(app.mongo).countDocuments({ action: 'mission.cancel', target: `mission:${id}` })).toBe(1);
  }, 60_000);
});
