// Distances as people read them, in each language: a centre across the street is not "0 km"
// away (it reads as a mistake, or as "here"), large distances are grouped the local way, and
// the decimal sign is the language's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { importCentres } from '../../src/features/rehab/centres-import.js';
import { openSearch } from '../rehab/rehab-helpers.js';

const HERE = { latitude: 51.128, longitude: 71.43 };

const centre = (id: string, latitude: number, longitude: number) => ({
  externalId: id,
  region: 'astana',
  kind: 'rehabilitation',
  settings: [],
  ageGroups: ['children'],
  name: { kk: `Орталық ${id}`, ru: `Центр ${id}`, en: `Centre ${id}` },
  address: { ru: `Улица ${id}, 1` },
  latitude,
  longitude,
  phones: [],
  services: [],
  accessibility: [],
  fee: 'free',
});

describe('rehab: distances in kk, ru and en', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_rehab_distance');
    // One across the street (about 20 metres), one about 4.4 km away.
    const report = await importCentres(app.mongo, JSON.stringify([centre('next-door', 51.1282, 71.4301), centre('farther', 51.168, 71.43)]), 'json');
    expect(report.rejected).toEqual([]);
  }, 60_000);
  afterAll(async () => app?.close());

  it.each([
    ['English', /^1\. Centre next-door \(0\.1 km\)$/m, /^2\. Centre farther \(4\.4 km\)$/m, 'Distance: about 0.1 km'],
    ['Русский', /^1\. Центр next-door \(0,1 км\)$/m, /^2\. Центр farther \(4,4 км\)$/m, 'Расстояние: около 0,1 км'],
    ['Қазақша', /^1\. Орталық next-door \(0,1 км\)$/m, /^2\. Орталық farther \(4,4 км\)$/m, '0,1 км'],
  ] as const)('%s', async (language, near, far, card) => {
    const chat = 80 + ['English', 'Русский', 'Қазақша'].indexOf(language);
    await onboard(app, chat, language);
    await openSearch(app, chat, language);
    await app.send(app.api.location(chat, HERE.latitude, HERE.longitude, { enqueue: false }));
    await app.say(chat, '1');
    app.drain(chat);
    await app.say(chat, '1');
    const list = app.drain(chat).join('\n');
    expect(list).toMatch(near);
    expect(list).toMatch(far);
    await app.say(chat, '1');
    expect(app.drain(chat).join('\n')).toContain(card);
  });
});
