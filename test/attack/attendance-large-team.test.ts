// Missions take up to 500 volunteers, but Telegram refuses an inline keyboard of more than 100
// buttons: "Mark who came" for a large team must still reach the coordinator and be answerable
// (by typing the numbers), or nobody on that mission is ever credited with hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { missionAssignmentModel } from '../../src/features/volunteer/mission-assignment.model.js';
import { addVolunteer, clock, HOUR, mission } from '../volunteer/helpers.js';

const STAFF = 700;
const TEAM = 120;

describe('attack: marking attendance for a team larger than one keyboard', () => {
  let app: TestApp;
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('atk_attend_large', { adminIds: [STAFF], now: time.now });
    await app.bot.services.missions.init();
  });
  afterAll(async () => app?.close());

  it('lists the whole team in the text, takes typed numbers, and credits exactly those', async () => {
    const { mission: m } = await app.bot.services.missions.publish(mission(time.now(), { slots: 150, title: 'City clean-up' }), STAFF);
    const id = String(m._id);
    // Set-up through the service, one after another: the team, not the sign-ups, is what is
    // tested. Sign-ups together queue on the same match keys' change numbers (one writer wins a
    // number per round): on a busy machine 14.5 s ten at a time, 8.8 s one by one.
    const team = Array.from({ length: TEAM }, (_, i) => 10_000 + i);
    // The mission's area only and no particular times: 2 match keys each instead of 8.
    for (const u of team) await addVolunteer(app, u, 'en', { fullName: `Volunteer Number${u - 10_000 + 1}`, areas: ['people-in-need'], availability: [] });
    for (let i = 0; i < TEAM; i += 10) await Promise.all(team.slice(i, i + 10).map((u) => app.bot.services.missions.accept(id, u)));
    time.set(new Date(new Date(m.startsAt).getTime() + 5 * HOUR));
    await onboard(app, STAFF);
    await app.tapLike(STAFF, 'Staff');
    await app.tapLike(STAFF, 'Manage volunteer missions');
    await app.tapLike(STAFF, 'City clean-up');
    await app.tapLike(STAFF, 'Mark who came');
    const messages = app.drain(STAFF);
    const shown = messages.join('\n');
    expect(shown).toContain('Who came?');
    // The order the coordinator sees: by acceptance, ties by record.
    const accepted = await missionAssignmentModel(app.mongo).find({ missionId: m._id, status: 'accepted' }).sort({ acceptedAt: 1, _id: 1 }).lean();
    const last = accepted[TEAM - 1]!.volunteerUserId;
    expect(shown).toContain(`${TEAM}. Volunteer Number${last - 10_000 + 1}`);
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(4096);

    await app.say(STAFF, `1, 2, ${TEAM}`);
    expect(app.drain(STAFF).join('\n')).toContain('Attendance saved: 3 volunteers came');
    const credited = await missionAssignmentModel(app.mongo).find({ missionId: m._id, hoursCredited: 4 }).lean();
    expect(credited.map((a) => a.volunteerUserId).sort()).toEqual([accepted[0]!.volunteerUserId, accepted[1]!.volunteerUserId, last].sort());
  }, 120_000);

  it('opened again, the screen says who is marked already, and "Done" on nothing does not wipe their hours', async () => {
    time.set(new Date('2026-11-20T06:00:00Z'));
    const { mission: m } = await app.bot.services.missions.publish(mission(time.now(), { slots: 5, title: 'Small team' }), STAFF);
    const id = String(m._id);
    for (const u of [20_001, 20_002]) {
      await addVolunteer(app, u, 'en', { fullName: u === 20_001 ? 'Aruzhan Bekova' : 'Dana Omarova' });
      await app.bot.services.missions.accept(id, u);
    }
    time.set(new Date(new Date(m.startsAt).getTime() + 5 * HOUR));
    const open = async () => {
      await app.command(STAFF, 'menu');
      await app.tapLike(STAFF, 'Staff');
      await app.tapLike(STAFF, 'Manage volunteer missions');
      await app.tapLike(STAFF, 'Small team');
      await app.tapLike(STAFF, 'Mark who came');
    };
    await open();
    await app.tapLike(STAFF, 'Aruzhan');
    await app.tapLike(STAFF, 'Done');
    expect(app.drain(STAFF).join('\n')).toContain('Attendance saved: 1 volunteer came');
    await open();
    expect(app.last(STAFF).text).toContain('Marked so far: Aruzhan Bekova');
    await app.tapLike(STAFF, 'Done');
    expect(app.drain(STAFF).join('\n')).toContain('Please choose at least 1 answer');
    expect((await app.bot.services.missions.hours(20_001)).total).toBe(4);
  });
});
