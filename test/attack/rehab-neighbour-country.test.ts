// A relative in Bishkek, Omsk or Novosibirsk shares their location. Those cities lie inside the
// rectangle around Kazakhstan, so the check for "abroad" let them through and the bot listed
// centres two hundred kilometres away as "the nearest to you". They are told, as from Moscow;
// towns on Kazakhstan's side of the border (Korday across from Bishkek, Khorgos, Saryagash by
// Tashkent) are not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { isInKazakhstanBox } from '../../src/domain/geo.js';
import { isInKazakhstan } from '../../src/domain/kazakhstan-border.js';
import { openSearch } from '../rehab/rehab-helpers.js';

const ABROAD = {
  Bishkek: [42.87, 74.59], Omsk: [54.98, 73.37], Novosibirsk: [55.03, 82.92], Barnaul: [53.35, 83.77], Orenburg: [51.77, 55.1],
  Samara: [53.2, 50.15], Astrakhan: [46.35, 48.03], Chelyabinsk: [55.16, 61.4], Namangan: [41.0, 71.67], Nukus: [42.46, 59.6],
  Karakol: [42.49, 78.39], Rubtsovsk: [51.52, 81.2], Talas: [42.52, 72.24],
  // Within (or, Tyup, just past) the outline's 20 km margin: the finer line by Tashkent and along
  // the Kyrgyz border takes them out.
  Tashkent: [41.31, 69.28], 'Tashkent, its northern edge': [41.395, 69.3], Chirchiq: [41.47, 69.58], Keles: [41.4, 69.2],
  Yangiyul: [41.11, 69.05], Chinaz: [40.94, 68.76], Tokmok: [42.84, 75.3], Kant: [42.89, 74.85], Ivanovka: [42.89, 75.08],
  Kemin: [42.78, 75.69], Tyup: [42.73, 78.36],
} as const;

const AT_HOME = {
  Korday: [43.04, 74.71], 'Korday, by the crossing': [43.0, 74.8], Khorgos: [44.21, 80.41], Saryagash: [41.45, 69.17], Zhetysai: [40.77, 68.33],
  Petropavl: [54.87, 69.15], Zaysan: [47.47, 84.87], Narynkol: [42.72, 80.13], Ganyushkino: [46.6, 49.27], Zhanybek: [49.42, 46.85],
  Aktau: [43.65, 51.2], Almaty: [43.24, 76.9], Ridder: [50.34, 83.51], Zhitikara: [52.19, 61.2],
  // Next to the finer line: 1-2 km from it on the Kazakh side.
  'Saryagash, its southern edge': [41.445, 69.17], 'Zhibek Zholy, by the crossing': [41.47, 69.36],
  'the Chu\'s north bank opposite Tokmok': [42.865, 75.3], 'Korday, by the bridge over the Chu': [43.025, 74.72],
  Merke: [42.87, 73.18], Kazygurt: [41.76, 69.38], Shymbulak: [43.128, 77.08], Saty: [43.06, 78.41],
} as const;

describe('rehab search: a location in a neighbouring country', () => {
  it.each(Object.entries(ABROAD))('%s is abroad, though inside the rectangle', (_city, [latitude, longitude]) => {
    expect(isInKazakhstanBox({ latitude, longitude })).toBe(true);
    expect(isInKazakhstan({ latitude, longitude })).toBe(false);
  });

  it.each(Object.entries(AT_HOME))('%s is in Kazakhstan', (_town, [latitude, longitude]) => {
    expect(isInKazakhstan({ latitude, longitude })).toBe(true);
  });

  describe('in the chat', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createSceneHarness('attack_rehab_neighbour_country');
      await app.bot.services.centres.seedIfEmpty('data/centres.sample.json');
    }, 60_000);
    afterAll(async () => app?.close());

    it('turns down Bishkek and Omsk in the person\'s language and asks where again; Korday is searched', async () => {
      const chat = 91;
      await onboard(app, chat, 'Русский');
      await openSearch(app, chat, 'Русский');
      app.drain(chat);
      for (const [latitude, longitude] of [ABROAD.Bishkek, ABROAD.Omsk]) {
        await app.send(app.api.location(chat, latitude, longitude, { enqueue: false }));
        expect(app.drain(chat).join('\n')).toContain('за пределами Казахстана');
      }
      await app.send(app.api.location(chat, AT_HOME.Korday[0], AT_HOME.Korday[1], { enqueue: false }));
      const said = app.drain(chat).join('\n');
      expect(said).not.toContain('за пределами Казахстана');
      expect(said).toContain('Кому нужна помощь?');
    });
  });
});
