// "Back" typed where no form is open (the main menu, or right after a page such as "My missions"
// ended) was not read as Back: a tapped Back shows the menu, but the typed word went on as free
// text. With no question open the knowledge base was asked «назад» and answered "I have no answer
// to that yet. A person can answer it"; with a question open the word was sent to the operator
// as a follow-up ("Added to your question Q-…"). Typed, it now does what the button does, in any
// of the three languages, as Cancel and Main menu typed already did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';

describe('attack: "Back" typed with no form open', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_typed_back_menu');
  }, 60_000);
  afterAll(async () => app?.close());

  it.each([
    [6601, 'English', 'back', 'Main menu. What would you like to do?'],
    [6602, 'Русский', 'назад', 'Главное меню. Что вы хотите сделать?'],
    [6603, 'Қазақша', 'артқа', 'Басты мәзір. Не істегіңіз келеді?'],
  ] as const)('%s (%s): "%s" at the main menu shows the menu, and asks the knowledge base nothing', async (chat, language, typed, menu) => {
    await onboard(app, chat, language);
    await app.say(chat, typed);
    expect(app.drain(chat)).toEqual([expect.stringContaining(menu)]);
    expect(await app.mongo.collection('faqlogs').countDocuments({})).toBe(0);
  });

  it('with a question open, "назад", "артқа" and "Back" are not sent to the operator', async () => {
    const chat = 6604;
    await onboard(app, chat, 'Русский');
    await app.command(chat, 'ask');
    await app.say(chat, '1');
    await app.say(chat, 'Как получить коляску для ребёнка с инвалидностью?');
    await app.say(chat, '1');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    expect(ref).toBeDefined();
    for (const typed of ['назад', 'артқа', 'Back']) {
      await app.say(chat, typed);
      const texts = app.drain(chat);
      expect(texts.join('\n')).not.toContain('Добавлено к вашему вопросу');
      expect(texts.at(-1)).toContain('Главное меню');
    }
    const messages = app.bot.services.inquiries.messages((await app.bot.services.inquiries.get(ref!))!);
    expect(messages.map((m) => m.text)).toEqual(['Как получить коляску для ребёнка с инвалидностью?']);
    // A real follow-up still joins the question.
    await app.say(chat, 'Ребёнку 7 лет');
    expect(app.drain(chat).join('\n')).toContain(`Добавлено к вашему вопросу ${ref}`);
  });
});
