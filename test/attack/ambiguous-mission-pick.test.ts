import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { missionAssignmentModel } from '../../src/features/volunteer/mission-assignment.model.js';
import type { MissionInput } from '../../src/features/volunteer/missions.service.js';
import { addVolunteer, clock, HOUR, mission } from '../volunteer/helpers.js';

const STAFF = 9500;

// Recurring missions share a title ("Clean the river bank" every Saturday) and two missions may start at
// the same minute. A typed title or start that fits several missions must not silently pick the
// first: the volunteer would accept (or give up) a mission they did not mean.
describe('a typed mission title or start that fits several missions', () => {
  let app: TestApp;
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  beforeAll(async () => {
    app = await createSceneHarness('attack_ambiguous_pick', { now: time.now });
    await app.bot.services.missions.init();
  });
  afterAll(async () => app?.close());

  const publish = async (over: Partial<MissionInput>) => String((await app.bot.services.missions.publish(mission(time.now(), over), STAFF)).mission._id);
  const assignment = (missionId: string, userId: number) => missionAssignmentModel(app.mongo).findOne({ missionId, volunteerUserId: userId }).lean();

  async function openInvitations(chat: number) {
    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Become a volunteer');
    await app.say(chat, '1');
    app.drain(chat);
    return app.last(chat);
  }

  it('the same title twice: asks again for the number, accepts nothing; the number then picks the right one', async () => {
    const chat = 9701;
    await onboard(app, chat);
    await addVolunteer(app, chat, 'en', { region: 'pavlodar' });
    const saturday = await publish({ region: 'pavlodar', title: 'Clean the river bank' });
    const nextSaturday = await publish({ region: 'pavlodar', title: 'Clean the river bank', startsAt: new Date(time.now().getTime() + 10 * 24 * HOUR) });
    const list = await openInvitations(chat);
    expect(list.text).toContain('2. ');
    // Four words: read as the title, not as a question to the operators.
    await app.say(chat, 'clean the river bank');
    expect(app.drain(chat).join('\n')).toContain('Please tap a button or type its number, from 1 to 2');
    expect(app.last(chat).text).toBe(list.text);
    await app.say(chat, 'accept');
    expect(await assignment(saturday, chat)).toBeNull();
    expect(await assignment(nextSaturday, chat)).toBeNull();
    // The number is not ambiguous.
    await app.say(chat, '2');
    await app.say(chat, 'accept');
    expect((await assignment(nextSaturday, chat))?.status).toBe('accepted');
    expect(await assignment(saturday, chat)).toBeNull();
  });

  it('two missions at the same minute: the typed start (the button label) is refused, the title picks', async () => {
    const chat = 9702;
    await onboard(app, chat);
    await addVolunteer(app, chat, 'en', { region: 'kostanay' });
    const at = new Date(time.now().getTime() + 4 * 24 * HOUR);
    const fair = await publish({ region: 'kostanay', title: 'Book fair', startsAt: at });
    const race = await publish({ region: 'kostanay', title: 'Charity run', startsAt: at });
    const list = await openInvitations(chat);
    const [first, second] = list.buttons.flat();
    expect(first?.replace(/^1\. /, '')).toBe(second?.replace(/^2\. /, ''));
    await app.say(chat, first!.replace(/^1\. /, ''));
    expect(app.drain(chat).join('\n')).toContain('Please tap a button or type its number');
    await app.say(chat, 'Charity run');
    await app.say(chat, 'accept');
    expect((await assignment(race, chat))?.status).toBe('accepted');
    expect(await assignment(fair, chat)).toBeNull();
  });
});
