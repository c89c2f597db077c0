// "Who needs help?" has two buttons, a child (under 18) and an adult (18 or older), but people
// answer it with an age: "7", "мой сын, 7 лет", "ұлым 7 жаста", "мне 45". The age picks the
// button by the directory's boundary (a child is under 18, docs/domain.md), in any of the three
// languages. An age no one has gets a clear message and the same question; the numbers of the
// buttons ("1", "2") keep meaning the buttons. A year of birth gives the age as of the bot's
// clock; a disability group or a time ago is no age, and gets the step's usual message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';
import { BOY_IIN, CHOICE, groupTakenFor, MAN_IIN, startAtWho, WHO, WHO_CLOCK, type SearchLanguage } from '../rehab/rehab-helpers.js';

type Lang = SearchLanguage;
const IMPOSSIBLE: Record<Lang, string> = { English: 'No one is that age', Русский: 'Такого возраста не бывает', Қазақша: 'Мұндай жас болмайды' };

describe('rehab search: an age typed for "who needs help"', () => {
  let app: TestApp;
  let nextChat = 7400;
  beforeAll(async () => {
    app = await createSceneHarness('attack_rehab_typed_age', { now: () => WHO_CLOCK });
    await app.bot.services.centres.seedIfEmpty('data/centres.sample.json');
  }, 60_000);
  afterAll(async () => app?.close());

  /** A new person at the "who" question, in their language. */
  async function atWho(lang: Lang): Promise<number> {
    const chat = nextChat++;
    await startAtWho(app, chat, lang);
    return chat;
  }

  const groupTaken = (chat: number, lang: Lang, answer: string) => groupTakenFor(app, chat, lang, answer);

  const cases: Array<[Lang, string, 'children' | 'adults']> = [
    ['English', '7', 'children'],
    ['English', 'my daughter is 12', 'children'],
    ['English', 'I am 30 years old', 'adults'],
    ['English', '17', 'children'],
    ['English', '18', 'adults'],
    ['English', 'a 7-year-old boy', 'children'],
    ['Русский', 'мой сын, 7 лет', 'children'],
    ['Русский', 'мне 45', 'adults'],
    ['Русский', 'дочке 8 месяцев', 'children'],
    ['Русский', 'папе 70 лет', 'adults'],
    ['Қазақша', 'ұлым 7 жаста', 'children'],
    ['Қазақша', '45 жаста', 'adults'],
    ['Қазақша', 'қызым 16 жаста', 'children'],
    // Typed in another language than the bot's: many Kazakh speakers type in Russian.
    ['Қазақша', 'мне 45', 'adults'],
    ['English', 'ұлым 7 жаста', 'children'],
    // A year of birth, and an age next to a disability group's number.
    ['English', 'born in 1980', 'adults'],
    ['English', 'born in 2015', 'children'],
    ['Русский', '2007 г.р.', 'children'],
    ['Русский', 'сыну 7 лет, 2 группа', 'children'],
    ['Қазақша', '2015 жылы туған', 'children'],
    ['Қазақша', 'ұлым 7 жаста, мүгедектігі 2 топ', 'children'],
    // An age said with the illness in the same sentence, and a group before the age.
    ['Русский', 'ребенок 5 лет болеет аутизмом', 'children'],
    ['Русский', 'мне 60 лет болею диабетом', 'adults'],
    ['Русский', 'мне 56, 3 группа', 'adults'],
    ['Қазақша', 'ұлым 7 жаста туғаннан бері ауырады', 'children'],
    // A bound: which side of 18 is all the question needs.
    ['Русский', 'мне за 60', 'adults'],
    ['English', 'almost 18', 'children'],
    // Not yet 18: a child, though the number is 18.
    ['Русский', 'сыну скоро 18', 'children'],
    ['Қазақша', '18 жасқа толмаған', 'children'],
    // A date of birth in full.
    ['Русский', 'родился 12.05.2015', 'children'],
    ['Қазақша', '01.02.1980', 'adults'],
    // Short, ISO and named dates of birth.
    ['Русский', '12.05.15', 'children'],
    ['English', '2015-05-12', 'children'],
    ['Русский', '12 мая 2015', 'children'],
    ['Қазақша', '12 мамыр 2015 ж.', 'children'],
    ['English', 'May 12, 1980', 'adults'],
    ['English', 'born in May 2015', 'children'],
    // Numbers in words, and Kazakh in Latin letters.
    ['Русский', 'семь лет', 'children'],
    ['Русский', 'двадцать пять', 'adults'],
    ['Қазақша', 'он жеті жаста', 'children'],
    ['Қазақша', 'жиырма бес', 'adults'],
    ['English', 'seventeen', 'children'],
    ['English', 'twenty-five', 'adults'],
    ['English', 'ulym 7 jasta', 'children'],
    ['Қазақша', 'men 45 jastamyn', 'adults'],
    // A range on one side of 18, an approximate age.
    ['Русский', '5-6 лет', 'children'],
    ['Қазақша', '5–6 жаста', 'children'],
    ['English', '40 to 45 years', 'adults'],
    ['Русский', 'около 60', 'adults'],
    ['Қазақша', 'шамамен 7 жаста', 'children'],
    ['English', 'about 7', 'children'],
    // An IIN typed alone says the date of birth (the IIN itself is not kept, see below).
    ['Русский', BOY_IIN, 'children'],
    ['Қазақша', `ЖСН ${MAN_IIN}`, 'adults'],
  ];
  for (const [lang, answer, group] of cases) {
    it(`${lang}: "${answer}" is ${group}`, async () => {
      const chat = await atWho(lang);
      expect(await groupTaken(chat, lang, answer)).toBe(group);
    });
  }

  // "1" and "2" are the numbers of the two buttons, as the question's hint says; a bare number
  // past them can only be an age.
  for (const [answer, group] of [['1', 'children'], ['2', 'adults'], ['ребенок', 'children'], ['adult', 'adults']] as const) {
    it(`"${answer}" still picks its button (${group})`, async () => {
      const chat = await atWho('English');
      expect(await groupTaken(chat, 'English', answer)).toBe(group);
    });
  }

  // A range across 18, what changed over a time, a phone number, twelve digits of no IIN, and a
  // button's number spelled ("two" may be button 2, the adults, or an age of 2).
  const NOT_AN_AGE: Record<Lang, string[]> = {
    English: ['group 2', 'disability group 2', '3 years ago', 'for 2 years', '17 to 18', 'over 3 months he got worse', '+7 701 123 45 67', 'two'],
    Русский: ['2 группа', '2-я группа инвалидности', '3 года назад', 'уже 2 года болеет', '17-18', 'ему за 2 года стало хуже', '87011234567', 'два'],
    Қазақша: ['2 топ', 'мүгедектігі 2 топ', '3 жыл бұрын', '3 жастан бері', '17-18 жаста', '2 жыл ішінде нашарлады', '123456789012', 'екі'],
  };
  for (const lang of ['English', 'Русский', 'Қазақша'] as const) {
    it(`${lang}: a disability group or a time ago is no age: the usual message and the same question`, async () => {
      const chat = await atWho(lang);
      for (const answer of NOT_AN_AGE[lang]) {
        await app.say(chat, answer);
        const said = app.drain(chat).join('\n');
        expect(said, answer).toContain(CHOICE[lang]);
        expect(said, answer).not.toContain(IMPOSSIBLE[lang]);
        expect(app.last(chat).text, answer).toContain(WHO[lang]);
      }
      expect(await groupTaken(chat, lang, '1')).toBe('children');
    });
  }

  for (const lang of ['English', 'Русский', 'Қазақша'] as const) {
    it(`${lang}: an age no one has is turned down and the question asked again`, async () => {
      const chat = await atWho(lang);
      for (const answer of ['150', '-5', '0', '0 лет', '200 жаста']) {
        await app.say(chat, answer);
        const said = app.drain(chat).join('\n');
        expect(said, answer).toContain(IMPOSSIBLE[lang]);
        expect(app.last(chat).text, answer).toContain(WHO[lang]);
      }
      // Nothing was kept: the next answer is still the one to "who".
      expect(await groupTaken(chat, lang, '5')).toBe('children');
    });
  }

  // The phone number or IIN is in the chat, not in what the bot keeps: the session holds the group.
  it('keeps no phone number or IIN typed for "who", only the group an IIN gives', async () => {
    const chat = await atWho('Русский');
    await app.say(chat, '+7 701 123 45 67');
    expect(app.drain(chat).join('\n')).toContain(CHOICE.Русский);
    expect(JSON.stringify(await app.bot.sessions.peek(chat))).not.toMatch(/701\D*123/);
    expect(await groupTaken(chat, 'Русский', BOY_IIN)).toBe('children');
    expect(JSON.stringify(await app.bot.sessions.peek(chat))).not.toContain(BOY_IIN);
  });
});
