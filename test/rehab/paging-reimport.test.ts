// Staff re-import the directory while someone reads the first page of a "near me" search: a
// centre moves, a new one appears, one is removed. The next page must go on from where the first
// left off, in the order the person was shown: no centre twice, none that still exists missed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { centreModel } from '../../src/features/rehab/centre.model.js';
import { importCentres } from '../../src/features/rehab/centres-import.js';
import { openSearch } from './rehab-helpers.js';

const HERE = { latitude: 49.802, longitude: 73.0879 };

/** A day-care centre for adults in Karaganda Region, `steps` × 2.2 km north of HERE. */
const centre = (id: string, steps: number, kind = 'special-social-services') => ({
  externalId: id,
  region: 'karaganda',
  kind,
  settings: kind === 'sport' ? [] : ['day-care'],
  ageGroups: ['adults'],
  name: { kk: `Орталық ${id}`, ru: `Центр ${id}`, en: `Centre ${id}` },
  address: { ru: `Караганда, ул. Мира, ${steps}` },
  latitude: HERE.latitude + steps * 0.02,
  longitude: HERE.longitude,
  phones: [],
  accessibility: [],
  services: ['social-work'],
  fee: 'free',
});

const FIRST = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'].map((id, i) => centre(id, i + 1));

/** The centre ids listed on the newest page, in order. */
function listed(text: string): string[] {
  const newest = text.slice(text.lastIndexOf('Showing '));
  return [...newest.matchAll(/^\d+\. Centre (\w+) \(/gm)].map((m) => m[1]!);
}

describe('rehab: paging a search while the directory is re-imported', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('rehab-paging-reimport');
    expect((await importCentres(app.mongo, JSON.stringify(FIRST), 'json')).rejected).toEqual([]);
  });
  afterAll(async () => app?.close());

  it('goes on in the order first shown, without the removed centre, and says the directory changed', async () => {
    const chat = 40;
    await onboard(app, chat);
    await openSearch(app, chat);
    await app.send(app.api.location(chat, HERE.latitude, HERE.longitude, { enqueue: false }));
    await app.say(chat, '2'); // adults
    app.drain(chat);
    await app.say(chat, '2'); // day care
    const first = app.drain(chat).join('\n');
    expect(first).toContain('Showing 1–5.');
    const page1 = listed(first);
    expect(page1).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);

    // The re-import: n7 moved next door, a new centre opened nearby; n8 was taken out.
    const moved = { ...centre('n7', 0.05) };
    const report = await importCentres(app.mongo, JSON.stringify([moved, centre('new', 0.1)]), 'json');
    expect(report).toMatchObject({ added: 1, updated: 1 });
    await centreModel(app.mongo).deleteOne({ externalId: 'n8' });

    await app.tap(chat, '6. More centres');
    const second = app.drain(chat).join('\n');
    const page2 = listed(second);
    expect(page2).toEqual(['n6', 'n7', 'n9']);
    expect(page2.filter((id) => page1.includes(id))).toEqual([]);
    expect(new Set([...page1, ...page2])).toEqual(new Set(FIRST.map((c) => c.externalId).filter((id) => id !== 'n8')));
    expect(second).toContain('Showing 6–8.');
    expect(second).toContain('That is the whole list.');
    expect(second).toContain('The directory of centres was updated after you searched');
    // n7's distance is where it is now.
    expect(second).toMatch(/^2\. Centre n7 \(0\.1 km\)$/m);

    // Back to the first page: the same five, in the same order.
    await app.tap(chat, 'Back');
    expect(listed(app.drain(chat).join('\n'))).toEqual(page1);

    // A new search shows the directory as it is now, and says nothing about a change.
    await app.say(chat, 'Back');
    app.drain(chat);
    await app.send(app.api.location(chat, HERE.latitude, HERE.longitude, { enqueue: false }));
    await app.say(chat, '2');
    app.drain(chat);
    await app.say(chat, '2');
    const fresh = app.drain(chat).join('\n');
    expect(listed(fresh)).toEqual(['n7', 'new', 'n1', 'n2', 'n3']);
    expect(fresh).not.toContain('was updated after you searched');
  });

  it('pages past the centres the search kept at first (ten pages), in order, each once', async () => {
    const sport = Array.from({ length: 57 }, (_, i) => centre(`s${String(i + 1).padStart(2, '0')}`, (i + 1) * 0.5, 'sport'));
    expect((await importCentres(app.mongo, JSON.stringify(sport), 'json')).rejected).toEqual([]);
    const chat = 41;
    await onboard(app, chat);
    await openSearch(app, chat);
    await app.send(app.api.location(chat, HERE.latitude, HERE.longitude, { enqueue: false }));
    await app.say(chat, '2'); // adults
    app.drain(chat);
    await app.say(chat, '7'); // sport
    const seen: string[] = [];
    for (let page = 0; ; page++) {
      const text = app.drain(chat).join('\n');
      seen.push(...listed(text));
      if (text.includes('That is the whole list.')) break;
      expect(page).toBeLessThan(12);
      await app.tap(chat, '6. More centres');
    }
    expect(seen).toEqual(sport.map((c) => c.externalId));
  });
});
