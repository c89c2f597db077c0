import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { REGION_KEYS, REGIONS, regionKeysByName, regionName } from '../../src/domain/regions.js';
import { openSearch, searchTyped } from './rehab-helpers.js';

describe('rehab search: every region by button and by typed name', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('rehab-regions');
    await app.bot.services.centres.seedIfEmpty('data/centres.sample.json');
  });
  afterAll(async () => app?.close());

  it('reaches results for each of the 20 regions chosen with its button', async () => {
    const chat = 100;
    await onboard(app, chat);
    // The buttons list the regions in the reader's alphabetical order.
    for (const [index, key] of regionKeysByName('en').entries()) {
      await openSearch(app, chat);
      await app.tap(chat, `${index + 1}. ${regionName(key, 'en')}`);
      await app.tap(chat, '1. A child (under 18)');
      app.drain(chat);
      await app.tap(chat, '1. Rehabilitation');
      const text = app.drain(chat).join('\n');
      expect(text, key).toContain(`Rehabilitation for children in ${regionName(key, 'en')}: 1 centre found.`);
      expect(app.last(chat).buttons[0]![0], key).toMatch(/^1\. Sample: /);
      await app.say(chat, 'Main menu');
    }
  });

  it.each(['kk', 'ru', 'en'] as const)('reaches results for each region typed in %s', async (locale) => {
    const chat = 200 + ['kk', 'ru', 'en'].indexOf(locale);
    await onboard(app, chat);
    for (const key of REGION_KEYS) {
      await openSearch(app, chat);
      const text = await searchTyped(app, chat, REGIONS[key].names[locale], '1', '1');
      expect(text, `${locale} ${key}`).toContain(`in ${regionName(key, 'en')}: 1 centre found.`);
      await app.say(chat, 'Main menu');
    }
  });

  let variantChat = 0;
  it.each([
    ['Нур-Султан', 'astana'],
    ['Абайская', 'abai'],
    ['Алма-Ата', 'almaty'],
    ['Жетысуская', 'zhetysu'],
    ['Улытауская', 'ulytau'],
    ['Карагандинской области', 'karaganda'],
    ['в Карагандинской области', 'karaganda'],
    ['Қарағанды облысында', 'karaganda'],
    ['в Нур-Султане', 'astana'],
    ['Алматыда', 'almaty'],
    ['in Pavlodar', 'pavlodar'],
    ['Усть-Каменогорск', 'east-kazakhstan'],
  ] as const)('understands the variant "%s"', async (typed, key) => {
    const chat = 300 + (variantChat += 1);
    await onboard(app, chat);
    await openSearch(app, chat);
    const text = await searchTyped(app, chat, typed, '1', '1');
    expect(text).toContain(`in ${regionName(key, 'en')}: 1 centre found.`);
  });

  it('lists the regional centre city first', async () => {
    const chat = 400;
    await onboard(app, chat);
    await openSearch(app, chat);
    // Karaganda Region, adults, services at home: the Karaganda city centre, then Temirtau.
    const text = await searchTyped(app, chat, 'Karaganda', '2', '3');
    expect(text).toContain('Services at home for adults in Karaganda Region: 2 centres found.');
    const first = text.indexOf('Sample: Karaganda day care');
    const second = text.indexOf('Sample: Temirtau');
    expect(first).toBeGreaterThan(-1);
    expect(second).toBeGreaterThan(first);
  });
});
