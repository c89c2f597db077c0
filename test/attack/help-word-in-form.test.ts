// "Help" is a main-menu button, and typed at the menu it opens the help. Typed in a form it was
// an answer like any other: at the name question of the volunteer sign-up "Help", «Помощь» or
// «Анықтама» was stored as the person's name and the form went on to their age. Typed alone in a
// form, the Help button's words now show the help and ask the same question again, as /help does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';

describe('attack: the Help button\'s words typed in a form', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_help_word_in_form');
  }, 60_000);
  afterAll(async () => app?.close());

  it.each([
    [7101, 'English', 'Become a volunteer', 'help', 'How to use Komek'],
    [7102, 'Русский', 'Стать волонтёром', 'Помощь', 'Как пользоваться ботом'],
    [7103, 'Қазақша', 'Волонтер болу', 'анықтама', 'ботын қалай пайдалануға болады'],
    [7104, 'Қазақша', 'Волонтер болу', 'Help', 'ботын қалай пайдалануға болады'],
  ] as const)('%s (%s): %s, then %j at the name question', async (chat, language, entry, typed, help) => {
    await onboard(app, chat, language);
    await app.tapLike(chat, entry);
    const asked = app.last(chat).text ?? '';
    app.drain(chat);
    await app.say(chat, typed);
    const texts = app.drain(chat);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain(help);
    expect(texts[1]).toBe(asked);
    const scene = (await app.bot.sessions.peek(chat))?.scene;
    expect(scene).toMatchObject({ id: 'volunteer-signup', step: 'name' });
    expect(scene?.answers).not.toHaveProperty('name');
  });

  it('a name with "help" in it is still a name', async () => {
    const chat = 7105;
    await onboard(app, chat);
    await app.tapLike(chat, 'Become a volunteer');
    await app.say(chat, 'Helpa Omarova');
    expect((await app.bot.sessions.peek(chat))?.scene?.answers).toMatchObject({ name: 'Helpa Omarova' });
  });

  it('at a step with an option those words begin, they still answer it («Помощь нуждающимся»)', async () => {
    const chat = 7106;
    await onboard(app, chat, 'Русский');
    await app.tapLike(chat, 'Стать волонтёром');
    for (const answer of ['Айгерим Сарсенова', '25', '+7 701 123 45 67', 'Караганда']) await app.say(chat, answer);
    await app.say(chat, 'помощь');
    expect((await app.bot.sessions.peek(chat))?.scene?.answers).toMatchObject({ areas: ['people-in-need'] });
  });
});
