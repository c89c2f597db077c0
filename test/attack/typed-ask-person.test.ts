// "Ask a person" is a button under every knowledge base answer, and the answers say "tap 'Ask a
// person' or type those words". Typed with no answer on screen (after /menu, or back another
// day), the words went to the knowledge base as a question: "Ask a person" found how a person
// with a disability finds a job, «Қызметкерден сұрау» an entry of its own. And under an answer,
// only the words of the person's language were read, where every other button takes all three.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';

describe('"Ask a person" typed', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_typed_ask_person');
  }, 60_000);
  afterAll(async () => app?.close());

  it.each([
    ['English', 'Ask a person', 'What is your question about?'],
    ['English', 'ask a person', 'What is your question about?'],
    ['Русский', 'Спросить сотрудника', 'О чём ваш вопрос?'],
    ['Қазақша', 'Қызметкерден сұрау', 'Сұрағыңыз не туралы?'],
    ['Қазақша', 'qyzmetkerden surau', 'Сұрағыңыз не туралы?'],
    ['English', 'Спросить сотрудника', 'What is your question about?'],
  ] as const)('%s: "%s" at the main menu opens the form', async (language, typed, topicPrompt) => {
    const chat = 700 + Math.floor(Math.random() * 1_000_000);
    await onboard(app, chat, language);
    await app.command(chat, 'menu');
    app.drain(chat);
    const lookups = await app.bot.services.faq.logModel().countDocuments();
    await app.say(chat, typed);
    const said = app.drain(chat).join('\n');
    expect(said).toContain(topicPrompt);
    // Not a question to the knowledge base, so not a look-up in the figures either.
    expect(await app.bot.services.faq.logModel().countDocuments()).toBe(lookups);
  });

  // "I have a question" in words: the knowledge base found how to check an application's status
  // (whose answer mentions staff asking a question) or the 1414 hotline. An entry of its own now
  // opens the form for a short request, and answers how to ask for a longer one.
  it.each([
    ['Русский', 'хочу задать вопрос', 'О чём ваш вопрос?'],
    ['Русский', 'у меня вопрос', 'О чём ваш вопрос?'],
    ['Қазақша', 'сұрақ қойғым келеді', 'Сұрағыңыз не туралы?'],
    ['English', 'question', 'What is your question about?'],
    ['English', 'I want to ask a question', 'How do I ask a person a question?'],
  ] as const)('%s: "%s" at the main menu asks for a person', async (language, typed, expected) => {
    const chat = 800 + Math.floor(Math.random() * 1_000_000);
    await onboard(app, chat, language);
    await app.say(chat, typed);
    const said = app.drain(chat).join('\n');
    expect(said).toContain(expected);
    expect(said).not.toMatch(/myapplications|1414/);
  });

  it('under an answer, the words in another language go to a person with the question asked', async () => {
    const chat = 791;
    await onboard(app, chat, 'English');
    const question = 'Where do I get a disability certificate for my son?';
    await app.say(chat, question);
    expect(app.drain(chat).join('\n')).toContain('Did this answer your question?');
    await app.say(chat, 'Спросить сотрудника');
    expect(app.drain(chat).join('\n')).toContain('What is your question about?');
    await app.tap(chat, (app.last(chat).buttons.flat().find((b) => b.startsWith('1. ')))!);
    await app.tap(chat, (app.last(chat).buttons.flat().find((b) => b.startsWith('2. ')))!);
    const [inquiry] = await app.bot.services.inquiries.listForUser(chat);
    expect(app.bot.services.inquiries.messages(inquiry!)[0]!.text).toBe(question);
  });
});
