// A volunteer taps Accept while a coordinator cancels the mission. The tap read the mission open,
// took a place, then checked its place without noticing the cancellation (the number of places
// and the version were unchanged), and answered "You are on the team" for a mission that does
// not take place; the cancellation had read its list of volunteers before, so nobody told them.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { MissionStore } from '../../src/features/volunteer/mission-store.js';
import { MissionSeats } from '../../src/features/volunteer/mission-seats.js';
import type { RecordingDelivery } from '../support/app-harness.js';
import { missionAssignmentModel, missionSeatModel } from '../../src/features/volunteer/mission-assignment.model.js';
import { addVolunteer, clock, mission } from '../volunteer/helpers.js';

const COORDINATOR = 9550;
const VOLUNTEER = 9551;

describe('attack: Accept tapped while the mission is being cancelled', () => {
  let app: TestApp;
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  beforeAll(async () => {
    app = await createSceneHarness('atk_accept_cancelled', { adminIds: [COORDINATOR], now: time.now });
    await app.bot.services.missions.init();
    await onboard(app, COORDINATOR);
    await onboard(app, VOLUNTEER);
    await addVolunteer(app, VOLUNTEER, 'en', { region: 'abai' });
  }, 60_000);
  afterAll(async () => app?.close());

  it('the tap whose place is checked after the cancellation is told the mission is cancelled, and holds no place', async () => {
    const missions = app.bot.services.missions;
    const id = String((await missions.publish(mission(time.now(), { region: 'abai' }), COORDINATOR)).mission._id);
    const real = MissionStore.prototype.isBusy;
    // The place is taken; the coordinator's cancellation is saved before the tap checks it.
    const busy = vi.spyOn(MissionStore.prototype, 'isBusy').mockImplementationOnce(async function (this: MissionStore, missionId) {
      // The tap's seat is taken: the cancellation tells them too.
      expect(await missions.cancelMission(missionId, COORDINATOR)).toMatchObject({ told: 1 });
      return real.call(this, missionId);
    });
    try {
      expect(await missions.accept(id, VOLUNTEER)).toMatchObject({ status: 'cancelled' });
    } finally {
      busy.mockRestore();
    }
    expect(await missionSeatModel(app.mongo).countDocuments({ missionId: id })).toBe(0);
    const answer = await missionAssignmentModel(app.mongo).findOne({ missionId: id, volunteerUserId: VOLUNTEER }).lean();
    expect(['accepted', 'waiting', 'claiming']).not.toContain(answer?.status);
    // Tapped again: the same answer.
    expect(await missions.accept(id, VOLUNTEER)).toMatchObject({ status: 'cancelled' });
  });

  it('a tap whose place was checked just before the cancellation, its answer not yet written: the cancellation tells them too', async () => {
    const missions = app.bot.services.missions;
    const id = String((await missions.publish(mission(time.now(), { region: 'abai', title: 'Second fair' }), COORDINATOR)).mission._id);
    const real = MissionSeats.prototype.markAccepted;
    const marking = vi.spyOn(MissionSeats.prototype, 'markAccepted').mockImplementationOnce(async function (this: MissionSeats, ...args) {
      await missions.cancelMission(id, COORDINATOR);
      return real.apply(this, args);
    });
    try {
      await missions.accept(id, VOLUNTEER);
    } finally {
      marking.mockRestore();
    }
    const delivery = app.delivery as RecordingDelivery;
    expect(delivery.jobs.map((j) => j.id)).toContain(`mc-${id}-${VOLUNTEER}`);
  });
});
