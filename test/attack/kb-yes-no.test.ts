// "Did this answer your question?" People answer it in words: "Нет", "да, спасибо", "жоқ", 👍.
// Those went to the knowledge base as new questions: "I have no answer to that yet", a miss in
// the staff figures, and "Ask a person" then carried "Нет" instead of the question the person
// asked, which was lost. A yes counts as "This helped"; a no goes to a person with the question.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';

describe('knowledge base: yes or no typed to "Did this answer your question?"', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_kb_yes_no');
  }, 60_000);
  afterAll(async () => app?.close());

  const latestLog = () => app.bot.services.faq.logModel().findOne({}).sort({ at: -1 }).lean();

  it.each([
    ['Русский', 'Где получить справку об инвалидности для сына?', 'Нет', 'О чём ваш вопрос?'],
    ['Қазақша', 'Мүгедектік туралы анықтаманы қайдан аламын?', 'жоқ', 'Сұрағыңыз не туралы?'],
    ['English', 'Where do I get a disability certificate for my son?', 'No, it did not help', 'What is your question about?'],
  ] as const)('%s: "%s", then "%s", goes to a person with the question asked', async (language, question, no, topicPrompt) => {
    const chat = 300 + ['Русский', 'Қазақша', 'English'].indexOf(language);
    await onboard(app, chat, language);
    await app.say(chat, question);
    app.drain(chat);
    const lookups = await app.bot.services.faq.logModel().countDocuments();
    await app.say(chat, no);
    const said = app.drain(chat).join('\n');
    expect(said).toContain(topicPrompt);
    expect(said).not.toMatch(/no answer to that yet|пока нет ответа|әзірге жауабым жоқ/);
    // Not a look-up of its own, so not a miss in the figures.
    expect(await app.bot.services.faq.logModel().countDocuments()).toBe(lookups);
    await app.tap(chat, (app.last(chat).buttons.flat().find((b) => b.startsWith('1. ')))!);
    await app.tap(chat, (app.last(chat).buttons.flat().find((b) => b.startsWith('2. ')))!);
    const [inquiry] = await app.bot.services.inquiries.listForUser(chat);
    expect(app.bot.services.inquiries.messages(inquiry!)[0]!.text).toBe(question);
  });

  it.each([
    ['Русский', 'Где получить справку об инвалидности?', 'Да, спасибо!', 'Хорошо, что ответ помог.'],
    ['Қазақша', 'Мүгедектік туралы анықтаманы қайдан аламын?', 'Рақмет', 'Көмектесе алғаныма қуаныштымын.'],
    ['English', 'Where do I get a disability certificate?', '👍', 'Glad it helped.'],
  ] as const)('%s: "%s", then "%s", counts as "This helped"', async (language, question, yes, glad) => {
    const chat = 400 + ['Русский', 'Қазақша', 'English'].indexOf(language);
    await onboard(app, chat, language);
    await app.say(chat, question);
    app.drain(chat);
    await app.say(chat, yes);
    expect(app.drain(chat).join('\n')).toContain(glad);
    expect((await latestLog())?.helped).toBe(true);
  });

  it('"no" with no answer on screen is a question like any other', async () => {
    const chat = 500;
    await onboard(app, chat);
    await app.say(chat, 'No');
    expect(app.drain(chat).join('\n')).toContain('I have no answer to that yet');
    // Nor after "I have no answer to that yet", which asked nothing to say yes or no to.
    await app.say(chat, 'what is the weather');
    app.drain(chat);
    await app.say(chat, 'yes');
    const said = app.drain(chat).join('\n');
    expect(said).not.toContain('Glad it helped');
    expect(said).toContain('I have no answer to that yet');
  });

  it('a question that only begins with "no" is still a question', async () => {
    const chat = 501;
    await onboard(app, chat);
    await app.say(chat, 'Where do I get a disability certificate?');
    app.drain(chat);
    await app.say(chat, 'no, how do I get a wheelchair?');
    expect(app.drain(chat).join('\n')).toContain('wheelchair');
  });
});
