// A volunteer who corrects their age on the volunteer page to one the list cannot keep (under 14,
// or 14-17 without a parent's consent) is not told "nothing has been saved" while the profile
// stays on the list with the old adult age: they are asked whether to delete it, and a "no"
// (a typing mistake) keeps the profile as it was, saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';
import { addVolunteer, clock, mission } from './helpers.js';

describe('volunteer page: an age the volunteer list cannot keep', () => {
  let app: TestApp;
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('vol_page_age', { now: time.now });
    await app.bot.services.missions.init();
  });
  afterAll(async () => app?.close());

  const stored = (userId: number) => volunteerModel(app.mongo).findOne({ userId }).lean();
  async function typeAge(chat: number, age: string, language: 'English' | 'Русский' = 'English') {
    await onboard(app, chat, language);
    await addVolunteer(app, chat, language === 'English' ? 'en' : 'ru');
    await app.command(chat, 'menu');
    await app.tapLike(chat, language === 'English' ? 'Become a volunteer' : 'волонтёр');
    await app.tapLike(chat, language === 'English' ? 'Change my answers' : 'Изменить ответы');
    await app.say(chat, language === 'English' ? 'Age' : 'Возраст');
    await app.say(chat, age);
  }

  it('under 14: asks before deleting the profile; "yes" deletes it and gives up the place', async () => {
    const { mission: m } = await app.bot.services.missions.publish(mission(time.now(), { minorsAllowed: true }), 1);
    await addVolunteer(app, 501, 'en');
    await app.bot.services.missions.accept(String(m._id), 501);
    await typeAge(501, '12');
    const asked = app.drain(501).join('\n');
    expect(asked).toContain('starts at 14');
    expect(asked).toContain('Delete your volunteer profile?');
    await app.tapLike(501, 'Yes, delete my profile');
    expect(app.drain(501).join('\n')).toContain('your profile has been deleted');
    expect(await stored(501)).toBeNull();
    expect(await app.bot.services.missions.acceptedCount(String(m._id))).toBe(0);
  });

  it('under 14 typed by mistake: "no" keeps the profile with its age and says so', async () => {
    await typeAge(502, '2');
    await app.tapLike(502, 'No, I made a mistake');
    expect(app.drain(502).join('\n')).toContain('Nothing has changed');
    expect(await stored(502)).toMatchObject({ age: 25 });
  });

  it('15 without a parent’s consent: the same question, in Russian; "yes" deletes the profile', async () => {
    await typeAge(503, '15', 'Русский');
    await app.tapLike(503, 'Нет, согласия не даёт');
    const asked = app.drain(503).join('\n');
    expect(asked).not.toContain('Ничего не сохранено');
    expect(asked).toContain('Удалить ваш профиль волонтёра?');
    await app.say(503, '1');
    expect(await stored(503)).toBeNull();
  });

  it('15 with a parent’s consent is saved with the consent', async () => {
    await typeAge(504, '15');
    await app.tapLike(504, 'Yes, they know and agree');
    expect(app.drain(504).join('\n')).toContain('Your profile has been updated');
    expect(await stored(504)).toMatchObject({ age: 15, guardianConsent: true });
  });
});

describe('volunteer page: an adult who corrects their age to 16', () => {
  let app: TestApp;
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('vol_page_age16', { now: time.now });
    await app.bot.services.missions.init();
  });
  afterAll(async () => app?.close());

  it('gives up places on adults-only missions (passed to the waiting list), keeps the others, and no longer sees their invitations', async () => {
    const missions = app.bot.services.missions;
    const adults = String((await missions.publish(mission(time.now(), { title: 'Night shift', slots: 1 }), 1)).mission._id);
    const teens = String((await missions.publish(mission(time.now(), { title: 'Park day', minorsAllowed: true }), 1)).mission._id);
    await missions.publish(mission(time.now(), { title: 'Heavy lifting' }), 1);
    await onboard(app, 601);
    await addVolunteer(app, 601, 'en');
    await addVolunteer(app, 602, 'en');
    expect((await missions.accept(adults, 601)).status).toBe('accepted');
    expect((await missions.accept(adults, 602)).status).toBe('waiting');
    expect((await missions.accept(teens, 601)).status).toBe('accepted');
    expect((await missions.pendingInvitations(601)).map((m) => m.title)).toEqual(['Heavy lifting']);
    await app.command(601, 'menu');
    await app.tapLike(601, 'Become a volunteer');
    await app.tapLike(601, 'Change my answers');
    await app.say(601, 'Age');
    await app.say(601, '16');
    await app.tapLike(601, 'Yes, they know and agree');
    const text = app.drain(601).join('\n');
    expect(text).toContain('Your profile has been updated');
    expect(text).toContain('"Night shift"');
    const upcoming = await missions.upcomingFor(601);
    expect(upcoming.map((u) => u.mission.title)).toEqual(['Park day']);
    // The place went to the next on the waiting list.
    expect((await missions.roster(adults))?.accepted.map((e) => e.userId)).toEqual([602]);
    expect(await missions.pendingInvitations(601)).toEqual([]);
  });
});
