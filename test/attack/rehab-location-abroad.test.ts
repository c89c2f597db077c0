// A relative abroad (or a phone whose GPS is off, or a pin dropped on the wrong map) shares a
// location outside Kazakhstan. The directory covers Kazakhstan only: "the nearest to you first"
// from Moscow would list centres a thousand kilometres away as if they were near. The person is
// told, in their language, and asked the same question again (share again or choose a region).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { openSearch } from '../rehab/rehab-helpers.js';

const MOSCOW = { latitude: 55.7558, longitude: 37.6173 };
const PAVLODAR = { latitude: 52.2873, longitude: 76.9674 };

describe('rehab search: a location shared from abroad', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_rehab_abroad');
    await app.bot.services.centres.seedIfEmpty('data/centres.sample.json');
  }, 60_000);
  afterAll(async () => app?.close());

  for (const [language, expected] of [
    ['English', 'outside Kazakhstan'],
    ['Русский', 'за пределами Казахстана'],
    ['Қазақша', 'Қазақстаннан тыс'],
  ] as const) {
    it(`says so in ${language} and asks where again; a location at home then works`, async () => {
      const chat = 30 + language.length;
      await onboard(app, chat, language);
      await openSearch(app, chat, language);
      app.drain(chat);
      await app.send(app.api.location(chat, MOSCOW.latitude, MOSCOW.longitude, { enqueue: false }));
      const said = app.drain(chat).join('\n');
      expect(said).toContain(expected);
      // The same question: the regions are offered again, nothing was taken.
      expect(app.last(chat).buttons.flat().length).toBeGreaterThan(10);
      expect(said).not.toMatch(/Step 2 of 3|Шаг 2 из 3|2-қадам/);

      await app.send(app.api.location(chat, PAVLODAR.latitude, PAVLODAR.longitude, { enqueue: false }));
      await app.say(chat, '1');
      app.drain(chat);
      await app.say(chat, '1');
      expect(app.drain(chat).join('\n')).toMatch(/km|км/);
    });
  }
});
