// A sentence typed at a tap step that names one of its options ("могу помогать по выходным", "I
// can help on weekends", "демалыс күндері көмектесе аламын") answers the step: before, four words
// or more went to the knowledge base as a question, and the person never got the next question.
// With a "not" or an "if" the step asks again; a question, or a text naming two options, is
// handled as before. The knowledge base here holds an entry each of these texts finds, so the
// old way would have answered them from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { IIN, NOW, openApplication } from '../grant/helpers.js';

type Lang = 'English' | 'Русский' | 'Қазақша';
const LOCALE = { English: 'en', Русский: 'ru', Қазақша: 'kk' } as const;
const ENTRY: Record<Lang, string> = { English: 'Become a volunteer', Русский: 'Стать волонтёром', Қазақша: 'Волонтер болу' };
const NAME: Record<Lang, string> = { English: 'Aigerim Sarsenova', Русский: 'Айгерим Сарсенова', Қазақша: 'Әйгерім Сәрсенова' };
const AREAS: Record<Lang, string> = { English: 'What would you like to help with?', Русский: 'Чем вы хотели бы помогать?', Қазақша: 'Немен көмектескіңіз келеді?' };
const WHEN: Record<Lang, string> = { English: 'When can you usually help?', Русский: 'Когда вы обычно можете помогать?', Қазақша: 'Әдетте қашан көмектесе аласыз?' };
const SKILLS: Record<Lang, string> = { English: 'Do you have any of these skills?', Русский: 'Есть ли у вас такие навыки?', Қазақша: 'Сізде осындай дағдылар бар ма?' };
const CHOOSE_MANY: Record<Lang, string> = { English: 'Please tap the buttons or type the numbers', Русский: 'Нажмите кнопки или напишите номера', Қазақша: 'Батырмаларды басыңыз немесе' };
const CHOOSE: Record<Lang, string> = { English: 'Please tap a button or type its number', Русский: 'Нажмите кнопку или напишите её номер', Қазақша: 'Батырманы басыңыз немесе оның нөмірін' };
const WEEKENDS_ANSWER: Record<Lang, string> = {
  English: 'many missions are on Saturdays and Sundays',
  Русский: 'многие миссии проходят по субботам и воскресеньям',
  Қазақша: 'көп миссия сенбі мен жексенбіде өтеді',
};
const TYPE: Record<Lang, string> = { English: 'What support are you applying for?', Русский: 'На какую поддержку вы подаёте заявку?', Қазақша: 'Қандай қолдауға өтініш бересіз?' };
const FULL_NAME: Record<Lang, string> = { English: 'Please type your full name', Русский: 'Напишите ваши фамилию, имя и отчество', Қазақша: 'тегіңізді, атыңызды және әкеңіздің' };
const LOAN_ANSWER = 'A microloan is repaid in parts, at a low interest rate.';

