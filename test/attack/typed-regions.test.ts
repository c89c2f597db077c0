// A region is typed the way people write it in a sentence: "в Карагандинской области", "г. Алматы",
// "Qaragandy oblysy", "Шымкентская область" (the old name of Turkistan Region). docs/domain.md
// promises that any of these matches, and the rehab search (a location step) always took them;
// the region questions of the other forms are choice steps and must take them too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { IIN, NOW, openApplication } from '../grant/helpers.js';

describe('a region typed with a case ending or an old name, at every region question', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_typed_regions', { now: () => NOW });
  });
  afterAll(async () => app?.close());

  /** Opens the volunteer sign-up and answers up to the region question. */
  async function toVolunteerRegion(chat: number, language: 'English' | 'Русский' | 'Қазақша', entry: string) {
    await onboard(app, chat, language);
    await app.tapLike(chat, entry);
    await app.say(chat, 'Aigerim Sarsenova');
    await app.say(chat, '25');
    await app.say(chat, '+7 701 123 45 67');
    app.drain(chat);
  }

  it.each([
    { chat: 7101, language: 'Қазақша', entry: 'Волонтер болу', typed: 'в Карагандинской области', region: 'karaganda' },
    { chat: 7102, language: 'English', entry: 'Become a volunteer', typed: 'г. Алматы', region: 'almaty' },
    { chat: 7103, language: 'Русский', entry: 'Стать волонтёром', typed: 'Шымкентская область', region: 'turkistan' },
    { chat: 7104, language: 'Русский', entry: 'Стать волонтёром', typed: 'Qaragandy oblysy', region: 'karaganda' },
    { chat: 7105, language: 'English', entry: 'Become a volunteer', typed: 'Қарағанды облысында', region: 'karaganda' },
  ] as const)('volunteer sign-up ($language) takes "$typed"', async ({ chat, language, entry, typed, region }) => {
    await toVolunteerRegion(chat, language, entry);
    const question = app.last(chat).text;
    await app.say(chat, typed);
    expect(app.last(chat).text, app.drain(chat).join('\n')).not.toBe(question);
    // Answered: the next question (areas) is a multi-choice; the stored answer is the region.
    const scene = (await app.bot.sessions.peek(chat))?.scene;
    expect(scene?.answers.region).toBe(region);
    await app.command(chat, 'cancel');
  });

  it('the grant application in Kazakh takes "в Карагандинской области"', async () => {
    const chat = 7110;
    await onboard(app, chat, 'Қазақша');
    await openApplication(app, chat);
    for (const answer of ['1', 'Әлия Сәрсенбаева', IIN.adultA, '8 701 123 45 67']) await app.say(chat, answer);
    expect(app.last(chat).text).toContain('Қай өңірде тұрасыз?');
    app.drain(chat);
    await app.say(chat, 'в Карагандинской области');
    expect(app.drain(chat).join('\n')).not.toContain('Батырманы басыңыз немесе оның нөмірін жазыңыз (1 мен 20 аралығында)');
    expect(app.last(chat).text).toContain('Мыналардың қайсысы отбасыңызға қатысты?');
    await app.command(chat, 'cancel');
  });

  it('a region the list does not offer stays refused, and nonsense gets the same question again', async () => {
    const chat = 7111;
    await toVolunteerRegion(chat, 'English', 'Become a volunteer');
    const question = app.last(chat).text;
    await app.say(chat, 'Moscow region');
    expect(app.drain(chat).join('\n')).toContain('Please tap a button or type its number');
    expect(app.last(chat).text).toBe(question);
    await app.command(chat, 'cancel');
  });
});
