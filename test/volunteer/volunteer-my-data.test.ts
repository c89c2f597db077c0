// "My data" shows everything the bot holds about a volunteer: besides the profile and hours, the
// places held and waited for on missions ahead, and how many invitations they said no to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { addVolunteer, clock, mission } from './helpers.js';

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
    expect(text).toContain('Invitations you said no to, or left later: 1.');
  });
});
