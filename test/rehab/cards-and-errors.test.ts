import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { openSearch } from './rehab-helpers.js';

const CARDS = [
  {
    language: 'English',
    region: 'Karaganda Region',
    name: 'Sample: Karaganda regional rehabilitation centre for children',
    sample: '⚠️ Sample entry: this centre is made up to show how the bot works. It does not exist, so please do not go there.',
    phone: 'Phone:',
    words: ['Address: Karaganda', 'Hours: Mon–Fri', 'Accessibility: step-free entrance', 'Cost: free'],
  },
  {
    language: 'Русский',
    region: 'в Карагандинской области',
    name: 'Образец: областной реабилитационный центр для детей, Караганда',
    sample: '⚠️ Образец записи: этот центр придуман, чтобы показать, как работает бот. Его не существует, пожалуйста, не приезжайте туда.',
    phone: 'Телефон:',
    words: ['Адрес: Караганда', 'Часы работы: Пн–Пт', 'Доступность: вход без ступенек', 'Стоимость: бесплатно'],
  },
  {
    language: 'Қазақша',
    region: 'Қарағанды облысында',
    name: 'Үлгі: балаларға арналған облыстық оңалту орталығы, Қарағанды',
    sample: '⚠️ Үлгі жазба: бұл орталық боттың қалай жұмыс істейтінін көрсету үшін ойдан шығарылған. Ол шын мәнінде жоқ, сондықтан оған бармаңыз.',
    phone: 'Телефоны:',
    words: ['Мекенжайы: Қарағанды', 'Жұмыс уақыты: Дс–Жм', 'Қолжетімділік: баспалдақсыз кіреберіс', 'Құны: тегін'],
  },
] as const;

describe('rehab cards and bad inputs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('rehab-cards', { adminIds: [900] });
    await app.bot.services.centres.seedIfEmpty('data/centres.sample.json');
  });
  afterAll(async () => app?.close());

  it.each(CARDS.map((c, i) => [c.language, c, i] as const))('renders a sample card in %s, saying first that it is a sample', async (_l, card, i) => {
    const chat = 50 + i;
    await onboard(app, chat, card.language);
    await openSearch(app, chat, card.language);
    // The region typed inside a sentence, as people write it.
    await app.say(chat, card.region);
    await app.say(chat, '1');
    await app.say(chat, '1');
    const list = app.drain(chat).join('\n');
    expect(list).toMatch(/⚠️ .*(Sample|Образец|Үлгі)/);
    await app.say(chat, '1');
    const text = app.drain(chat).join('\n');
    for (const word of card.words) expect(text, word).toContain(word);
    const cardText = text.slice(text.indexOf(card.sample));
    // The warning comes before the name, so a screen reader says it first.
    expect(cardText.indexOf(card.sample)).toBe(0);
    expect(cardText.indexOf(card.name)).toBeGreaterThan(0);
    // Made-up numbers may belong to real people: a sample card offers none to call.
    expect(text).not.toContain(card.phone);
    expect(text).not.toMatch(/\+7 7\d{2,3} \d/);
    const venue = app.api.messagesTo(chat).find((m) => m.venue)?.venue;
    expect(venue?.title).toBe(card.name);
    expect(venue?.latitude).toBeCloseTo(49.8, 0);
    expect(venue?.address).toMatch(/Караганд|Қарағанды|Karaganda/);
    expect(app.last(chat).buttons.flat().slice(0, 3)).toHaveLength(3);
  });

  const BAD = [
    ['a sticker', 'sticker'],
    ['5,000 characters', 'x'.repeat(5000)],
    ['an emoji', '😀🙂'],
    ['an unknown region name', 'Atlantis'],
    // Past every list, and no one's age: at "who needs help" a bare 99 is a 99-year-old (an adult).
    ['a number out of range', '150'],
  ] as const;

  async function tryBad(chat: number, question: string, error: RegExp): Promise<void> {
    for (const [what, input] of BAD) {
      if (input === 'sticker') await app.send(app.api.sticker(chat, { enqueue: false }));
      else await app.say(chat, input);
      const text = app.drain(chat).join('\n');
      expect(text, `${question}: ${what}`).toMatch(input === 'sticker' ? /cannot read stickers/ : input.length > 2000 ? /too long/ : error);
      expect(text, `${question}: ${what} asks again`).toContain(question);
    }
  }

  it('answers bad input at every step with the error and the same question', async () => {
    const chat = 60;
    await onboard(app, chat);
    await openSearch(app, chat);
    app.drain(chat);
    await tryBad(chat, 'Where should I look?', /could not find that region/);
    await app.say(chat, 'Astana');
    app.drain(chat);
    await tryBad(chat, 'Who needs help?', /from 1 to 2/);
    await app.say(chat, '2');
    app.drain(chat);
    await tryBad(chat, 'What kind of help is needed?', /from 1 to 7/);
    await app.say(chat, '2'); // day care: several in Astana
    app.drain(chat);
    await tryBad(chat, 'Day care for adults in Astana (city)', /from 1 to \d/);
    await app.say(chat, '1');
    app.drain(chat);
    await tryBad(chat, 'What next?', /from 1 to 3/);
    // Nothing invalid was kept: the search in the session is the one answered.
    const session = await app.bot.sessions.peek(chat);
    expect(session?.data?.rehab).toEqual({ who: 'adults', help: 'day-care', where: { type: 'region', region: 'astana' } });
    expect(JSON.stringify(session)).not.toContain('Atlantis');
  });

  it('shows staff the directory figures per region and kind', async () => {
    const chat = 900;
    await onboard(app, chat);
    await app.tapLike(chat, 'Staff');
    await app.tapLike(chat, 'Directory of centres');
    const text = app.drain(chat).join('\n');
    expect(text).toMatch(/Directory of centres: 66 in all, of them sample entries: 66\./);
    expect(text).toContain('• Karaganda Region: 3');
    expect(text).toContain('• Astana (city): 6');
    expect(text).toContain('• Paralympic and adaptive sport club: ');
    expect(text).toContain('Sample entries are fictitious.');
  });

  it('does not load the sample again when the directory has entries', async () => {
    expect(await app.bot.services.centres.seedIfEmpty('data/centres.sample.json')).toBeNull();
    expect(await app.bot.services.centres.count()).toBe(66);
  });
});
