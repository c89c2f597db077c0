import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { addVolunteer, clock, HOUR, mission } from './helpers.js';
import type { MissionInput } from '../../src/features/volunteer/missions.service.js';

const STAFF = 9200;

// Volunteers who join, resume invitations or change their answers after a mission was published
// are invited to the open missions that fit them; 14-17-year-olds only to missions open to them.
describe('invitations to missions published earlier', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  const time = clock();
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    app = await createSceneHarness('vol_open_missions', { now: time.now });
    delivery = app.delivery as RecordingDelivery;
    await app.bot.services.missions.init();
    const publish = async (name: string, over: Partial<MissionInput>) => {
      ids[name] = String((await app.bot.services.missions.publish(mission(time.now(), { title: name, ...over }), STAFF)).mission._id);
    };
    await publish('adults', {});
    await publish('driving', { skills: ['driving'] });
    await publish('animals', { area: 'animals' });
    await publish('teens', { minorsAllowed: true });
    await publish('cancelled', {});
    await publish('almaty', { region: 'almaty' });
    await publish('started', { startsAt: new Date(time.now().getTime() - HOUR) });
    await app.bot.services.missions.cancelMission(ids.cancelled!, STAFF);
  });
  afterAll(async () => app?.close());

  const invitedTo = (chat: number) =>
    Object.entries(ids)
      .filter(([, id]) => delivery.jobs.some((j) => j.id === `mi-${id}-${chat}`))
      .map(([name]) => name)
      .sort();

  async function signUp(chat: number, age: string, extra: string[] = []) {
    await onboard(app, chat);
    await app.tapLike(chat, 'Become a volunteer');
    for (const answer of ['Dana Omarova', age, ...extra, '+77011112233', 'Karaganda', '3, 4', '1', '1']) await app.say(chat, answer);
    await app.tapLike(chat, 'I agree');
    await app.tapLike(chat, 'Join the volunteer list');
    return app.drain(chat).join('\n');
  }

  it('a new adult volunteer is invited to every open mission that fits, and told so', async () => {
    const text = await signUp(120, '30');
    expect(text).toContain('You are on the volunteer list now');
    expect(text).toContain('There are already 2 open missions that fit you');
    expect(invitedTo(120)).toEqual(['adults', 'teens']);
    expect(delivery.jobs.find((j) => j.id === `mi-${ids.adults}-120`)?.text).toContain('A volunteer mission needs help');
  });

  it('a 16-year-old with a guardian’s consent is invited only where 14-17 may take part', async () => {
    const text = await signUp(121, '16', ['I agree']);
    expect(text).toContain('There is already 1 open mission that fits you');
    expect(invitedTo(121)).toEqual(['teens']);
    expect(await app.bot.services.missions.countMatching({ region: 'karaganda', area: 'people-in-need', skills: [] })).toBe(1);
    expect(await app.bot.services.missions.countMatching({ region: 'karaganda', area: 'people-in-need', skills: [], minorsAllowed: true })).toBe(2);
  });

  it('nothing is said when no open mission fits', async () => {
    await onboard(app, 122);
    await app.tapLike(122, 'Become a volunteer');
    for (const answer of ['Aliya Nurova', '40', '+77011112244', 'Pavlodar', '1', '1', '1']) await app.say(122, answer);
    await app.tapLike(122, 'I agree');
    await app.tapLike(122, 'Join the volunteer list');
    expect(app.drain(122).join('\n')).not.toContain('open mission');
    expect(invitedTo(122)).toEqual([]);
  });

  it('resuming invitations brings the missions published meanwhile, not the ones already sent', async () => {
    await addVolunteer(app, 130, 'en', { region: 'kostanay' });
    await onboard(app, 130);
    const before = String((await app.bot.services.missions.publish(mission(time.now(), { region: 'kostanay', title: 'Before' }), STAFF)).mission._id);
    await app.bot.services.volunteers.setPaused(130, true);
    const during = String((await app.bot.services.missions.publish(mission(time.now(), { region: 'kostanay', title: 'During' }), STAFF)).mission._id);
    expect(delivery.jobs.some((j) => j.id === `mi-${during}-130`)).toBe(false);
    const sentBefore = delivery.jobs.filter((j) => j.id === `mi-${before}-130`).length;
    await app.tapLike(130, 'Become a volunteer');
    await app.tapLike(130, 'Resume invitations');
    const text = app.drain(130).join('\n');
    expect(text).toContain('Invitations are on again');
    expect(text).toContain('There is already 1 open mission that fits you');
    expect(delivery.jobs.some((j) => j.id === `mi-${during}-130`)).toBe(true);
    expect(delivery.jobs.filter((j) => j.id === `mi-${before}-130`)).toHaveLength(sentBefore);
  });

  it('moving to another region invites to its open missions; missions already answered are left out', async () => {
    // Answered before the move (a "no" needs no fit; a "yes" from Kostanay would be refused).
    await app.bot.services.missions.decline(ids.teens!, 130);
    await app.tapLike(130, 'Become a volunteer');
    await app.tapLike(130, 'Change my answers');
    await app.say(130, 'Region');
    await app.say(130, 'Karaganda');
    const text = app.drain(130).join('\n');
    expect(text).toContain('Your profile has been updated');
    expect(text).toContain('There is already 1 open mission that fits you');
    expect(invitedTo(130)).toEqual(['adults']);
  });
});
