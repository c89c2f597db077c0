import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { missionAssignmentModel, missionSeatModel } from '../../src/features/volunteer/mission-assignment.model.js';
import { missionModel } from '../../src/features/volunteer/mission.model.js';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import type { MissionsService } from '../../src/features/volunteer/missions.service.js';
import { addVolunteer, clock, HOUR, mission } from '../volunteer/helpers.js';

const STAFF = 9000;

describe('MissionsService', () => {
  let app: TestApp;
  let missions: MissionsService;
  let delivery: RecordingDelivery;
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('missions_svc', { now: time.now });
    missions = app.bot.services.missions;
    delivery = app.delivery as RecordingDelivery;
    await missions.init();
  });
  afterAll(async () => app?.close());

  const assignments = () => missionAssignmentModel(app.mongo);
  const jobsFor = (missionId: string) => delivery.jobs.filter((j) => j.id.includes(missionId));

  it('invites only matching volunteers: region, area, every required skill, not paused, not blocked', async () => {
    await addVolunteer(app, 1001, 'en', { skills: ['first-aid', 'driving'] });
    await addVolunteer(app, 1002, 'ru', { skills: ['first-aid'] });
    await addVolunteer(app, 1003, 'kk', { skills: ['first-aid'] });
    await addVolunteer(app, 1004, 'en', { region: 'almaty', skills: ['first-aid'] });
    await addVolunteer(app, 1005, 'en', { areas: ['animals'], skills: ['first-aid'] });
    await addVolunteer(app, 1006, 'en', { skills: [] });
    await addVolunteer(app, 1007, 'en', { skills: ['first-aid'] });
    await app.bot.services.volunteers.setPaused(1007, true);
    await addVolunteer(app, 1008, 'en', { skills: ['first-aid'] });
    await app.bot.services.users.setBlocked(1008, true);

    const criteria = { region: 'karaganda', area: 'people-in-need', skills: ['first-aid'] };
    expect(await missions.countMatching(criteria)).toBe(3);
    expect(await missions.countMatching({ ...criteria, skills: [] })).toBe(4);
    expect(await missions.countMatching({ ...criteria, skills: ['first-aid', 'driving'] })).toBe(1);

    const { mission: m, invited } = await missions.publish(mission(time.now(), { skills: ['first-aid'], title: 'Fair 1' }), STAFF);
    const id = String(m._id);
    expect(invited).toBe(3);
    const invites = jobsFor(id).filter((j) => j.kind === 'mission-invite');
    expect(invites.map((j) => j.id).sort()).toEqual([`mi-${id}-1001`, `mi-${id}-1002`, `mi-${id}-1003`]);
    // Each in the volunteer's own language, with Accept / Decline buttons that fit in 64 bytes.
    const byUser = (u: number) => invites.find((j) => j.chatId === u)!;
    expect(byUser(1001).text).toContain('A volunteer mission needs help');
    expect(byUser(1001).text).toContain('Skills needed: First aid');
    expect(byUser(1002).text).toContain('Волонтёрской миссии нужна помощь');
    expect(byUser(1002).text).toContain('Карагандинская область');
    expect(byUser(1003).text).toContain('Волонтерлік миссияға көмек керек');
    expect(byUser(1003).buttons?.flat().map((b) => b.text)).toEqual(['Иә, көмектесемін', 'Жоқ, келе алмаймын']);
    for (const job of invites) {
      expect(job.id).not.toContain(':');
      for (const b of job.buttons!.flat()) expect(Buffer.byteLength(b.data!)).toBeLessThanOrEqual(64);
    }
    expect(byUser(1001).buttons?.flat().map((b) => b.data)).toEqual([`ms:acc:${id}`, `ms:dec:${id}`]);
    const audit = await auditLogModel(app.mongo).findOne({ action: 'mission.publish', target: `mission:${id}` }).lean();
    expect(audit).toMatchObject({ actorId: STAFF, details: { invited: 3 } });
  });

  it('pausing stops invitations and makes pending ones unwanted', async () => {
    const { mission: m } = await missions.publish(mission(time.now(), { title: 'Fair 2' }), STAFF);
    const id = String(m._id);
    const invite = delivery.jobs.find((j) => j.id === `mi-${id}-1001`)!;
    expect(await missions.isDeliveryWanted(invite)).toBe(true);
    await app.bot.services.volunteers.setPaused(1001, true);
    expect(await missions.isDeliveryWanted(invite)).toBe(false);
    const { mission: later } = await missions.publish(mission(time.now(), { title: 'Fair 3' }), STAFF);
    expect(delivery.jobs.some((j) => j.id === `mi-${String(later._id)}-1001`)).toBe(false);
    await app.bot.services.volunteers.setPaused(1001, false);
  });

  it('gives exactly 10 of 50 concurrent taps a slot; the rest wait in order; double taps take one slot', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => 2000 + i);
    // The mission's area only and no particular times: each volunteer answers to 2 match keys
    // instead of the default profile's 8, and signs up in half the writes; the taps are the point.
    const tapper = { region: 'pavlodar', areas: ['people-in-need'], availability: [] };
    for (const u of ids) await addVolunteer(app, u, 'en', tapper);
    const { mission: m } = await missions.publish(mission(time.now(), { region: 'pavlodar', slots: 10 }), STAFF);
    const id = String(m._id);
    // Every volunteer taps twice at once: results[i] and results[i + 50] are the same person's.
    const results = await Promise.all([...ids, ...ids].map((u) => missions.accept(id, u)));

    // Exactly 10 places, held by exactly the 10 who were told "accepted"; each person answered once.
    const told = (status: string) => ids.filter((u, i) => results[i]!.status === status || results[i + 50]!.status === status);
    expect(told('accepted')).toHaveLength(10);
    expect(told('waiting')).toHaveLength(40);
    ids.forEach((u, i) => {
      const pair = [results[i]!.status, results[i + 50]!.status].sort();
      expect([['accepted', 'already-accepted'], ['already-waiting', 'waiting']], `volunteer ${u}`).toContainEqual(pair);
    });
    const seats = await missionSeatModel(app.mongo).find({ missionId: m._id }).lean();
    expect(seats.map((s) => s.volunteerUserId).sort()).toEqual(told('accepted').sort());
    expect(seats.map((s) => s.seat).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const accepted = await assignments().find({ missionId: m._id, status: 'accepted' }).lean();
    expect(accepted.map((a) => a.volunteerUserId).sort()).toEqual(told('accepted').sort());
    expect(await missions.acceptedCount(m._id)).toBe(10);
    expect(await assignments().countDocuments({ missionId: m._id })).toBe(50);

    // The waiting list is a strict order: 40 distinct stamps, places 1 to 40 with nobody twice.
    const waiting = await assignments().find({ missionId: m._id, status: 'waiting' }).sort({ seq: 1 }).lean();
    expect(waiting.map((w) => w.volunteerUserId).sort()).toEqual(told('waiting').sort());
    expect(new Set(waiting.map((w) => w.seq)).size).toBe(40);
    const roster = (await missions.roster(id))!;
    expect(roster.waiting.map((w) => w.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(roster.waiting.map((w) => w.userId)).toEqual(waiting.map((w) => w.volunteerUserId));
    // A place told to someone at their tap can only have moved back, never forward, as later taps landed before them.
    const finalPlace = new Map(roster.waiting.map((w) => [w.userId, w.position!]));
    ids.forEach((u, i) => {
      const r = results[i]!.status === 'waiting' ? results[i]! : results[i + 50]!;
      if (r.status === 'waiting') expect(r.position).toBeLessThanOrEqual(finalPlace.get(u)!);
    });

    // Someone tapping later joins the end of the list.
    await addVolunteer(app, 2050, 'en', tapper);
    expect(await missions.accept(id, 2050)).toEqual({ status: 'waiting', position: 41 });

    // Freed places go to the first on the waiting list, in order, each told through the queue.
    const holders = accepted.slice(0, 2).map((a) => a.volunteerUserId);
    for (const [n, holder] of holders.entries()) {
      expect(await missions.cancelByVolunteer(id, holder)).toBe('released');
      const promoted = waiting[n]!.volunteerUserId;
      expect((await assignments().findOne({ missionId: m._id, volunteerUserId: promoted }).lean())?.status).toBe('accepted');
      expect(delivery.jobs.find((j) => j.id === `mp-${id}-${promoted}`)?.text).toContain('a place has opened');
      expect(delivery.cancelled).toContain(`mr24-${id}-${holder}`);
      expect(await missions.accept(id, promoted)).toEqual({ status: 'already-accepted' });
    }
    expect(await missions.acceptedCount(m._id)).toBe(10);
    // Everyone behind them moved up by two.
    expect(await missions.accept(id, waiting[2]!.volunteerUserId)).toEqual({ status: 'already-waiting', position: 1 });
    expect(await missions.accept(id, 2050)).toEqual({ status: 'already-waiting', position: 39 });
  });

  it('schedules reminders 24 h and 2 h before, and handles the answers', async () => {
    await addVolunteer(app, 3001, 'ru', { region: 'abai' });
    await addVolunteer(app, 3002, 'en', { region: 'abai' });
    await addVolunteer(app, 3003, 'en', { region: 'abai' });
    const start = new Date(time.now().getTime() + 2 * 24 * HOUR);
    const { mission: m } = await missions.publish(mission(time.now(), { region: 'abai', slots: 2, startsAt: start }), STAFF);
    const id = String(m._id);
    expect(await missions.accept(id, 3001)).toEqual({ status: 'accepted' });
    expect(await missions.accept(id, 3002)).toEqual({ status: 'accepted' });
    expect(await missions.accept(id, 3003)).toEqual({ status: 'waiting', position: 1 });
    const r24 = delivery.jobs.find((j) => j.id === `mr24-${id}-3001`)!;
    const r2 = delivery.jobs.find((j) => j.id === `mr2-${id}-3001`)!;
    expect(r24.kind).toBe('mission-reminder');
    expect(r24.notBefore?.getTime()).toBe(start.getTime() - 24 * HOUR);
    expect(r2.notBefore?.getTime()).toBe(start.getTime() - 2 * HOUR);
    expect(r24.text).toContain('начнётся через 24 часа');
    expect(r2.text).toContain('через 2 часа');
    expect(r24.buttons?.flat().map((b) => b.data)).toEqual([`ms:ry:24:${id}`, `ms:rn:24:${id}`]);
    expect(delivery.jobs.some((j) => j.id === `mr24-${id}-3003`)).toBe(false);
    expect(await missions.isDeliveryWanted(r24)).toBe(true);

    expect(await missions.answerReminder(id, 3001, 24, true)).toBe('noted');
    expect(await missions.answerReminder(id, 3002, 24, false)).toBe('released');
    expect(await missions.isDeliveryWanted(delivery.jobs.find((j) => j.id === `mr2-${id}-3002`)!)).toBe(false);
    // 3003 moved up from the waiting list and gets reminders of their own.
    expect(delivery.jobs.some((j) => j.id === `mp-${id}-3003`)).toBe(true);
    expect(delivery.jobs.some((j) => j.id === `mr2-${id}-3003`)).toBe(true);
    const roster = (await missions.roster(id))!;
    expect(roster.accepted.map((e) => [e.userId, e.reminder24 ?? null, e.phone])).toEqual([
      [3001, 'yes', '+77011234567'],
      [3003, null, '+77011234567'],
    ]);
    expect(roster.waiting).toEqual([]);
  });

  it('cancelling a mission tells everyone holding or waiting, drops pending jobs, and makes the rest unwanted', async () => {
    await addVolunteer(app, 4001, 'kk', { region: 'atyrau' });
    await addVolunteer(app, 4002, 'en', { region: 'atyrau' });
    const { mission: m } = await missions.publish(mission(time.now(), { region: 'atyrau', slots: 1 }), STAFF);
    const id = String(m._id);
    await missions.accept(id, 4001);
    await missions.accept(id, 4002);
    const reminder = delivery.jobs.find((j) => j.id === `mr24-${id}-4001`)!;
    expect(await missions.cancelMission(id, STAFF)).toEqual({ told: 2 });
    expect(delivery.cancelled).toEqual(expect.arrayContaining([`mi-${id}-4001`, `mi-${id}-4002`, `mr24-${id}-4001`, `mr2-${id}-4001`]));
    expect(delivery.jobs.find((j) => j.id === `mc-${id}-4001`)?.text).toContain('миссиясын');
    expect(delivery.jobs.find((j) => j.id === `mc-${id}-4002`)?.text).toContain('has been cancelled');
    expect(await missions.isDeliveryWanted(reminder)).toBe(false);
    expect(await missions.accept(id, 4002)).toEqual({ status: 'cancelled' });
    expect(await missions.cancelMission(id, STAFF)).toBeNull();
    expect(await auditLogModel(app.mongo).countDocuments({ action: 'mission.cancel', target: `mission:${id}` })).toBe(1);
  });

  it('credits hours once however many times attendance is saved, and keeps them anonymised on erase', async () => {
    await addVolunteer(app, 5001, 'en', { region: 'kostanay' });
    await addVolunteer(app, 5002, 'en', { region: 'kostanay' });
    const start = new Date(time.now().getTime() + 26 * HOUR);
    const { mission: m } = await missions.publish(mission(time.now(), { region: 'kostanay', startsAt: start, durationHours: 5 }), STAFF);
    const id = String(m._id);
    await missions.accept(id, 5001);
    await missions.accept(id, 5002);
    expect(await missions.saveAttendance(id, [5001], STAFF)).toBe('not-ended');
    time.set(new Date(start.getTime() + 6 * HOUR));
    expect(await missions.cancelByVolunteer(id, 5001)).toBe('started');
    expect(await missions.saveAttendance(id, [5001, 5002], STAFF)).toEqual({ attended: 2, credited: 2 });
    expect(await missions.saveAttendance(id, [5001, 5002], STAFF)).toEqual({ attended: 2, credited: 0 });
    await Promise.all([missions.saveAttendance(id, [5001, 5002], STAFF), missions.saveAttendance(id, [5001, 5002], STAFF)]);
    expect(await missions.hours(5001)).toMatchObject({ total: 5, thisYear: 5, missions: [{ title: 'Charity fair', hours: 5 }] });
    // A correction takes the hours away again.
    await missions.saveAttendance(id, [5001], STAFF);
    expect((await missions.hours(5002)).total).toBe(0);
    expect(await auditLogModel(app.mongo).countDocuments({ action: 'mission.attendance', target: `mission:${id}` })).toBe(5);

    const kept = await missions.eraseVolunteer(5001);
    expect(kept).toEqual({ keptMissions: 1, keptHours: 5 });
    expect(await assignments().countDocuments({ volunteerUserId: 5001 })).toBe(0);
    expect((await missionModel(app.mongo).findById(m._id).lean())?.anonymisedHours).toBe(5);
  });
});
