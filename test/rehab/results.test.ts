import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { distanceKm } from '../../src/domain/geo.js';
import { importCentres } from '../../src/features/rehab/centres-import.js';
import type { CentreInput } from '../../src/features/rehab/centres-record.js';
import { openSearch } from './rehab-helpers.js';

const SAMPLE = JSON.parse(readFileSync('data/centres.sample.json', 'utf8')) as CentreInput[];
const KARAGANDA = { latitude: 49.802, longitude: 73.0879 };

/** "1. Name (12.3 km)" lines of the newest result page (earlier pages come back as edits). */
function page(text: string): Array<{ name: string; km: number }> {
  const newest = text.slice(text.lastIndexOf('Showing '));
  return [...newest.matchAll(/^\d+\. (.+) \(([\d.,]+) km\)$/gm)].map((m) => ({ name: m[1]!, km: Number(m[2]!.replace(/,/g, '')) }));
}

describe('rehab results: near me, paging', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('rehab-results');
    await app.bot.services.centres.seedIfEmpty('data/centres.sample.json');
  });
  afterAll(async () => app?.close());

  it('orders by true distance from a shared location and pages by five without duplicates', async () => {
    const chat = 10;
    await onboard(app, chat);
    await openSearch(app, chat);
    await app.send(app.api.location(chat, KARAGANDA.latitude, KARAGANDA.longitude, { enqueue: false }));
    await app.say(chat, '1');
    app.drain(chat);
    await app.say(chat, '1');

    const expected = SAMPLE.filter((c) => c.kind === 'rehabilitation' && c.ageGroups.includes('children'))
      .map((c) => ({ name: c.name.en!, km: distanceKm(KARAGANDA, c) }))
      .sort((a, b) => a.km - b.km);
    expect(expected).toHaveLength(20);

    const seen: Array<{ name: string; km: number }> = [];
    for (let p = 0; p < 4; p++) {
      const text = app.drain(chat).join('\n');
      expect(text).toContain('Rehabilitation for children: the nearest to you first.');
      expect(text).toContain(`Showing ${p * 5 + 1}–${p * 5 + 5}.`);
      const rows = page(text);
      expect(rows).toHaveLength(5);
      seen.push(...rows);
      const buttons = app.last(chat).buttons.flat();
      if (p < 3) {
        expect(text).not.toContain('That is the whole list.');
        await app.tap(chat, '6. More centres');
      } else {
        expect(text).toContain('That is the whole list.');
        expect(buttons.some((b) => b.includes('More centres'))).toBe(false);
        expect(buttons).toContain('6. Previous centres');
      }
    }
    expect(new Set(seen.map((s) => s.name)).size).toBe(20);
    expect(seen.map((s) => s.name)).toEqual(expected.map((e) => e.name));
    seen.forEach((s, i) => expect(Math.abs(s.km - expected[i]!.km)).toBeLessThanOrEqual(expected[i]!.km < 10 ? 0.06 : 0.6));
    expect(seen[0]!.name).toBe('Sample: Karaganda regional rehabilitation centre for children');

    // Previous goes back a page; typing its number works like the tap.
    await app.say(chat, '6');
    const back = app.drain(chat).join('\n');
    expect(back).toContain('Showing 11–15.');
    expect(page(back).map((r) => r.name)).toEqual(expected.slice(10, 15).map((e) => e.name));
  });

  it('opens a card from a page and returns to the same page', async () => {
    const chat = 11;
    await onboard(app, chat);
    await openSearch(app, chat);
    await app.send(app.api.location(chat, KARAGANDA.latitude, KARAGANDA.longitude, { enqueue: false }));
    await app.say(chat, '1');
    await app.say(chat, '1');
    await app.say(chat, '6'); // More
    const second = page(app.drain(chat).join('\n'));
    await app.say(chat, '2');
    const card = app.drain(chat).join('\n');
    expect(card).toContain(`[venue] ${second[1]!.name}`);
    expect(card).toMatch(/Distance: about [\d.,]+ km/);
    // Back (navigation) and "Back to the list" both show the page the card came from.
    await app.say(chat, 'Back');
    expect(app.drain(chat).join('\n')).toContain('Showing 6–10.');
    await app.say(chat, '1');
    app.drain(chat);
    await app.tap(chat, '1. Back to the list');
    const again = app.drain(chat).join('\n');
    expect(again).toContain('Showing 6–10.');
    expect(page(again).map((r) => r.name)).toEqual(second.map((r) => r.name));
    await app.say(chat, '1');
    await app.say(chat, '3'); // Main menu
    expect(app.drain(chat).join('\n')).toContain('Main menu. What would you like to do?');
    await app.say(chat, '1');
    expect(app.drain(chat).join('\n')).toContain('Where should I look?');
  });

  it('offers professional rehabilitation only for adults', async () => {
    const chat = 12;
    await onboard(app, chat);
    await openSearch(app, chat);
    await app.say(chat, 'Astana');
    await app.say(chat, '1');
    expect(app.last(chat).buttons.flat().some((b) => b.includes('Professional'))).toBe(false);
    await app.say(chat, 'Back');
    await app.say(chat, '2');
    expect(app.last(chat).buttons.flat()).toContain('6. Job training and job placement');
    await app.say(chat, '6');
    expect(app.drain(chat).join('\n')).toContain('Job training and job placement for adults in Astana (city): 1 centre found.');
  });
});

