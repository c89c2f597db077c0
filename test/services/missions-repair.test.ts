import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Types } from 'mongoose';
import { createSceneHarness, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { missionAssignmentModel, missionSeatModel } from '../../src/features/volunteer/mission-assignment.model.js';
import type { MissionsService } from '../../src/features/volunteer/missions.service.js';
import { MissionSeats } from '../../src/features/volunteer/mission-seats.js';
import { CLAIM_LEASE_MS } from '../../src/features/volunteer/mission-store.js';
import { addVolunteer, clock, mission } from '../volunteer/helpers.js';

const STAFF = 9100;

// What a process that dies half-way through an answer leaves behind, and how it heals without
// anyone running a repair job. Each state is written the way the code path that died leaves it.
describe('missions after a crash mid-answer', () => {
  let app: TestApp;
  let missions: MissionsService;
  let delivery: RecordingDelivery;
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('missions_repair', { now: time.now });
    missions = app.bot.services.missions;
    delivery = app.delivery as RecordingDelivery;
    await missions.init();
  });
  afterAll(async () => app?.close());

  const assignments = () => missionAssignmentModel(app.mongo);
  const seats = () => missionSeatModel(app.mongo);
  const statusOf = async (missionId: Types.ObjectId, userId: number) =>
    (await assignments().findOne({ missionId, volunteerUserId: userId }).lean())?.status;
  const publish = async (region: string, slots: number) => (await missions.publish(mission(time.now(), { region, slots }), STAFF)).mission;
  /** What a tap leaves when its process dies right after claiming the answer. */
  const deadClaim = (missionId: Types.ObjectId, userId: number, claimUntil?: Date) =>
    assignments().create({ missionId, volunteerUserId: userId, status: 'claiming', ...(claimUntil ? { claimUntil } : {}) });

  it('a claim left by a dead tap answers "busy" only until it lapses; then the next tap goes through', async () => {
    await addVolunteer(app, 6001, 'en', { region: 'mangystau' });
    const m = await publish('mangystau', 2);
    const id = String(m._id);
    await deadClaim(m._id, 6001, new Date(time.now().getTime() + CLAIM_LEASE_MS));
    expect(await missions.accept(id, 6001)).toEqual({ status: 'busy' });
    time.advance(CLAIM_LEASE_MS + 1000);
    expect(await missions.accept(id, 6001)).toEqual({ status: 'accepted' });
    expect(await seats().countDocuments({ missionId: m._id })).toBe(1);
    expect(delivery.jobs.some((j) => j.id === `mr24-${id}-6001`)).toBe(true);
    expect((await assignments().findOne({ missionId: m._id, volunteerUserId: 6001 }).lean())?.claimUntil).toBeUndefined();
  });

  it('a claim left by an older version without a time never blocks', async () => {
    await addVolunteer(app, 6002, 'en', { region: 'mangystau' });
    const m = await publish('mangystau', 2);
    await deadClaim(m._id, 6002);
    expect(await missions.accept(String(m._id), 6002)).toEqual({ status: 'accepted' });
  });

  it('a dead claim that had taken a place: the person keeps it, with reminders, once anyone looks', async () => {
    await addVolunteer(app, 6003, 'en', { region: 'zhambyl' });
    const m = await publish('zhambyl', 3);
    const id = String(m._id);
    await seats().create({ missionId: m._id, seat: 0, volunteerUserId: 6003, takenAt: time.now() });
    await deadClaim(m._id, 6003, new Date(time.now().getTime() + CLAIM_LEASE_MS));
    // While the claim may still belong to a live tap, nothing is touched.
    expect((await missions.roster(id))!.accepted).toEqual([]);
    expect(await statusOf(m._id, 6003)).toBe('claiming');
    time.advance(CLAIM_LEASE_MS + 1000);
    const roster = (await missions.roster(id))!;
    expect(roster.accepted.map((e) => e.userId)).toEqual([6003]);
    expect(roster.mission.acceptedCount).toBe(1);
    expect(delivery.jobs.some((j) => j.id === `mr2-${id}-6003`)).toBe(true);
  });

  it('a dead claim without a place is undone, so the invitation buttons work again', async () => {
    await addVolunteer(app, 6004, 'en', { region: 'zhambyl' });
    const m = await publish('zhambyl', 3);
    await deadClaim(m._id, 6004, new Date(time.now().getTime() - 1));
    await missions.repairMission(String(m._id));
    expect(await statusOf(m._id, 6004)).toBe('new');
    expect(await missions.accept(String(m._id), 6004)).toEqual({ status: 'accepted' });
  });

  it('the volunteer page and a reminder about to be sent settle a dead claim too', async () => {
    await addVolunteer(app, 6005, 'en', { region: 'turkistan' });
    const m = await publish('turkistan', 2);
    const id = String(m._id);
    await seats().create({ missionId: m._id, seat: 1, volunteerUserId: 6005, takenAt: new Date(time.now().getTime() - CLAIM_LEASE_MS) });
    await deadClaim(m._id, 6005, new Date(time.now().getTime() - 1));
    const reminder = { id: `mr24-${id}-6005`, chatId: 6005, kind: 'mission-reminder' as const, text: 'x', ref: `mission/${id}/6005` };
    expect(await missions.isDeliveryWanted(reminder)).toBe(true);
    expect(await statusOf(m._id, 6005)).toBe('accepted');

    await addVolunteer(app, 6006, 'en', { region: 'turkistan' });
    await seats().create({ missionId: m._id, seat: 0, volunteerUserId: 6006, takenAt: new Date(time.now().getTime() - CLAIM_LEASE_MS) });
    await deadClaim(m._id, 6006, new Date(time.now().getTime() - 1));
    expect(await missions.upcomingFor(6006)).toEqual([expect.objectContaining({ status: 'accepted' })]);
  });

  it('a "no" cut short before the place was freed: the place goes to the next on the waiting list', async () => {
    await addVolunteer(app, 6007, 'en', { region: 'kyzylorda' });
    await addVolunteer(app, 6008, 'ru', { region: 'kyzylorda' });
    const m = await publish('kyzylorda', 1);
    const id = String(m._id);
    expect(await missions.accept(id, 6007)).toEqual({ status: 'accepted' });
    expect(await missions.accept(id, 6008)).toEqual({ status: 'waiting', position: 1 });
    // The answer was written, the process died before deleting the place.
    await assignments().updateOne({ missionId: m._id, volunteerUserId: 6007 }, { $set: { status: 'cancelled', cancelledAt: time.now() } });
    await missions.roster(id);
    expect(await statusOf(m._id, 6008)).toBe('waiting');
    time.advance(CLAIM_LEASE_MS + 1000);
    const roster = (await missions.roster(id))!;
    expect(roster.accepted.map((e) => e.userId)).toEqual([6008]);
    expect((await seats().find({ missionId: m._id }).lean()).map((s) => s.volunteerUserId)).toEqual([6008]);
    expect(delivery.jobs.find((j) => j.id === `mp-${id}-6008`)?.text).toContain('освободилось место');
  });

  it('a promotion cut short after taking the place: finished, and the person is told', async () => {
    await addVolunteer(app, 6009, 'en', { region: 'ulytau' });
    await addVolunteer(app, 6010, 'en', { region: 'ulytau' });
    const m = await publish('ulytau', 1);
    const id = String(m._id);
    await missions.accept(id, 6009);
    await missions.accept(id, 6010);
    await assignments().updateOne({ missionId: m._id, volunteerUserId: 6009 }, { $set: { status: 'cancelled', cancelledAt: time.now() } });
    await seats().deleteOne({ missionId: m._id, volunteerUserId: 6009 });
    await seats().create({ missionId: m._id, seat: 0, volunteerUserId: 6010, takenAt: time.now() });
    time.advance(CLAIM_LEASE_MS + 1000);
    expect((await missions.roster(id))!.accepted.map((e) => e.userId)).toEqual([6010]);
    expect(delivery.jobs.some((j) => j.id === `mp-${id}-6010`)).toBe(true);
    expect(delivery.jobs.some((j) => j.id === `mr24-${id}-6010`)).toBe(true);
  });

  it('a promotion cut short on a mission cancelled meanwhile: nobody is told of a place, and the place is let go', async () => {
    await addVolunteer(app, 6015, 'en', { region: 'ulytau' });
    await addVolunteer(app, 6016, 'en', { region: 'ulytau' });
    const m = await publish('ulytau', 1);
    const id = String(m._id);
    await missions.accept(id, 6015);
    await missions.accept(id, 6016);
    // The promotion's process died after taking the freed place; the mission was then cancelled
    // by a path that did not settle it (an earlier release, a database edit).
    await assignments().updateOne({ missionId: m._id, volunteerUserId: 6015 }, { $set: { status: 'cancelled', cancelledAt: time.now() } });
    await seats().deleteOne({ missionId: m._id, volunteerUserId: 6015 });
    await seats().create({ missionId: m._id, seat: 0, volunteerUserId: 6016, takenAt: time.now() });
    await app.mongo.collection('missions').updateOne({ _id: m._id }, { $set: { status: 'cancelled' } });
    time.advance(CLAIM_LEASE_MS + 1000);
    await missions.repairMission(id);
    expect(delivery.jobs.some((j) => j.id === `mp-${id}-6016`)).toBe(false);
    expect(delivery.jobs.some((j) => j.id === `mr24-${id}-6016`)).toBe(false);
    expect(await statusOf(m._id, 6016)).toBe('waiting');
    expect(await seats().countDocuments({ missionId: m._id })).toBe(0);
  });

  it('a tap that fails half-way gives the answer back at once instead of leaving it claimed', async () => {
    await addVolunteer(app, 6011, 'en', { region: 'abai' });
    const m = await publish('abai', 1);
    const id = String(m._id);
    const take = vi.spyOn(MissionSeats.prototype, 'take').mockRejectedValueOnce(Object.assign(new Error('socket closed'), { code: 'ECONNRESET' }));
    await expect(missions.accept(id, 6011)).rejects.toThrow('socket closed');
    take.mockRestore();
    expect(await statusOf(m._id, 6011)).toBe('new');
    expect(await missions.accept(id, 6011)).toEqual({ status: 'accepted' });
  });

  it('"No" after a "yes" that died holding a place frees that place for the waiting list', async () => {
    await addVolunteer(app, 6013, 'en', { region: 'akmola' });
    await addVolunteer(app, 6014, 'en', { region: 'akmola' });
    const m = await publish('akmola', 1);
    const id = String(m._id);
    await seats().create({ missionId: m._id, seat: 0, volunteerUserId: 6013, takenAt: time.now() });
    await deadClaim(m._id, 6013, new Date(time.now().getTime() + CLAIM_LEASE_MS));
    expect(await missions.accept(id, 6014)).toEqual({ status: 'waiting', position: 1 });
    expect(await missions.decline(id, 6013)).toBe('busy');
    time.advance(CLAIM_LEASE_MS + 1000);
    expect(await missions.decline(id, 6013)).toBe('released');
    expect(await statusOf(m._id, 6013)).toBe('declined');
    expect(await statusOf(m._id, 6014)).toBe('accepted');
    expect((await seats().find({ missionId: m._id }).lean()).map((s) => s.volunteerUserId)).toEqual([6014]);
  });

  it('cancelling a mission first settles dead answers, so everyone holding a place is told', async () => {
    await addVolunteer(app, 6012, 'kk', { region: 'aktobe' });
    const m = await publish('aktobe', 2);
    const id = String(m._id);
    await seats().create({ missionId: m._id, seat: 0, volunteerUserId: 6012, takenAt: new Date(time.now().getTime() - CLAIM_LEASE_MS) });
    await deadClaim(m._id, 6012, new Date(time.now().getTime() - 1));
    expect(await missions.cancelMission(id, STAFF)).toEqual({ told: 1 });
    expect(delivery.jobs.some((j) => j.id === `mc-${id}-6012`)).toBe(true);
  });
});
