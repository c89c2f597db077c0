// Staff change a published mission's details: each field by tapping and by typing with the
// publishing form's own checks, the volunteers told once per change in their language,
// reminders moved with the start, and the refusals: revoked staff, another region's mission
// (forged button), a cancelled mission, two coordinators saving at once, too few places.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { missionModel } from '../../src/features/volunteer/mission.model.js';
import { missionSeatModel } from '../../src/features/volunteer/mission-assignment.model.js';
import { missionEditModel } from '../../src/features/volunteer/mission-edit.model.js';
import { missionStaffCallbacks } from '../../src/features/volunteer/callbacks.js';
import type { Access } from '../../src/app/access.js';
import type { DeliveryJob } from '../../src/delivery/types.js';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/db/connect.js';
import { createLogger } from '../../src/logger.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { AuditService } from '../../src/services/audit.js';
import { VolunteersService } from '../../src/features/volunteer/volunteers.service.js';
import { MissionsService } from '../../src/features/volunteer/missions.service.js';
import { addVolunteer, clock, HOUR, mission } from './helpers.js';

const ADMIN = 9100;
const COORD = 9101;
const OTHER = 9102;
const FAR = 9103;
const LEAVER = 9104;
const coordinator = (regions: string[]): Access => ({ roles: ['coordinator'], regions, topics: null });

