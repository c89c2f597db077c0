// At a step that takes several answers, the options could be tapped or typed, but "Done" could
// only be tapped: someone who tapped two skills and then typed «Готово», "done" or «Дайын» was
// told "Please tap the buttons or type the numbers" and asked again, with both skills still ticked,
// however often they typed it. Typed, in any of the three languages, "Done" now does what its
// button does: the ticked answers are taken, or "choose at least one" when none is ticked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';

type Language = 'English' | 'Русский' | 'Қазақша';
const ENTRY: Record<Language, string> = { English: 'Become a volunteer', Русский: 'Стать волонтёром', Қазақша: 'Волонтер болу' };

describe('attack: "Done" typed at a step that takes several answers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_typed_done');
  }, 60_000);
  afterAll(async () => app?.close());

  /** A new volunteer at the skills question (step 7), by typed answers. */
  async function atSkills(chat: number, language: Language): Promise<void> {
    await onboard(app, chat, language);
    await app.tapLike(chat, ENTRY[language]);
    for (const answer of ['Aigerim Sarsenova', '25', '+7 701 123 45 67', 'Karaganda', '1', '3']) await app.say(chat, answer);
    app.drain(chat);
  }

  it.each([
    [6901, 'English', 'done'],
    [6902, 'Русский', 'Готово'],
    [6903, 'Қазақша', 'дайын'],
    [6904, 'Русский', 'done'],
  ] as const)('%s (%s): two skills tapped, then %j typed, takes both', async (chat, language, typed) => {
    await atSkills(chat, language);
    await app.tapLike(chat, '1. ');
    await app.tapLike(chat, '2. ');
    app.drain(chat);
    await app.say(chat, typed);
    // The consent question, which names the law in every language.
    expect(app.last(chat).text).toContain('94-V');
    expect((await app.bot.sessions.peek(chat))?.scene?.answers).toMatchObject({ skills: ['first-aid', 'driving'] });
  });

  it('"done" with nothing ticked asks for at least one answer', async () => {
    const chat = 6905;
    await atSkills(chat, 'English');
    await app.say(chat, 'done');
    const texts = app.drain(chat);
    expect(texts[0]).toBe('Please choose at least 1 answer.');
    expect(texts[1]).toContain('Do you have any of these skills?');
  });
});
