// "How many children under 18? If there are none, type 0." People who have none answer in words:
// "нет", "жоқ", "none". That is 0, as the question itself says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { IIN, NOW, openApplication } from '../grant/helpers.js';

describe('no children, said in words', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_no_children', { now: () => NOW });
  });
  afterAll(async () => app?.close());

  const answers = async (chat: number) => (await app.bot.sessions.peek(chat))?.scene?.answers;

  it.each([
    { chat: 7991, language: 'Русский', typed: 'нет' },
    { chat: 7992, language: 'Қазақша', typed: 'Жоқ' },
    { chat: 7993, language: 'English', typed: 'none' },
    { chat: 7994, language: 'Русский', typed: 'детей нет' },
  ] as const)('"$typed" ($language) is 0', async ({ chat, language, typed }) => {
    await onboard(app, chat, language);
    await openApplication(app, chat);
    // Kandas (5th group) may apply without children.
    for (const answer of ['1', 'Aliya Sarsenbayeva', IIN.adultC, '+7 701 123 45 67', 'Karaganda', '5', '2']) await app.say(chat, answer);
    expect((await answers(chat))?.group).toEqual(['kandas']);
    await app.say(chat, typed);
    expect((await answers(chat))?.children).toBe(0);
    await app.command(chat, 'cancel');
  });

  it('a large family that types "нет" is told it needs children, not that 0 is no number', async () => {
    const chat = 7995;
    await onboard(app, chat, 'Русский');
    await openApplication(app, chat);
    for (const answer of ['1', 'Aliya Sarsenbayeva', IIN.adultD, '+7 701 123 45 67', 'Karaganda', '1', '6']) await app.say(chat, answer);
    app.drain(chat);
    await app.say(chat, 'нет');
    expect(app.drain(chat).join('\n')).toContain('многодетная');
    expect((await answers(chat))?.children).toBeUndefined();
  });
});