describe('changing a published mission', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  const missions = () => app.bot.services.missions;
  const editJobs = (id: string) => delivery.jobs.filter((j) => j.id.startsWith(`me-${id}-`));
  const latest = async (id: string) => (await missionModel(app.mongo).findById(id).lean())!;

  async function publish(title: string, over: Parameters<typeof mission>[1] = {}): Promise<string> {
    const { mission: m } = await missions().publish(mission(time.now(), { title, ...over }), COORD);
    return String(m._id);
  }

  /** Staff → Manage volunteer missions → the mission → Change details. */
  async function openEdit(chat: number, title: string): Promise<void> {
    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Staff');
    await app.tapLike(chat, 'Manage volunteer missions');
    await app.tapLike(chat, title);
    await app.tapLike(chat, 'Change details');
    expect(app.last(chat).text).toContain('What would you like to change?');
    app.drain(chat);
  }

  beforeAll(async () => {
    app = await createSceneHarness('vol_mission_edit', { adminIds: [ADMIN], now: time.now });
    delivery = app.delivery as RecordingDelivery;
    await missions().init();
    for (const chat of [ADMIN, COORD, OTHER, FAR, LEAVER]) await onboard(app, chat);
    await app.bot.services.users.makeStaff(COORD, COORD, 'en', ADMIN, coordinator(['karaganda']));
    await app.bot.services.users.makeStaff(OTHER, OTHER, 'en', ADMIN, coordinator(['karaganda']));
    await app.bot.services.users.makeStaff(FAR, FAR, 'en', ADMIN, coordinator(['almaty']));
    await app.bot.services.users.makeStaff(LEAVER, LEAVER, 'en', ADMIN, coordinator(['karaganda']));
    await addVolunteer(app, 9201, 'en');
    await addVolunteer(app, 9202, 'ru');
    await addVolunteer(app, 9203, 'kk');
  }, 60_000);
  afterAll(async () => app?.close());

  describe('each field, tapped and typed', () => {
    let id: string;
    beforeAll(async () => {
      id = await publish('Edit fair', { slots: 2 });
      for (const u of [9201, 9202, 9203]) await missions().accept(id, u);
    });

    it('title by tapping: a bad title is asked again; the confirm shows old → new; everyone told once, in their language', async () => {
      await openEdit(COORD, 'Edit fair');
      await app.tapLike(COORD, 'Title');
      await app.say(COORD, 'ab');
      expect(app.drain(COORD).join('\n')).toMatch(/too short/i);
      expect(app.last(COORD).text).toContain('What is the mission called?');
      await app.say(COORD, 'Winter fair');
      expect(app.last(COORD).text).toContain('Title: Edit fair → Winter fair');
      await app.tapLike(COORD, 'Save and tell volunteers');
      expect(app.drain(COORD).join('\n')).toContain('The change is saved. 3 volunteers are being told.');
      const m = await latest(id);
      expect(m).toMatchObject({ title: 'Winter fair', version: 1 });
      // The two on the team and the one waiting, each once, in their own language.
      expect(editJobs(id).map((j) => j.id).sort()).toEqual([9201, 9202, 9203].map((u) => `me-${id}-${u}-v1`));
      expect(delivery.jobs.find((j) => j.id === `me-${id}-9201-v1`)?.text).toContain('Title: Edit fair → Winter fair');
      expect(delivery.jobs.find((j) => j.id === `me-${id}-9202-v1`)?.text).toContain('Название: Edit fair → Winter fair');
      expect(delivery.jobs.find((j) => j.id === `me-${id}-9203-v1`)?.text).toContain('Атауы: Edit fair → Winter fair');
      const audit = (await app.bot.services.audit.recent(20, { action: 'mission.edit' })).filter((a) => a.target === `mission:${id}`);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorId: COORD, details: { fields: ['title'], version: 1 } });
    });

    it('description and place by typing the words; a bad answer is asked again', async () => {
      await openEdit(COORD, 'Winter fair');
      await app.say(COORD, 'description');
      await app.say(COORD, 'too short');
      expect(app.drain(COORD).join('\n')).toMatch(/too short/i);
      await app.say(COORD, 'Help visitors find the stalls and carry boxes.');
      expect(app.last(COORD).text).toContain('Description, new: Help visitors find the stalls and carry boxes.');
      await app.say(COORD, '1');
      expect(app.drain(COORD).join('\n')).toContain('The change is saved.');
      expect((await latest(id)).description).toBe('Help visitors find the stalls and carry boxes.');

      await openEdit(COORD, 'Winter fair');
      await app.say(COORD, 'place');
      await app.say(COORD, 'x');
      expect(app.drain(COORD).join('\n')).toMatch(/too short/i);
      await app.say(COORD, 'Town hall, side door');
      await app.tapLike(COORD, 'Skip');
      expect(app.last(COORD).text).toContain('Place: Central park → Town hall, side door');
      await app.say(COORD, 'Save and tell volunteers');
      expect(app.drain(COORD).join('\n')).toContain('The change is saved.');
      expect(await latest(id)).toMatchObject({ place: 'Town hall, side door', version: 3 });
      expect(delivery.jobs.find((j) => j.id === `me-${id}-9202-v3`)?.text).toContain('Место: Central park → Town hall, side door');
    });

    it('start: a past time is asked again; the reminders follow the new start, and the old ones do nothing', async () => {
      const oldReminder = delivery.jobs.find((j) => j.id === `mr24-${id}-9201`)!;
      expect(oldReminder).toBeDefined();
      expect(await missions().answerReminder(id, 9201, 24, true)).toBe('noted');
      await openEdit(COORD, 'Winter fair');
      await app.tapLike(COORD, 'Start date and time');
      await app.say(COORD, '01.01.2020 10:00');
      expect(app.drain(COORD).join('\n')).toContain('already passed');
      await app.say(COORD, '25.11.2026 15:00');
      expect(app.last(COORD).text).toContain('Start: 23.11.2026 11:00 → 25.11.2026 15:00');
      await app.tapLike(COORD, 'Save and tell volunteers');
      expect(app.drain(COORD).join('\n')).toContain('The change is saved. 3 volunteers are being told.');
      const m = await latest(id);
      expect(m.startsAt.toISOString()).toBe('2026-11-25T10:00:00.000Z');
      const fresh = delivery.jobs.find((j) => j.id === `mr24-${id}-9201-v4`);
      expect(fresh?.notBefore?.toISOString()).toBe('2026-11-24T10:00:00.000Z');
      expect(fresh?.text).toContain('25.11.2026 15:00');
      expect(delivery.jobs.some((j) => j.id === `mr2-${id}-9201-v4`)).toBe(true);
      // Only those holding a place get reminders (9203 waits).
      expect(delivery.jobs.some((j) => j.id.startsWith(`mr24-${id}-9203`))).toBe(false);
      expect(delivery.cancelled).toEqual(expect.arrayContaining([`mr24-${id}-9201-v3`, `mr2-${id}-9202-v3`]));
      // An old reminder that slipped through the cancel is dropped at send time.
      expect(await missions().isDeliveryWanted(oldReminder)).toBe(false);
      expect(await missions().isDeliveryWanted(fresh!)).toBe(true);
      expect(delivery.jobs.find((j) => j.id === `me-${id}-9201-v4`)?.text).toContain('Start: 23.11.2026 11:00 → 25.11.2026 15:00');
      // "Still coming" was said for the old time: asked again for the new one.
      const roster = (await missions().roster(id))!;
      expect(roster.accepted.find((e) => e.userId === 9201)?.reminder24).toBeUndefined();
    });

    it('duration: out of range asked again; hours counted later use the new duration', async () => {
      await openEdit(COORD, 'Winter fair');
      await app.say(COORD, '5');
      await app.say(COORD, '30');
      expect(app.drain(COORD).join('\n')).toContain('from 1 to 24');
      await app.say(COORD, '6');
      expect(app.last(COORD).text).toContain('Duration, hours: 4 → 6');
      await app.tapLike(COORD, 'Save and tell volunteers');
      expect(app.drain(COORD).join('\n')).toContain('The change is saved.');
      expect((await latest(id)).durationHours).toBe(6);
    });

    it('places: not below the places taken (asked again); more places move the waiting list up', async () => {
      await openEdit(COORD, 'Winter fair');
      await app.tapLike(COORD, 'Number of volunteers');
      await app.say(COORD, '1');
      expect(app.drain(COORD).join('\n')).toContain('2 volunteers already hold a place');
      expect(app.last(COORD).text).toContain('How many volunteers are needed?');
      await app.say(COORD, '0');
      expect(app.drain(COORD).join('\n')).toContain('from 1 to 500');
      await app.say(COORD, '3');
      expect(app.last(COORD).text).toContain('Volunteers needed: 2 → 3');
      await app.tapLike(COORD, 'Save and tell volunteers');
      expect(app.drain(COORD).join('\n')).toContain('The change is saved.');
      const m = await latest(id);
      expect(m.slots).toBe(3);
      expect(delivery.jobs.some((j) => j.id === `mp-${id}-9203`)).toBe(true);
      expect(await missions().acceptedCount(id)).toBe(3);
      // Its reminders are of the current version.
      expect(delivery.jobs.some((j) => j.id === `mr24-${id}-9203-v${m.version}`)).toBe(true);

      // The same screen, "No": nothing changes.
      await openEdit(COORD, 'Winter fair');
      await app.tapLike(COORD, 'Title');
      await app.say(COORD, 'Another title');
      await app.tapLike(COORD, 'No, keep it as it was');
      expect(app.drain(COORD).join('\n')).toContain('Nothing was changed');
      expect((await latest(id)).title).toBe('Winter fair');

      // After the end, attendance credits the new duration (6 hours, not 4).
      time.set(new Date(new Date(m.startsAt).getTime() + 7 * HOUR));
      await missions().saveAttendance(id, [9201], COORD);
      expect((await missions().hours(9201)).total).toBe(6);
      time.set(new Date('2026-11-20T06:00:00Z'));
    });
  });

  it('fewer places moves the places numbered beyond the new number inside it, so the team never grows past it', async () => {
    const id = await publish('Shrinking fair', { slots: 10 });
    await missions().accept(id, 9201);
    await missions().accept(id, 9202);
    const seats = missionSeatModel(app.mongo);
    // Places are taken at random numbers: put them at the top on purpose (through numbers nobody holds).
    for (const [user, seat] of [[9201, 109], [9202, 108], [9201, 9], [9202, 8]] as const) await seats.updateOne({ missionId: id, volunteerUserId: user }, { $set: { seat } });
    expect(await missions().editMission(id, 0, 'shrink', { slots: 1 }, COORD)).toEqual({ status: 'too-few-places', taken: 2 });
    const saved = await missions().editMission(id, 0, 'shrink', { slots: 3 }, COORD);
    expect(saved).toMatchObject({ status: 'saved', version: 1 });
    expect(await missions().editMission(id, 1, 'same', { slots: 3 }, COORD)).toEqual({ status: 'unchanged' });
    const numbers = (await seats.find({ missionId: id }).lean()).map((s) => s.seat);
    expect(numbers.every((n) => n < 3)).toBe(true);
    // A tap that read the mission before the change took number 9 (simulated): the repair moves it inside.
    await seats.updateOne({ missionId: id, volunteerUserId: 9201 }, { $set: { seat: 9 } });
    await missions().repairMission(id);
    expect((await seats.find({ missionId: id }).lean()).every((s) => s.seat < 3)).toBe(true);
    expect((await missions().accept(id, 9203)).status).toBe('accepted');
    await addVolunteer(app, 9204, 'en');
    expect((await missions().accept(id, 9204)).status).toBe('waiting');
    expect(await seats.countDocuments({ missionId: id })).toBe(3);
  });

  it('a save run again (a retry after a crash) tells each volunteer once and is audited once', async () => {
    const id = await publish('Retry fair');
    await missions().accept(id, 9201);
    const first = await missions().editMission(id, 0, 'screen-1', { place: 'Old mill' }, COORD);
    const again = await missions().editMission(id, 0, 'screen-1', { place: 'Old mill' }, COORD);
    expect(first).toMatchObject({ status: 'saved', version: 1, told: 1 });
    expect(again).toMatchObject({ status: 'saved', version: 1 });
    expect(editJobs(id).map((j) => j.id)).toEqual([`me-${id}-9201-v1`]);
    expect((await app.bot.services.audit.recent(50, { action: 'mission.edit' })).filter((a) => a.target === `mission:${id}`)).toHaveLength(1);

    // A crash right after the change was claimed (the record written, the mission not yet):
    // the next look at the mission finishes it, and the same save run again reports it saved.
    const before = await latest(id);
    await missionEditModel(app.mongo).create({
      missionId: before._id,
      version: 2,
      token: 'screen-2',
      by: COORD,
      changes: { durationHours: 5 },
      before: { durationHours: 4 },
      at: time.now(),
    });
    expect(await missions().editMission(id, 1, 'screen-2', { durationHours: 5 }, COORD)).toMatchObject({ status: 'saved', version: 2 });
    expect(await latest(id)).toMatchObject({ durationHours: 5, version: 2 });
    expect(editJobs(id).filter((j) => j.id.endsWith('-v2'))).toHaveLength(1);
    // Another coordinator with a screen of version 1 is refused: the mission changed meanwhile.
    expect(await missions().editMission(id, 1, 'screen-3', { durationHours: 7 }, OTHER)).toEqual({ status: 'stale' });
  });

  it('two coordinators save at once: one wins, the other is told the mission changed', async () => {
    const id = await publish('Race fair');
    await missions().accept(id, 9201);
    const results = await Promise.all([
      missions().editMission(id, 0, 'a', { title: 'Race fair A' }, COORD),
      missions().editMission(id, 0, 'b', { title: 'Race fair B' }, OTHER),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['saved', 'stale']);
    expect(await missionEditModel(app.mongo).countDocuments({ missionId: id })).toBe(1);
    const m = await latest(id);
    expect(m.version).toBe(1);
    expect(m.title).toBe(results[0].status === 'saved' ? 'Race fair A' : 'Race fair B');
    expect(editJobs(id)).toHaveLength(1);

    // Through the chat: both screens open at version 1, the first to save wins.
    await openEdit(COORD, m.title);
    await app.tapLike(COORD, 'Title');
    await app.say(COORD, 'Race fair by one');
    await openEdit(OTHER, m.title);
    await app.tapLike(OTHER, 'Title');
    await app.say(OTHER, 'Race fair by two');
    await app.tapLike(COORD, 'Save and tell volunteers');
    expect(app.drain(COORD).join('\n')).toContain('The change is saved.');
    await app.tapLike(OTHER, 'Save and tell volunteers');
    expect(app.drain(OTHER).join('\n')).toContain('Someone else changed this mission');
    expect((await latest(id)).title).toBe('Race fair by one');
    expect(editJobs(id).filter((j) => j.id.endsWith('-v2'))).toHaveLength(1);
  });

  it('a change and a cancellation at once: the mission stays cancelled (one writer of the record at a time)', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await publish(`Clash fair ${round}`);
      await missions().accept(id, 9201);
      const [edit] = await Promise.all([missions().editMission(id, 0, `clash-${round}`, { durationHours: 8 }, COORD), missions().cancelMission(id, OTHER)]);
      const m = await latest(id);
      expect(m.status).toBe('cancelled');
      // Either the change came first (and stands under the cancellation) or it was refused.
      if (edit.status === 'saved') expect(m).toMatchObject({ durationHours: 8, version: 1 });
      else expect(edit).toEqual({ status: 'closed' });
    }
  });

  it('two processes saving at once with no lock between them (Redis away): the unique index lets one through', async () => {
    // Each service on its own connection and without Redis, as two bot processes whose lock is gone.
    const connections: Connection[] = [await connectMongo(app.mongoUri), await connectMongo(app.mongoUri)];
    try {
      const [a, b] = connections.map((connection) => {
        const deps = { connection, cipher: createDataCipher(app.config.DATA_KEY), config: app.config, i18n: app.bot.i18n, delivery: app.delivery, logger: createLogger('silent'), now: time.now };
        return new MissionsService(deps, new VolunteersService(deps), new AuditService(deps));
      });
      for (let round = 0; round < 4; round++) {
        const id = await publish(`Index fair ${round}`);
        await missions().accept(id, 9201);
        const results = await Promise.all([
          a!.editMission(id, 0, `a-${round}`, { durationHours: 2 }, COORD),
          b!.editMission(id, 0, `b-${round}`, { durationHours: 3 }, OTHER),
        ]);
        expect(results.filter((r) => r.status === 'saved')).toHaveLength(1);
        expect(await missionEditModel(app.mongo).countDocuments({ missionId: id })).toBe(1);
        const winner = (await missionEditModel(app.mongo).findOne({ missionId: id }).lean())!;
        expect(await latest(id)).toMatchObject({ version: 1, durationHours: (winner.changes as { durationHours: number }).durationHours });
        expect(editJobs(id).map((j) => j.id)).toEqual([`me-${id}-9201-v1`]);
      }
    } finally {
      for (const c of connections) await c.close();
    }
  });

  it('a coordinator whose access is withdrawn while the screen is open is refused at save, and audited', async () => {
    const id = await publish('Revoke fair');
    await openEdit(LEAVER, 'Revoke fair');
    await app.tapLike(LEAVER, 'Title');
    await app.say(LEAVER, 'Revoke fair changed');
    expect(app.last(LEAVER).text).toContain('Revoke fair → Revoke fair changed');
    expect(await app.bot.services.staff.revoke(ADMIN, LEAVER)).toBe(true);
    await app.tapLike(LEAVER, 'Save and tell volunteers');
    expect(app.drain(LEAVER).join('\n')).toMatch(/access/i);
    expect(await latest(id)).toMatchObject({ title: 'Revoke fair', version: 0 });
    const denied = (await app.bot.services.audit.recent(50, { action: 'access.denied' })).filter((a) => a.actorId === LEAVER);
    expect(denied.length).toBeGreaterThan(0);
  });

  it('a coordinator moved to another region is refused at save', async () => {
    const id = await publish('Moved fair');
    await app.bot.services.users.makeStaff(LEAVER, LEAVER, 'en', ADMIN, coordinator(['karaganda']));
    await openEdit(LEAVER, 'Moved fair');
    await app.say(LEAVER, 'duration');
    await app.say(LEAVER, '2');
    await app.bot.services.users.makeStaff(LEAVER, LEAVER, 'en', ADMIN, coordinator(['almaty']));
    await app.say(LEAVER, '1');
    expect(app.drain(LEAVER).join('\n')).toMatch(/access/i);
    expect((await latest(id)).durationHours).toBe(4);
  });

  it('a cancelled mission cannot be changed: not from a screen opened before, not from its button', async () => {
    const id = await publish('Cancel fair');
    await missions().accept(id, 9201);
    await openEdit(COORD, 'Cancel fair');
    await app.tapLike(COORD, 'Title');
    await app.say(COORD, 'Cancel fair changed');
    await missions().cancelMission(id, OTHER);
    await app.tapLike(COORD, 'Save and tell volunteers');
    expect(app.drain(COORD).join('\n')).toContain('can no longer be changed');
    expect(await latest(id)).toMatchObject({ title: 'Cancel fair', status: 'cancelled', version: 0 });
    expect(editJobs(id)).toHaveLength(0);
    expect(await missions().editMission(id, 0, 'late', { title: 'Too late' }, COORD)).toEqual({ status: 'closed' });
    await app.send(app.api.callback(COORD, missionStaffCallbacks.encode.edit({ missionId: id }), undefined, { enqueue: false }));
    expect(app.drain(COORD).join('\n')).toContain('can no longer be changed');
    // The mission's screen offers no "Change details" either.
    await app.command(COORD, 'menu');
    await app.tapLike(COORD, 'Staff');
    await app.tapLike(COORD, 'Manage volunteer missions');
    await app.tapLike(COORD, 'Cancel fair');
    expect(app.last(COORD).buttons.flat().some((b) => b.includes('Change details'))).toBe(false);
  });

  it('the button under the team opens the change; a forged one for another region\'s mission is refused and audited', async () => {
    const id = await publish('Button fair');
    await app.command(COORD, 'menu');
    await app.tapLike(COORD, 'Staff');
    await app.tapLike(COORD, 'Manage volunteer missions');
    await app.tapLike(COORD, 'Button fair');
    await app.tapLike(COORD, 'See the team');
    // The button is under the team's message (the menu follows it).
    const team = app.api.visibleMessages(COORD).filter((m) => m.buttons.flat().includes('Change details')).pop()!;
    expect(team.text).toContain('Team: 0 of 10');
    await app.send(app.api.callback(COORD, team.callbackData[0]![0]!, team.messageId, { enqueue: false }));
    expect(app.last(COORD).text).toContain('What would you like to change?');
    await app.command(COORD, 'menu');

    app.drain(FAR);
    await app.send(app.api.callback(FAR, missionStaffCallbacks.encode.edit({ missionId: id }), undefined, { enqueue: false }));
    expect(app.drain(FAR).join('\n')).toContain('You do not have access to change this mission');
    const denied = (await app.bot.services.audit.recent(50, { action: 'access.denied' })).filter((a) => a.actorId === FAR);
    expect(denied[0]).toMatchObject({ target: `mission:${id}`, details: { permission: 'missions.manage', action: 'edit' } });
    // A citizen and a reviewer (no missions permission) with the same data: refused too.
    await onboard(app, 9105);
    await app.send(app.api.callback(9105, missionStaffCallbacks.encode.edit({ missionId: id }), undefined, { enqueue: false }));
    expect(app.drain(9105).join('\n')).toContain('You do not have access to change this mission');
    await onboard(app, 9106);
    await app.bot.services.users.makeStaff(9106, 9106, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    await app.send(app.api.callback(9106, missionStaffCallbacks.encode.edit({ missionId: id }), undefined, { enqueue: false }));
    expect(app.drain(9106).join('\n')).toContain('You do not have access to change this mission');
    // Garbage is a stale button, and no scene is opened.
    await app.send(app.api.callback(FAR, 'mst:ed:not-a-mission', undefined, { enqueue: false }));
    expect((await latest(id)).version).toBe(0);
    // Nothing of the edit reached anyone.
    expect(delivery.jobs.filter((j: DeliveryJob) => j.id.startsWith(`me-${id}`))).toHaveLength(0);
  });
});