describe('rehab results: nothing found', () => {
  let app: TestApp;
  const centre = (id: string, region: string, lat: number, lon: number, over: Partial<CentreInput>) => ({
    externalId: id,
    sample: true,
    region,
    kind: 'special-social-services',
    settings: ['day-care'],
    ageGroups: ['adults'],
    name: { kk: `Үлгі ${id}`, ru: `Образец ${id}`, en: `Sample ${id}` },
    address: { en: `Street ${id}` },
    latitude: lat,
    longitude: lon,
    phones: ['+77212550101'],
    services: [],
    accessibility: [],
    fee: 'free',
    ...over,
  });
  beforeAll(async () => {
    app = await createTestApp('rehab-empty');
    const report = await importCentres(
      app.mongo,
      JSON.stringify([
        centre('k1', 'karaganda', 49.8, 73.1, {}),
        centre('k2', 'karaganda', 49.81, 73.09, {}),
        centre('q1', 'kostanay', 53.22, 63.63, {}),
        centre('u-home', 'ulytau', 47.78, 67.77, { kind: 'territorial-social-services', settings: ['home-based'] }),
        centre('u-kids', 'ulytau', 47.79, 67.76, { kind: 'rehabilitation', ageGroups: ['children'] }),
      ]),
      'json',
    );
    expect(report.rejected).toEqual([]);
  });
  afterAll(async () => app?.close());

  it('says so plainly and offers neighbouring regions and services at home', async () => {
    const chat = 20;
    await onboard(app, chat);
    await openSearch(app, chat);
    await app.say(chat, 'Ulytau');
    await app.say(chat, '2');
    app.drain(chat);
    await app.say(chat, '2'); // Day care
    const text = app.drain(chat).join('\n');
    expect(text).toContain('Sorry, I found no centres of this kind (Day care for adults) in Ulytau Region.');
    expect(text).toContain('You can look in a neighbouring region, or at services at home in Ulytau Region:');
    expect(app.last(chat).buttons.flat().slice(0, 4)).toEqual([
      '1. Karaganda Region (2)',
      '2. Kostanay Region (1)',
      '3. Services at home (1)',
      '4. New search',
    ]);
    await app.say(chat, '1');
    expect(app.drain(chat).join('\n')).toContain('Day care for adults in Karaganda Region: 2 centres found.');
  });

  it('leads to the services at home of the region', async () => {
    const chat = 21;
    await onboard(app, chat);
    await openSearch(app, chat);
    await app.say(chat, 'Улытау');
    await app.say(chat, '2');
    await app.say(chat, '2');
    app.drain(chat);
    await app.tapLike(chat, 'Services at home (');
    const text = app.drain(chat).join('\n');
    expect(text).toContain('Services at home for adults in Ulytau Region: 1 centre found.');
    expect(text).toContain('Sample u-home');
  });

  it('says when the neighbours have nothing either', async () => {
    const chat = 22;
    await onboard(app, chat);
    await openSearch(app, chat);
    await app.say(chat, 'Ulytau');
    await app.say(chat, '1');
    await app.say(chat, '6'); // sport, for children
    const text = app.drain(chat).join('\n');
    expect(text).toContain('There are none in the neighbouring regions either.');
    expect(app.last(chat).buttons.flat()[0]).toBe('1. New search');
    await app.say(chat, '1');
    expect(app.drain(chat).join('\n')).toContain('Where should I look?');
  });
});
