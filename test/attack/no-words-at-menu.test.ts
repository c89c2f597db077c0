// A message with no words in it, sent at the main menu with no question open (a thumbs-up after an
// answer, "👍👍", a number past the menu's "7" or "0", "...", or only invisible characters pasted),
// was looked up in the knowledge base as a question: "I have no answer to that yet. A person can
// answer it: tap "Ask a person"", with a look-up row for the figures. Nothing in it can be
// answered, and a person would be asked "👍". The menu now asks for a button or its number again.
// With a question open, the same message still joins it (an answer to the operator may be "7").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';

describe('attack: a message with no words at the main menu', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_no_words_menu');
  }, 60_000);
  afterAll(async () => app?.close());

  const lookups = () => app.mongo.collection('faqlogs').countDocuments({});

  it.each([
    [6801, 'English', '👍', 'Please tap a button or type its number, from 1 to 6.'],
    [6802, 'Русский', '7', 'Нажмите кнопку или напишите её номер, от 1 до 6.'],
    [6803, 'Қазақша', '0', 'Батырманы басыңыз немесе оның нөмірін жазыңыз (1 мен 6 аралығында).'],
    [6804, 'Русский', '...', 'Нажмите кнопку или напишите её номер, от 1 до 6.'],
    [6805, 'English', '\u200B\u200F', 'Please tap a button or type its number, from 1 to 6.'],
  ] as const)('%s (%s): %j asks for a menu button or its number again', async (chat, language, typed, again) => {
    const before = await lookups();
    await onboard(app, chat, language);
    await app.say(chat, typed);
    const texts = app.drain(chat);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toBe(again);
    expect(app.last(chat).buttons.flat()).toHaveLength(6);
    expect(await lookups()).toBe(before);
  });

  it('with a question open, a number joins the question', async () => {
    const chat = 6806;
    await onboard(app, chat);
    await app.command(chat, 'ask');
    await app.say(chat, '1');
    await app.say(chat, 'How old must a child be for a day-care centre?');
    await app.say(chat, '1');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    await app.say(chat, '7');
    expect(app.drain(chat).join('\n')).toContain(`Added to your question ${ref}`);
  });
});
