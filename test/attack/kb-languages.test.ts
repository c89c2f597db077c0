// People write to the knowledge base the way they type, not the way the bot is set: a Kazakh
// speaker with the bot in Kazakh asks in Russian (many do), someone who chose English writes in
// Russian, a Kazakh speaker without Kazakh letters on the keyboard writes "мугедектик" for
// "мүгедектік", or in Latin letters. Each question that the knowledge base does answer in another
// language (or spelling) must get that answer, shown in the person's language, not "I have no
// answer to that yet".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { FaqIndex } from '../../src/features/inquiries/faq-search.js';
import { loadSampleFaq } from '../../src/features/inquiries/faq-file.js';

const index = new FaqIndex(loadSampleFaq());
const first = (locale: 'kk' | 'ru' | 'en', question: string) => index.answer(locale, question)[0]?.entry.id;

describe('knowledge base: a question in another language or spelling than the bot is set to', () => {
  it('finds the entry for a question in another of the three languages', () => {
    expect(first('en', 'Где получить справку об инвалидности?')).toBe('disability-certificate');
    expect(first('kk', 'справка об инвалидности где получить')).toBe('disability-certificate');
    expect(first('ru', 'мүгедектік туралы анықтама қайдан аламын')).toBe('disability-certificate');
    expect(first('kk', 'how do I get a wheelchair')).toBe('ipr-aids');
  });

  it('finds Kazakh typed with Russian look-alike letters, and in Latin letters', () => {
    expect(first('kk', 'мугедектик туралы аныктаманы кайдан алуга болады')).toBe('disability-certificate');
    expect(first('kk', 'мугедектик бойынша жардемакы калай алам')).toBe('disability-allowance');
    expect(first('ru', 'мугедектик туралы аныктама кайдан аламын')).toBe('disability-certificate');
    expect(first('kk', 'mugedektik turaly anyqtama qaidan alamyn')).toBe('disability-certificate');
  });

  it('finds the entry for Kazakh and Russian mixed in one message', () => {
    expect(first('kk', 'мүгедектік справка қайдан аламын')).toBe('disability-certificate');
    expect(first('kk', 'мүгедектік бойынша пособие керек')).toBe('disability-allowance');
    expect(first('ru', 'мүгедектік справка қайдан аламын')).toBe('disability-certificate');
  });

  it('still finds nothing for small talk in any language', () => {
    for (const locale of ['kk', 'ru', 'en'] as const) {
      for (const q of ['hello there', 'привет', 'сәлем', 'салем', 'what is the weather', 'купить машину', '🙂🙂', 'ok']) {
        expect(index.answer(locale, q), `${locale}: ${q}`).toEqual([]);
      }
    }
  });
});

describe('knowledge base in the chat: the answer comes in the person\'s language', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_kb_languages');
  }, 60_000);
  afterAll(async () => app?.close());

  it.each([
    ['English', 'Где получить справку об инвалидности?', 'Where do I get a disability certificate?'],
    ['Қазақша', 'справка об инвалидности где получить', 'Мүгедектік туралы анықтаманы қайдан алуға болады?'],
    ['Қазақша', 'мугедектик туралы аныктаманы кайдан алуга болады', 'Мүгедектік туралы анықтаманы қайдан алуға болады?'],
    ['Русский', 'мүгедектік туралы анықтама қайдан аламын', 'Где получить справку об инвалидности?'],
  ] as const)('%s, asked "%s"', async (language, question, title) => {
    const chat = 100 + Math.floor(Math.random() * 100_000);
    await onboard(app, chat, language);
    await app.say(chat, question);
    const text = app.drain(chat).join('\n');
    expect(text).toContain(title);
    expect(text).not.toMatch(/no answer to that yet|пока нет ответа|әзірге жауабым жоқ/);
  });
});
