import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { centreModel } from '../../src/features/rehab/centre.model.js';
import { importCentres } from '../../src/features/rehab/centres-import.js';
import type { CentreInput } from '../../src/features/rehab/centres-record.js';
import { openSearch, searchTyped } from './rehab-helpers.js';

/** A real-looking (not sample) day-care centre for adults in Karaganda Region. */
const centre = (id: string, town: string, latitude: number, longitude: number, over: Partial<CentreInput> = {}) => ({
  externalId: id,
  region: 'karaganda',
  kind: 'special-social-services',
  settings: ['day-care'],
  ageGroups: ['adults'],
  name: { kk: `${town} орталығы ${id}`, ru: `Центр ${town} ${id}`, en: `${town} centre ${id}` },
  address: { ru: `${town}, ул. Мира, 1` },
  latitude,
  longitude,
  phones: ['+77212410101', '+77015550101'],
  accessibility: [],
  services: ['social-work'],
  fee: 'free',
  ...over,
});

// Three in Karaganda itself (within 25 km of the regional centre), four elsewhere in the region.
const DIRECTORY = [
  centre('k-far', 'Balkhash', 46.848, 74.995),
  centre('k-temirtau', 'Temirtau', 50.054, 72.964),
  centre('k-city-1', 'Karaganda', 49.806, 73.09, {
    website: 'https://example.org/karaganda',
    hours: { kk: 'Дс–Жм 9:00–18:00', ru: 'Пн–Пт 9:00–18:00', en: 'Mon–Fri 9:00–18:00' },
    accessibility: ['step-free', 'sign-language'],
  }),
  centre('k-shakhtinsk', 'Shakhtinsk', 49.71, 72.59),
  centre('k-city-2', 'Karaganda', 49.83, 73.12),
  centre('k-abai', 'Abai town', 49.63, 72.86),
  centre('k-city-3', 'Karaganda', 49.75, 73.05),
];

/** The centre names of the newest page, in order. */
function names(text: string): string[] {
  const newest = text.slice(text.lastIndexOf('Showing '));
  return [...newest.matchAll(/^\d+\. (.+ centre k-[\w-]+)$/gm)].map((m) => m[1]!);
}

describe('rehab: paging a region, Back, old buttons, real cards', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('rehab-paging');
    const report = await importCentres(app.mongo, JSON.stringify(DIRECTORY), 'json');
    expect(report.rejected).toEqual([]);
  });
  afterAll(async () => app?.close());

  it('pages five at a time, the regional centre city first, with More, Previous and Back', async () => {
    const chat = 10;
    await onboard(app, chat);
    await openSearch(app, chat);
    const first = await searchTyped(app, chat, 'Karaganda Region', '2', '2');
    expect(first).toContain('Day care for adults in Karaganda Region: 7 centres found.');
    expect(first).toContain('Showing 1–5.');
    expect(first).not.toContain('Sample');
    const page1 = names(first);
    expect(page1.slice(0, 3).every((n) => n.startsWith('Karaganda centre'))).toBe(true);
    expect(page1).toHaveLength(5);
    expect(app.last(chat).buttons.flat()).toContain('6. More centres');

    await app.tap(chat, '6. More centres');
    const second = app.drain(chat).join('\n');
    expect(second).toContain('Showing 6–7.');
    expect(second).toContain('That is the whole list.');
    const page2 = names(second);
    expect(page2).toHaveLength(2);
    expect(new Set([...page1, ...page2]).size).toBe(7);
    // The farthest town of the region comes last.
    expect(page2.at(-1)).toBe('Balkhash centre k-far');

    // Back (the navigation button) on a later page shows the page before it...
    await app.tap(chat, 'Back');
    const back = app.drain(chat).join('\n');
    expect(back).toContain('Showing 1–5.');
    expect(names(back)).toEqual(page1);
    // ...and on the first page, the search again.
    await app.say(chat, 'Back');
    expect(app.drain(chat).join('\n')).toContain('Where should I look?');
  });

  it('does not open another centre when a button of an earlier page is tapped', async () => {
    const chat = 11;
    await onboard(app, chat);
    await openSearch(app, chat);
    await searchTyped(app, chat, 'Karaganda', '2', '2');
    const page1 = app.api.visibleMessages(chat).filter((m) => m.buttons.length > 0).at(-1)!;
    await app.say(chat, '6'); // More, typed: the first page keeps its buttons on screen
    const page2 = names(app.drain(chat).join('\n'));
    await app.send(app.api.callback(chat, page1.callbackData[0]![0]!, page1.messageId, { enqueue: false }));
    const text = app.drain(chat).join('\n');
    expect(app.api.callsOf('answerCallbackQuery').at(-1)?.payload.text).toBe('This button belongs to an earlier question.');
    expect(text).not.toContain('[venue]');
    expect(text).toContain('Showing 6–7.');
    // The current page's own buttons still work.
    await app.tap(chat, `1. ${page2[0]}`);
    expect(app.drain(chat).join('\n')).toContain(`[venue] ${page2[0]}`);
  });

  it.each([
    ['English', 'Phone: +7 7212 410101\n+7 701 555 01 01', 'Accessibility: step-free entrance, sign language', 'Accessibility: no information yet. Please ask the centre before you go.'],
    ['Русский', 'Телефон: +7 7212 410101\n+7 701 555 01 01', 'Доступность: вход без ступенек, сурдоперевод', 'Доступность: сведений пока нет. Пожалуйста, уточните в центре, прежде чем ехать.'],
    ['Қазақша', 'Телефоны: +7 7212 410101\n+7 701 555 01 01', 'Қолжетімділік: баспалдақсыз кіреберіс, ымдау тілі', 'Қолжетімділік: әзірге мәлімет жоқ. Барар алдында орталықтан нақтылаңыз.'],
  ] as const)('shows a real centre in %s: phones to tap, accessibility or that it is not known', async (language, phones, access, unknown) => {
    const chat = 20 + ['English', 'Русский', 'Қазақша'].indexOf(language);
    await onboard(app, chat, language);
    await openSearch(app, chat, language);
    await searchTyped(app, chat, 'Қарағанды', '2', '2');
    await app.say(chat, '1'); // the city centre with full details comes first (nearest to the hub)
    const card = app.drain(chat).join('\n');
    // Each number alone on its line, in the form Telegram makes tappable.
    expect(card).toContain(phones);
    expect(card).toContain(access);
    expect(card).toContain('https://example.org/karaganda');
    expect(card).not.toContain('⚠️');
    await app.say(chat, '1'); // back to the list
    app.drain(chat);
    await app.say(chat, '2');
    expect(app.drain(chat).join('\n')).toContain(unknown);
  });

  it('says so when the list changed under a page, and goes back to the first page', async () => {
    const chat = 30;
    await onboard(app, chat);
    await openSearch(app, chat);
    await searchTyped(app, chat, 'Karaganda', '2', '2');
    // Entries are removed while the user reads the first page: both of the second page's (the
    // pages keep the order first shown, so only those empty it) and one of the first page's.
    await centreModel(app.mongo).deleteMany({ externalId: { $in: ['k-far', 'k-shakhtinsk', 'k-temirtau'] } });
    await app.say(chat, '6');
    const text = app.drain(chat).join('\n');
    expect(text).toContain('The list has changed since you opened it, and this page is now empty.');
    await app.tap(chat, '1. Back to the first page');
    const first = app.drain(chat).join('\n');
    expect(first).toContain('Showing 1–4.');
    expect(first).toContain('That is the whole list.');
  });
});
