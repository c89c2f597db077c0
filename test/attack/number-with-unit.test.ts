// People write the unit after a number as they would say it: "25 лет", "25 жаста", "2024 г.",
// "6 человек". The number is in digits, as the question asks; "please type the number in digits"
// in answer would puzzle them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { IDEA, IIN, NOW, openApplication } from '../grant/helpers.js';

describe('a number typed with its unit', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_number_unit', { now: () => NOW });
  });
  afterAll(async () => app?.close());

  const answers = async (chat: number) => (await app.bot.sessions.peek(chat))?.scene?.answers;

  it.each([
    { chat: 7901, language: 'Русский', entry: 'Стать волонтёром', typed: '25 лет' },
    { chat: 7902, language: 'Қазақша', entry: 'Волонтер болу', typed: '25 жаста' },
    { chat: 7903, language: 'English', entry: 'Become a volunteer', typed: '25 years old' },
  ] as const)('the volunteer\'s age "$typed"', async ({ chat, language, entry, typed }) => {
    await onboard(app, chat, language);
    await app.tapLike(chat, entry);
    await app.say(chat, 'Aigerim Sarsenova');
    await app.say(chat, typed);
    expect((await answers(chat))?.age).toBe(25);
    await app.command(chat, 'cancel');
  });

  it('the grant application: "6 человек", "4 ребенка", "2024 г."', async () => {
    const chat = 7910;
    await onboard(app, chat, 'Русский');
    await openApplication(app, chat);
    for (const answer of ['1', 'Алия Сарсенбаева', IIN.adultA, '+7 701 123 45 67', 'Караганда', '1', '6 человек', '4 ребенка', '2', IDEA, '1 500 000 тг', '2024 г.']) {
      await app.say(chat, answer);
    }
    expect(await answers(chat)).toMatchObject({ members: 6, children: 4, amount: 1_500_000, certificateYear: 2024 });
    await app.command(chat, 'cancel');
  });

  it('a scale word is no unit: "5 million" people is not 5', async () => {
    const chat = 7911;
    await onboard(app, chat);
    await openApplication(app, chat);
    for (const answer of ['1', 'Aliya Sarsenbayeva', IIN.adultB, '+7 701 123 45 67', 'Karaganda', '2']) await app.say(chat, answer);
    app.drain(chat);
    await app.say(chat, '5 million');
    expect(app.drain(chat).join('\n')).toContain('Please type');
    expect((await answers(chat))?.members).toBeUndefined();
    await app.command(chat, 'cancel');
  });
});
