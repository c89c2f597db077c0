// "My data" shows everything the bot holds about a volunteer: besides the profile and hours, the
// places held and waited for on missions ahead, and how many invitations they said no to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { addVolunteer, clock, HOUR, mission } from './helpers.js';

describe('My data of a volunteer', () => {
  let app: TestApp;
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('vol_my_data', { now: time.now });
    await app.bot.services.missions.init();
  });
  afterAll(async () => app?.close());

  it('lists the missions ahead (team and waiting list) and the answers "no"', async () => {
    const missions = app.bot.services.missions;
    const team = String((await missions.publish(mission(time.now(), { title: 'Charity fair' }), 1)).mission._id);
    const full = String((await missions.publish(mission(time.now(), { title: 'Park clean-up', slots: 1 }), 1)).mission._id);
    const no = String((await missions.publish(mission(time.now(), { title: 'Night shift' }), 1)).mission._id);
    await onboard(app, 901);
    await addVolunteer(app, 901, 'en');
    await addVolunteer(app, 902, 'en');
    await missions.accept(full, 902);
    await missions.accept(team, 901);
    await missions.accept(full, 901);
    await missions.decline(no, 901);
    await app.command(901, 'mydata');
    const text = app.drain(901).join('\n');
    expect(text).toContain('Charity fair (you are on the team)');
    expect(text).toContain('Park clean-up (waiting list, place 1)');
    expect(text).toContain('Invitations you said no to, or accepted and later said you could not come: 1.');
  });

  it('lists the missions the organisers marked as not attended, and the invitations not answered yet', async () => {
    const missions = app.bot.services.missions;
    await onboard(app, 911);
    await addVolunteer(app, 911, 'en', { region: 'pavlodar' });
    await addVolunteer(app, 912, 'en', { region: 'pavlodar' });
    const past = String((await missions.publish(mission(time.now(), { title: 'Food bank', region: 'pavlodar' }), 1)).mission._id);
    await missions.accept(past, 911);
    await missions.accept(past, 912);
    time.advance(4 * 24 * HOUR);
    // The organiser marks the other volunteer as came: 911 is on record as not having come.
    expect(await missions.saveAttendance(past, [912], 1)).toMatchObject({ attended: 1 });
    const { invited } = await missions.publish(mission(time.now(), { title: 'Book fair', region: 'pavlodar' }), 1);
    expect(invited).toBe(2);
    await app.command(911, 'mydata');
    const text = app.drain(911).join('\n');
    expect(text).toContain('Missions where the organisers marked that you did not come: 1.');
    expect(text).toContain('Invitations waiting for your answer: 1.');
    await app.command(911, 'cancel');
    app.drain(911);
  });
});
