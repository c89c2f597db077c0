import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { missionAssignmentModel, missionSeatModel } from '../../src/features/volunteer/mission-assignment.model.js';
import { missionModel } from '../../src/features/volunteer/mission.model.js';
import { addVolunteer, clock, HOUR, mission } from './helpers.js';

const STAFF = 700;

describe('missions through the bot', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  beforeAll(async () => {
    app = await createSceneHarness('vol_missions', { adminIds: [STAFF], now: time.now });
    delivery = app.delivery as RecordingDelivery;
    await app.bot.services.missions.init();
  });
  afterAll(async () => app?.close());

  it('staff publish a mission; the summary says how many will be invited; bad answers are turned down', async () => {
    await addVolunteer(app, 801, 'ru');
    await addVolunteer(app, 802, 'en', { region: 'almaty' });
    await onboard(app, STAFF);
    await app.tapLike(STAFF, 'Staff');
    await app.tapLike(STAFF, 'Publish a volunteer mission');
    await app.say(STAFF, 'Charity fair');
    await app.say(STAFF, 'Help visitors of the fair find their way.');
    await app.say(STAFF, '3');
    await app.say(STAFF, 'Karaganda');
    await app.say(STAFF, 'Central park, main gate');
    await app.tapLike(STAFF, 'Skip');
    app.drain(STAFF);
    await app.say(STAFF, '01.01.2020 10:00');
    expect(app.drain(STAFF)[0]).toContain('already passed');
    // A mistyped year (2062 for 2026) would invite volunteers to a mission decades ahead.
    await app.say(STAFF, '25.11.2062 10:00');
    expect(app.drain(STAFF)[0]).toContain('more than a year ahead');
    await app.say(STAFF, '25.11.2026 10:00');
    await app.say(STAFF, '30');
    expect(app.drain(STAFF).join('\n')).toContain('from 1 to 24');
    await app.say(STAFF, '4');
    await app.say(STAFF, '0');
    expect(app.drain(STAFF).join('\n')).toContain('from 1 to 500');
    await app.say(STAFF, '10');
    await app.tapLike(STAFF, 'Done');
    expect(app.last(STAFF).text).toContain('aged 14 to 17');
    await app.say(STAFF, 'maybe');
    expect(app.drain(STAFF).join('\n')).toContain('type its number');
    await app.say(STAFF, '1');
    const summary = app.last(STAFF).text ?? '';
    expect(summary).toContain('No, only 18 and over');
    expect(summary).toContain('1 volunteer matches it');
    expect(summary).toContain('25.11.2026 10:00');
    await app.tapLike(STAFF, 'Publish and invite');
    expect(app.drain(STAFF).join('\n')).toContain('1 volunteer is being invited');
    const created = await missionModel(app.mongo).findOne({ title: 'Charity fair' }).lean();
    expect(created).toMatchObject({ region: 'karaganda', area: 'people-in-need', durationHours: 4, slots: 10, skills: [], minorsAllowed: false, createdBy: STAFF });
    expect(created?.startsAt.toISOString()).toBe('2026-11-25T05:00:00.000Z');
    const invite = delivery.jobs.find((j) => j.id === `mi-${String(created!._id)}-801`);
    expect(invite?.text).toContain('Волонтёрской миссии нужна помощь');
    expect(delivery.jobs.some((j) => j.id === `mi-${String(created!._id)}-802`)).toBe(false);
  });

  it('50 volunteers in 50 chats tap Accept at once: 10 are on the team, 40 wait', async () => {
    const chats = Array.from({ length: 50 }, (_, i) => 3000 + i);
    // Each chat starts the bot through the chat (the taps below are answered in it); the chats are
    // independent, so all at once. The profiles are written one after another: they share match
    // keys, and 50 writers on one key's change number would retry each other.
    await Promise.all(chats.map((chat) => onboard(app, chat)));
    // The mission's area only and no particular times: 2 match keys each instead of the default
    // profile's 8, so a sign-up is half the writes; the taps are the point.
    for (const chat of chats) await addVolunteer(app, chat, 'en', { region: 'pavlodar', areas: ['people-in-need'], availability: [] });
    const { mission: m } = await app.bot.services.missions.publish(mission(time.now(), { region: 'pavlodar', slots: 10 }), STAFF);
    const id = String(m._id);
    await Promise.all(chats.map((chat) => app.send(app.api.callback(chat, `ms:acc:${id}`, undefined, { enqueue: false }))));
    expect(await missionSeatModel(app.mongo).countDocuments({ missionId: m._id })).toBe(10);
    const assignments = missionAssignmentModel(app.mongo);
    expect(await assignments.countDocuments({ missionId: m._id, status: 'accepted' })).toBe(10);
    expect(await assignments.countDocuments({ missionId: m._id, status: 'waiting' })).toBe(40);
    const answers = chats.map((chat) => app.drain(chat).join('\n'));
    const onTeam = chats.filter((_, i) => answers[i]!.includes('You are on the team'));
    expect(onTeam).toHaveLength(10);
    expect(answers.filter((a) => a.includes('you are on the waiting list'))).toHaveLength(40);
    // Those told "on the team" are exactly those holding the places.
    const seated = (await missionSeatModel(app.mongo).find({ missionId: m._id }).lean()).map((s) => s.volunteerUserId);
    expect(seated.sort()).toEqual([...onTeam].sort());
    // The roster's waiting list is places 1 to 40, each person once.
    const roster = (await app.bot.services.missions.roster(id))!;
    expect(roster.waiting.map((w) => w.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(roster.waiting.map((w) => w.userId)).size).toBe(40);

    // A reminder answered "No" frees the place; the first on the waiting list gets it and is told.
    const holder = (await assignments.findOne({ missionId: m._id, status: 'accepted' }).lean())!.volunteerUserId;
    const first = (await assignments.find({ missionId: m._id, status: 'waiting' }).sort({ seq: 1 }).limit(1).lean())[0]!.volunteerUserId;
    const reminder = delivery.jobs.find((j) => j.id === `mr24-${id}-${holder}`)!;
    expect(reminder.notBefore?.getTime()).toBe(new Date(m.startsAt).getTime() - 24 * HOUR);
    await app.send(app.api.callback(holder, reminder.buttons![1]![0]!.data!, undefined, { enqueue: false }));
    expect(app.drain(holder).join('\n')).toContain('Your place will go to someone else');
    expect((await assignments.findOne({ missionId: m._id, volunteerUserId: first }).lean())?.status).toBe('accepted');
    expect(delivery.jobs.find((j) => j.id === `mp-${id}-${first}`)?.text).toContain('a place has opened');
    // A second tap on Accept does not take a second place.
    await app.send(app.api.callback(first, `ms:acc:${id}`, undefined, { enqueue: false }));
    expect(app.drain(first).join('\n')).toContain('already on the team');
    expect(await missionSeatModel(app.mongo).countDocuments({ missionId: m._id })).toBe(10);
  });

  it('the volunteer sees and cancels upcoming missions on their page; /myhours shows hours', async () => {
    const m = await missionModel(app.mongo).findOne({ region: 'pavlodar' }).lean();
    // Someone still holding a place or a waiting-list entry: which of the 50 the test before sent
    // a reminder "No" (and so holds nothing now) depends on who won the places.
    const held = await missionAssignmentModel(app.mongo).findOne({ missionId: m!._id, status: { $in: ['accepted', 'waiting'] } }).lean();
    const chat = held!.volunteerUserId;
    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Become a volunteer');
    await app.tapLike(chat, 'My missions and hours');
    const text = app.drain(chat).join('\n');
    expect(text).toContain(held?.status === 'accepted' ? 'you are on the team' : 'waiting list, place');
    expect(text).toContain('You have no volunteer hours yet');
    // /myhours shows the same: missions ahead and hours.
    await app.command(chat, 'myhours');
    const mine = app.drain(chat).join('\n');
    expect(mine).toContain('Your upcoming missions:');
    expect(mine).toMatch(/Charity fair \((you are on the team|waiting list, place \d+)\)/);
    expect(mine).toContain('You have no volunteer hours yet');
    await app.tapLike(chat, 'Become a volunteer');
    await app.tapLike(chat, 'I cannot come to a mission');
    // The title is read in the text; the button carries the start.
    expect(app.last(chat).text).toContain('"Charity fair"');
    await app.tapLike(chat, '1. ');
    await app.tapLike(chat, 'Yes, I cannot come');
    expect(app.drain(chat).join('\n')).toContain('no longer on this mission');
    expect((await missionAssignmentModel(app.mongo).findOne({ missionId: m!._id, volunteerUserId: chat }).lean())?.status).toBe('cancelled');
  });

  it('staff see the roster, mark attendance after the end (hours credited once) and cancel missions', async () => {
    const m = (await missionModel(app.mongo).findOne({ region: 'pavlodar' }).lean())!;
    app.drain(STAFF);
    await app.command(STAFF, 'menu');
    await app.tapLike(STAFF, 'Staff');
    await app.tapLike(STAFF, 'Manage volunteer missions');
    // The list says "10 of 10 places taken"; the button carries the title.
    expect(app.last(STAFF).text).toContain('Charity fair (10 of 10 places taken)');
    await app.tapLike(STAFF, 'Charity fair (10 of 10)');
    await app.tapLike(STAFF, 'See the team');
    const roster = app.drain(STAFF).join('\n');
    expect(roster).toContain('Team: 10 of 10');
    expect(roster).toContain('+7 701 123 45 67');
    expect(roster).toContain('Waiting list:');
    expect(roster).toContain('day before: not coming'.replace('not coming', 'no answer'));

    time.set(new Date(new Date(m.startsAt).getTime() + 5 * HOUR));
    // In the order the staff see them (by acceptance, ties by record): the database's own order differs between backends.
    const accepted = await missionAssignmentModel(app.mongo).find({ missionId: m._id, status: 'accepted' }).sort({ acceptedAt: 1, _id: 1 }).lean();
    const came = accepted.slice(0, 3).map((a) => a.volunteerUserId);
    for (let round = 0; round < 2; round++) {
      await app.tapLike(STAFF, 'Staff');
      await app.tapLike(STAFF, 'Manage volunteer missions');
      await app.tapLike(STAFF, 'Charity fair (10 of 10)');
      await app.tapLike(STAFF, 'Mark who came');
      const options = app.last(STAFF).buttons.flat();
      const numbers = options.map((b, i) => [b, i + 1] as const).filter(([b]) => /^\d+\. Aigerim/.test(b)).slice(0, 3).map(([, n]) => n);
      await app.say(STAFF, numbers.join(', '));
      expect(app.drain(STAFF).join('\n')).toContain(round === 0 ? 'Volunteers credited with hours now: 3' : 'Volunteers credited with hours now: 0');
    }
    for (const u of came) expect((await app.bot.services.missions.hours(u)).total).toBe(4);
    await app.command(came[0]!, 'myhours');
    const hours = app.drain(came[0]!).join('\n');
    expect(hours).toContain('Volunteer hours in total: 4 hours.');
    expect(hours).toContain('This year: 4 hours.');

    // Cancelling: a new mission, staff cancel it from the same menu.
    const { mission: next } = await app.bot.services.missions.publish(mission(time.now(), { region: 'pavlodar', slots: 2, title: 'Park clean-up' }), STAFF);
    const nid = String(next._id);
    await app.bot.services.missions.accept(nid, 3010);
    await app.bot.services.missions.accept(nid, 3011);
    await app.bot.services.missions.accept(nid, 3012);
    await app.tapLike(STAFF, 'Staff');
    await app.tapLike(STAFF, 'Manage volunteer missions');
    await app.tapLike(STAFF, 'Park clean-up');
    await app.tapLike(STAFF, 'Cancel the mission');
    await app.tapLike(STAFF, 'Yes, cancel it');
    expect(app.drain(STAFF).join('\n')).toContain('3 volunteers are being told');
    for (const u of [3010, 3011, 3012]) expect(delivery.jobs.some((j) => j.id === `mc-${nid}-${u}`)).toBe(true);
    expect(delivery.cancelled).toContain(`mr24-${nid}-3010`);
    const audit = await app.bot.services.audit.recent(50);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['mission.publish', 'mission.roster', 'mission.attendance', 'mission.cancel']));
  });
});
