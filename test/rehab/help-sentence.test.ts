// The rehab search's "who needs help" and "what kind of help" answered with a sentence that names
// one option ("нам нужны услуги на дому", "help is needed for my child"): the search goes on
// with it. Before, a text of four words or more went to the knowledge base. A "not" asks the step
// again; a question naming an option ("what is home care?") still gets the knowledge base's
// answer, and a text naming two kinds of help is not guessed from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';
import { CHOICE, HELP, startAtWho, WHO, type SearchLanguage } from './rehab-helpers.js';

type Lang = SearchLanguage;
const HOME_ANSWER: Record<Lang, string> = {
  English: 'A social worker comes to the home',
  Русский: 'Социальный работник приходит на дом',
  Қазақша: 'Әлеуметтік қызметкер үйге келеді',
};
const NOW = new Date('2025-03-01T06:00:00Z');

describe('rehab search: a sentence naming one option', () => {
  let app: TestApp;
  let nextChat = 7900;
  beforeAll(async () => {
    app = await createSceneHarness('rehab_help_sentence', { now: () => NOW });
    await app.bot.services.centres.seedIfEmpty('data/centres.sample.json');
    await app.bot.services.faq.seedIfEmpty();
    const report = await app.bot.services.faq.importEntries([
      {
        id: 'home-care',
        topic: 'rehab',
        en: { q: 'What is home care, services at home?', k: 'home care services at home need', a: `${HOME_ANSWER.English} to help with washing, meals and walks.` },
        ru: { q: 'Что такое услуги на дому?', k: 'услуги на дому уход нужны', a: `${HOME_ANSWER.Русский}: помогает с мытьём, едой и прогулками.` },
        kk: { q: 'Үйде көрсетілетін қызметтер деген не?', k: 'үйде көрсетілетін қызмет күтім керек', a: `${HOME_ANSWER.Қазақша}: жуынуға, тамақтануға, серуенге көмектеседі.` },
      },
    ]);
    expect(report.rejected).toEqual([]);
  }, 60_000);
  afterAll(async () => app?.close());

  const search = async (chat: number) => (await app.bot.sessions.peek(chat))?.data?.rehab as { who?: unknown; help?: unknown } | undefined;

  const FOR_A_CHILD: Record<Lang, string> = { English: 'help is needed for my child', Русский: 'помощь нужна моему ребёнку', Қазақша: 'көмек менің балама керек' };
  const AT_HOME: Record<Lang, string> = { English: 'we need services at home please', Русский: 'нам нужны услуги на дому', Қазақша: 'бізге үйде көрсетілетін қызмет керек' };

  for (const lang of ['English', 'Русский', 'Қазақша'] as const) {
    it(`${lang}: "${FOR_A_CHILD[lang]}", then "${AT_HOME[lang]}" give a child's search for services at home`, async () => {
      const chat = nextChat++;
      await startAtWho(app, chat, lang);
      await app.say(chat, FOR_A_CHILD[lang]);
      expect(app.last(chat).text).toContain(HELP[lang]);
      app.drain(chat);
      await app.say(chat, AT_HOME[lang]);
      expect(app.drain(chat).join('\n')).not.toContain(HOME_ANSWER[lang]);
      expect(await search(chat)).toMatchObject({ who: 'children', help: 'home-based' });
    });
  }

  /** A new person at "what kind of help", for an adult. */
  async function atHelp(lang: Lang): Promise<number> {
    const chat = nextChat++;
    await startAtWho(app, chat, lang);
    await app.say(chat, '2');
    expect(app.last(chat).text).toContain(HELP[lang]);
    app.drain(chat);
    return chat;
  }

  async function askedAgain(chat: number, lang: Lang, typed: string): Promise<string> {
    await app.say(chat, typed);
    const said = app.drain(chat).join('\n');
    expect(app.last(chat).text, typed).toContain(HELP[lang]);
    expect((await search(chat))?.help, typed).toBeUndefined();
    return said;
  }

  it('a "not" in each language: the step asks again, with no knowledge base answer', async () => {
    const NOT_AT_HOME: Record<Lang, string> = {
      English: 'we do not need services at home',
      Русский: 'нам не нужны услуги на дому',
      Қазақша: 'бізге үйде көрсетілетін қызмет керек емес',
    };
    for (const lang of ['English', 'Русский', 'Қазақша'] as const) {
      const chat = await atHelp(lang);
      const said = await askedAgain(chat, lang, NOT_AT_HOME[lang]);
      expect(said).toContain(CHOICE[lang]);
      expect(said).not.toContain(HOME_ANSWER[lang]);
    }
  });

  it('"нужен уход" (care) fits home care as much as residential care: asked again, not guessed, in each language', async () => {
    const CARE: Record<Lang, string> = { English: 'we need care', Русский: 'нужен уход', Қазақша: 'күтім керек' };
    const CARE_AT_HOME: Record<Lang, string> = { English: 'care at home', Русский: 'нужен уход на дому', Қазақша: 'үйде күтім керек' };
    for (const lang of ['English', 'Русский', 'Қазақша'] as const) {
      const chat = await atHelp(lang);
      const said = await askedAgain(chat, lang, CARE[lang]);
      expect(said).toContain(CHOICE[lang]);
      await app.say(chat, CARE_AT_HOME[lang]);
      expect((await search(chat))?.help, CARE_AT_HOME[lang]).toBe('home-based');
    }
  });

  it('a question naming an option goes to the knowledge base; two kinds of help are not guessed from', async () => {
    const chat = await atHelp('English');
    expect(await askedAgain(chat, 'English', 'what is home care?')).toContain(HOME_ANSWER.English);
    expect(await askedAgain(chat, 'English', 'what is home care')).toContain(HOME_ANSWER.English);
    await askedAgain(chat, 'English', 'he needs rehabilitation and some sport');
    const ru = await atHelp('Русский');
    expect(await askedAgain(ru, 'Русский', 'что такое услуги на дому')).toContain(HOME_ANSWER.Русский);
    const kk = await atHelp('Қазақша');
    expect(await askedAgain(kk, 'Қазақша', 'үйде көрсетілетін қызметтер бар ма')).toContain(HOME_ANSWER.Қазақша);
  });

  it('"who needs help" with a "not" asks again; its own reader still comes first', async () => {
    const chat = nextChat++;
    await startAtWho(app, chat, 'English');
    await app.say(chat, 'not for my child, for my husband');
    expect(app.drain(chat).join('\n')).toContain(CHOICE.English);
    expect(app.last(chat).text).toContain(WHO.English);
    // "my child cannot walk" says how the person is: the step's own "did not understand".
    await app.say(chat, 'my child cannot walk');
    expect(app.drain(chat).join('\n')).toContain('I did not understand who needs help');
  });
});