describe('a sentence naming one option answers a tap step', () => {
  let app: TestApp;
  let nextChat = 8800;
  beforeAll(async () => {
    app = await createSceneHarness('tap_sentence', { now: () => NOW });
    await app.bot.services.faq.seedIfEmpty();
    const report = await app.bot.services.faq.importEntries([
      {
        id: 'volunteer-weekends',
        topic: 'volunteering',
        en: { q: 'Can I help only on weekends?', k: 'weekends weekend help volunteer', a: `Yes: ${WEEKENDS_ANSWER.English}.` },
        ru: { q: 'Можно помогать только по выходным?', k: 'выходные выходным помогать могу волонтёр', a: `Да: ${WEEKENDS_ANSWER.Русский}.` },
        kk: { q: 'Тек демалыс күндері көмектесуге бола ма?', k: 'демалыс күндері көмектесу волонтер', a: `Иә: ${WEEKENDS_ANSWER.Қазақша}.` },
      },
      {
        id: 'what-is-a-microloan',
        topic: 'grants',
        en: { q: 'What is a microloan?', k: 'microloan loan want apply', a: LOAN_ANSWER },
        ru: { q: 'Что такое микрокредит?', k: 'микрокредит кредит заявка', a: 'Микрокредит возвращают частями, под низкий процент.' },
        kk: { q: 'Микрокредит деген не?', k: 'микрокредит несие', a: 'Микрокредит бөліп, төмен пайызбен қайтарылады.' },
      },
    ]);
    expect(report.rejected).toEqual([]);
  }, 60_000);
  afterAll(async () => app?.close());

  const answers = async (chat: number) => (await app.bot.sessions.peek(chat))?.scene?.answers ?? {};

  /** A new person at the volunteer sign-up's "what would you like to help with". */
  async function atAreas(lang: Lang): Promise<number> {
    const chat = nextChat++;
    await onboard(app, chat, lang);
    await app.tapLike(chat, ENTRY[lang]);
    await app.say(chat, NAME[lang]);
    await app.say(chat, '25');
    await app.send(app.api.contact(chat, '+77011234567', { enqueue: false }));
    await app.say(chat, 'Астана');
    expect(app.last(chat).text).toContain(AREAS[lang]);
    app.drain(chat);
    return chat;
  }

  async function atWhen(lang: Lang): Promise<number> {
    const chat = await atAreas(lang);
    await app.say(chat, '3, 4');
    expect(app.last(chat).text).toContain(WHEN[lang]);
    app.drain(chat);
    return chat;
  }

  /** Says the text at "when can you help": what the bot said, and checks it asked the same again. */
  async function askedAgain(chat: number, lang: Lang, typed: string): Promise<string> {
    await app.say(chat, typed);
    const said = app.drain(chat).join('\n');
    expect(app.last(chat).text, typed).toContain(WHEN[lang]);
    expect((await answers(chat)).availability, typed).toBeUndefined();
    return said;
  }

  const SAYS_WEEKENDS: Record<Lang, string> = {
    English: 'I can help on weekends',
    Русский: 'могу помогать по выходным',
    Қазақша: 'демалыс күндері көмектесе аламын',
  };
  const SAYS_NOT_WEEKENDS: Record<Lang, string> = {
    English: "I can't help on weekends",
    Русский: 'не могу по выходным',
    Қазақша: 'демалыс күндері көмектесе алмаймын',
  };
  for (const lang of ['English', 'Русский', 'Қазақша'] as const) {
    it(`${lang}: "${SAYS_WEEKENDS[lang]}" answers "when can you help", and the next question follows`, async () => {
      const chat = await atWhen(lang);
      // The knowledge base would answer it: before, that was all the person got.
      expect((await app.bot.services.faq.ask(LOCALE[lang], SAYS_WEEKENDS[lang])).hits.length).toBeGreaterThan(0);
      await app.say(chat, SAYS_WEEKENDS[lang]);
      const said = app.drain(chat).join('\n');
      expect(said).not.toContain(WEEKENDS_ANSWER[lang]);
      expect(app.last(chat).text).toContain(SKILLS[lang]);
      expect((await answers(chat)).availability).toEqual(['weekends']);
    });

    it(`${lang}: "${SAYS_NOT_WEEKENDS[lang]}" picks nothing: the step's own message and the same question`, async () => {
      const chat = await atWhen(lang);
      expect((await app.bot.services.faq.ask(LOCALE[lang], SAYS_NOT_WEEKENDS[lang])).hits.length).toBeGreaterThan(0);
      const said = await askedAgain(chat, lang, SAYS_NOT_WEEKENDS[lang]);
      expect(said).toContain(CHOOSE_MANY[lang]);
      expect(said).not.toContain(WEEKENDS_ANSWER[lang]);
    });
  }

  const SAYS_BUSY_WEEKENDS: Record<Lang, string> = {
    English: 'I work on weekends',
    Русский: 'по выходным работаю',
    Қазақша: 'демалыс күндері жұмыс істеймін',
  };
  const SAYS_FREE_WEEKENDS: Record<Lang, string> = {
    English: 'free on weekends',
    Русский: 'свободен по выходным',
    Қазақша: 'демалыс күндері боспын',
  };
  for (const lang of ['English', 'Русский', 'Қазақша'] as const) {
    it(`${lang}: "${SAYS_BUSY_WEEKENDS[lang]}" says the person is busy then: asked again; "${SAYS_FREE_WEEKENDS[lang]}" answers`, async () => {
      const chat = await atWhen(lang);
      const said = await askedAgain(chat, lang, SAYS_BUSY_WEEKENDS[lang]);
      expect(said).toContain(CHOOSE_MANY[lang]);
      expect(said).not.toContain(WEEKENDS_ANSWER[lang]);
      await app.say(chat, SAYS_FREE_WEEKENDS[lang]);
      expect(app.last(chat).text).toContain(SKILLS[lang]);
      expect((await answers(chat)).availability).toEqual(['weekends']);
    });
  }

  it('a "no" typed in haste ("нетт", "noo", "zhok") asks again; a hedge ("наверное") answers', async () => {
    const ru = await atWhen('Русский');
    expect(await askedAgain(ru, 'Русский', 'нетт, по выходным никак')).toContain(CHOOSE_MANY.Русский);
    await app.say(ru, 'наверное по выходным');
    expect((await answers(ru)).availability).toEqual(['weekends']);
    const en = await atWhen('English');
    expect(await askedAgain(en, 'English', 'noo weekends')).toContain(CHOOSE_MANY.English);
    await app.say(en, 'maybe weekends');
    expect((await answers(en)).availability).toEqual(['weekends']);
    const kk = await atWhen('Қазақша');
    expect(await askedAgain(kk, 'Қазақша', 'demalys kunderi zhok')).toContain(CHOOSE_MANY.Қазақша);
    await app.say(kk, 'мүмкін демалыс күндері');
    expect((await answers(kk)).availability).toEqual(['weekends']);
  });

  it('a condition is no plain answer either; the step asks again', async () => {
    const chat = await atWhen('Русский');
    for (const typed of ['если получится, по выходным', 'кроме выходных, в любое время']) {
      expect(await askedAgain(chat, 'Русский', typed)).toContain(CHOOSE_MANY.Русский);
    }
    const kk = await atWhen('Қазақша');
    expect(await askedAgain(kk, 'Қазақша', 'егер уақытым болса, демалыс күндері')).toContain(CHOOSE_MANY.Қазақша);
    const en = await atWhen('English');
    expect(await askedAgain(en, 'English', 'weekends, but only if it is not raining')).toContain(CHOOSE_MANY.English);
  });

  it('hostile texts: two options, a question with an option word, a long text; emoji and Latin look-alikes still answer', async () => {
    const chat = await atWhen('English');
    // Two options named: as before (here the knowledge base finds its entry for it).
    await askedAgain(chat, 'English', 'I can help on weekends and in the evenings');
    // A question that names an option is still a question.
    expect(await askedAgain(chat, 'English', 'can I help on weekends?')).toContain(WEEKENDS_ANSWER.English);
    expect(await askedAgain(chat, 'English', 'can I help on weekends')).toContain(WEEKENDS_ANSWER.English);
    // A story of many words is no answer to read one word of.
    await askedAgain(chat, 'English', `I can help on weekends ${'and I really like helping people '.repeat(60)}`);
    await askedAgain(chat, 'English', 'weekends '.repeat(300));
    await app.say(chat, '🙂 weekends are best for me 🙌');
    expect(app.last(chat).text).toContain(SKILLS.English);
    expect((await answers(chat)).availability).toEqual(['weekends']);

    // "мoгу пoмoгaть пo выxoдным" with Latin o, a and x, as a keyboard switched mid-word gives them.
    const ru = await atWhen('Русский');
    await app.say(ru, 'мoгу пoмoгaть пo выxoдным');
    expect(app.last(ru).text).toContain(SKILLS.Русский);
    expect((await answers(ru)).availability).toEqual(['weekends']);
  });

  it('other steps of the form: an area in a sentence in Kazakh, "no special skills" with its own "нет" in Russian', async () => {
    const kk = await atAreas('Қазақша');
    await app.say(kk, 'мен жануарларға көмектескім келеді');
    expect(app.last(kk).text).toContain(WHEN.Қазақша);
    expect((await answers(kk)).areas).toEqual(['animals']);

    const ru = await atWhen('Русский');
    await app.say(ru, 'по вечерам после работы');
    expect(app.last(ru).text).toContain(SKILLS.Русский);
    await app.say(ru, 'у меня нет водительских прав');
    expect(app.drain(ru).join('\n')).toContain(CHOOSE_MANY.Русский);
    expect(app.last(ru).text).toContain(SKILLS.Русский);
    await app.say(ru, 'у меня нет особых навыков');
    expect((await answers(ru)).skills).toEqual(['none']);
  });

  it('a sentence at a multi-choice step keeps the options tapped before: it adds its own and waits for Done', async () => {
    const chat = await atWhen('Русский');
    await app.tapLike(chat, 'В будни');
    app.drain(chat);
    await app.say(chat, 'и по выходным тоже');
    expect(app.last(chat).text).toContain(WHEN.Русский);
    expect(app.last(chat).text).toContain('Уже выбрано: В будни; В выходные');
    expect((await answers(chat)).availability).toBeUndefined();
    await app.tapLike(chat, 'Готово');
    expect(app.last(chat).text).toContain(SKILLS.Русский);
    expect((await answers(chat)).availability).toEqual(['weekdays', 'weekends']);
  });

  it('found by attack: "немогу" run together, "без", "busy" and a Kazakh "not" typed short pick nothing', async () => {
    const ru = await atWhen('Русский');
    for (const typed of ['немогу по выходным', 'по выходным занята', 'по выходным неполучится']) expect(await askedAgain(ru, 'Русский', typed), typed).toContain(CHOOSE_MANY.Русский);
    const kk = await atWhen('Қазақша');
    expect(await askedAgain(kk, 'Қазақша', 'демалыс күндері көмектесе алмаймн')).toContain(CHOOSE_MANY.Қазақша);
    const en = await atWhen('English');
    expect(await askedAgain(en, 'English', "I'm busy on weekends")).toContain(CHOOSE_MANY.English);
    await app.say(en, 'weekends, no problem');
    expect((await answers(en)).availability).toEqual(['weekends']);
    await app.say(en, 'without a driving licence');
    expect(app.last(en).text).toContain(SKILLS.English);
    expect((await answers(en)).skills).toBeUndefined();
  });

  it('found by attack: "бәрі" (all) and "уақытым бар" (I have time) are not "the elderly and disabled" ("барлар")', async () => {
    const kk = await atAreas('Қазақша');
    for (const typed of ['бәрі', 'көмектесуге уақытым бар']) {
      await app.say(kk, typed);
      expect(app.last(kk).text, typed).toContain(AREAS.Қазақша);
      expect((await answers(kk)).areas, typed).toBeUndefined();
    }
  });

  const SAYS_LOAN: Record<Lang, string> = {
    English: 'I want to apply for a microloan',
    Русский: 'хочу подать заявку на микрокредит',
    Қазақша: 'маған микрокредит алғым келеді',
  };
  for (const lang of ['English', 'Русский', 'Қазақша'] as const) {
    it(`${lang}: the grant form's "what support" takes "${SAYS_LOAN[lang]}"`, async () => {
      const chat = nextChat++;
      await onboard(app, chat, lang);
      await openApplication(app, chat);
      expect(app.last(chat).text).toContain(TYPE[lang]);
      await app.say(chat, SAYS_LOAN[lang]);
      expect(app.last(chat).text).toContain(FULL_NAME[lang]);
      expect((await answers(chat)).type).toBe('microloan');
    });
  }

  it('the grant form: "not a microloan" and "what is a microloan" are not taken; a sector in a sentence is', async () => {
    const chat = nextChat++;
    await onboard(app, chat);
    await openApplication(app, chat);
    app.drain(chat);
    await app.say(chat, 'I do not want a microloan');
    expect(app.drain(chat).join('\n')).toContain(CHOOSE.English);
    await app.say(chat, 'what is a microloan');
    expect(app.drain(chat).join('\n')).toContain(LOAN_ANSWER);
    expect(app.last(chat).text).toContain(TYPE.English);
    expect((await answers(chat)).type).toBeUndefined();

    const ru = nextChat++;
    await onboard(app, ru, 'Русский');
    await openApplication(app, ru);
    for (const answer of ['1', 'Алия Сарсенбаева', IIN.adultE, '+7 701 123 45 67', 'Астана', '1', '6', '4']) await app.say(ru, answer);
    expect(app.last(ru).text).toContain('Чем будет заниматься ваш бизнес?');
    await app.say(ru, 'я хочу заниматься торговлей одеждой');
    expect((await answers(ru)).sector).toBe('trade');
  });

  it('found by attack: a Kazakh "what is" ("микрокредит деген не") goes to the knowledge base, not "asked again"', async () => {
    const chat = nextChat++;
    await onboard(app, chat, 'Қазақша');
    await openApplication(app, chat);
    app.drain(chat);
    await app.say(chat, 'микрокредит деген не');
    expect(app.drain(chat).join('\n')).toContain('Микрокредит бөліп, төмен пайызбен қайтарылады.');
    expect(app.last(chat).text).toContain(TYPE.Қазақша);
    expect((await answers(chat)).type).toBeUndefined();
  });
});
