// Many people in Kazakhstan use the bot in one language and type in another, or change the
// language in the middle of a form and go on answering in the first one. A button's words in
// any of the three languages answer it, as the navigation words always did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';
import { NOW, openApplication } from '../grant/helpers.js';

describe('a button answered in another of the three languages', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_other_language', { now: () => NOW });
  });
  afterAll(async () => app?.close());

  async function toConsent(chat: number, language: 'Қазақша' | 'Русский' | 'English', entry: string) {
    await onboard(app, chat, language);
    await app.tapLike(chat, entry);
    for (const answer of ['Aigerim Sarsenova', '25', '+7 701 123 45 67', 'Karaganda', '1', '1', '1']) await app.say(chat, answer);
    expect(app.last(chat).text).toContain('94-V');
    app.drain(chat);
  }

  it.each([
    { chat: 7601, language: 'Қазақша', entry: 'Волонтер болу', typed: 'да', summary: '9 қадамның 9-қадамы' },
    { chat: 7602, language: 'Русский', entry: 'Стать волонтёром', typed: 'иә', summary: 'Шаг 9 из 9' },
    { chat: 7603, language: 'English', entry: 'Become a volunteer', typed: 'согласна', summary: 'Step 9 of 9' },
  ] as const)('consent "$typed" in a $language form', async ({ chat, language, entry, typed, summary }) => {
    await toConsent(chat, language, entry);
    await app.say(chat, typed);
    expect(app.last(chat).text).toContain(summary);
    await app.say(chat, '1');
    expect(await volunteerModel(app.mongo).countDocuments({ userId: chat })).toBe(1);
  });

  it('"нет" in a Kazakh form declines, and nothing is stored', async () => {
    const chat = 7604;
    await toConsent(chat, 'Қазақша', 'Волонтер болу');
    await app.say(chat, 'нет');
    expect((await app.bot.sessions.peek(chat))?.scene).toBeUndefined();
    expect(await volunteerModel(app.mongo).countDocuments({ userId: chat })).toBe(0);
  });

  it('after a language change mid-form, the option typed in the first language still picks it', async () => {
    const chat = 7605;
    await onboard(app, chat);
    await openApplication(app, chat);
    expect(app.last(chat).text).toContain('What support are you');
    await app.command(chat, 'language');
    await app.say(chat, 'Қазақша');
    expect(app.last(chat).text).toContain('Қандай қолдауға өтініш бересіз?');
    app.drain(chat);
    await app.say(chat, 'Microloan');
    expect((await app.bot.sessions.peek(chat))?.scene?.answers.type).toBe('microloan');
  });
});
