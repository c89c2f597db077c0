// A shared location is searched nearest first over the whole country, so when it finds nothing
// there is no such centre anywhere in the directory. The bot still said "there are none in the
// neighbouring regions either, try another region", or offered "a neighbouring region" it did
// not show: the person would go through the regions one by one for nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { importCentres } from '../../src/features/rehab/centres-import.js';
import { openSearch } from '../rehab/rehab-helpers.js';

const ASTANA = { latitude: 51.1694, longitude: 71.4491 };

const centre = (id: string, region: string, latitude: number, longitude: number, settings: string[], ageGroups: string[]) => ({
  externalId: id,
  region,
  kind: 'special-social-services',
  settings,
  ageGroups,
  name: { kk: `Орталық ${id}`, ru: `Центр ${id}`, en: `Centre ${id}` },
  address: { ru: `Улица ${id}, 1` },
  latitude,
  longitude,
  phones: [],
  services: [],
  accessibility: [],
  fee: 'free',
});

describe('rehab: nothing found near a shared location', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_rehab_none_anywhere_near');
    const report = await importCentres(
      app.mongo,
      JSON.stringify([
        // Day care for adults far away, and services at home for children in Astana: no day care for children anywhere.
        centre('man-1', 'mangystau', 43.65, 51.17, ['day-care'], ['adults']),
        centre('ast-home', 'astana', 51.17, 71.45, ['home-based'], ['children']),
      ]),
      'json',
    );
    expect(report.rejected).toEqual([]);
  }, 60_000);
  afterAll(async () => app?.close());

  async function searchNear(chat: number, language: 'English' | 'Русский' | 'Қазақша', who: string, help: string): Promise<string> {
    await onboard(app, chat, language);
    await openSearch(app, chat, language);
    await app.send(app.api.location(chat, ASTANA.latitude, ASTANA.longitude, { enqueue: false }));
    await app.say(chat, who);
    app.drain(chat);
    await app.say(chat, help);
    return app.drain(chat).join('\n');
  }

  it.each([
    ['English', 'There are none anywhere else in Kazakhstan either. You can look at services at home in Astana (city):', 'neighbouring'],
    ['Русский', 'В других местах Казахстана таких центров тоже нет. Можно поискать среди услуг на дому (город Астана):', 'соседн'],
    ['Қазақша', 'Қазақстанның басқа жерлерінде де мұндай орталық жоқ. Астана қаласы бойынша үйде көрсетілетін қызметтерден іздеуге болады:', 'Көрші'],
  ] as const)('says there is none in the country and offers services at home (%s)', async (language, says, neighbour) => {
    const chat = 80 + ['English', 'Русский', 'Қазақша'].indexOf(language);
    const text = await searchNear(chat, language, '1', '2'); // a child, day care
    expect(text).toContain(says);
    expect(text).not.toContain(neighbour);
    expect(app.last(chat).buttons.flat()[0]).toMatch(/^1\. .*\(1\)$/);
  });

  it('says to try another kind of help, not another region, when nothing else is there either', async () => {
    const text = await searchNear(84, 'English', '2', '3'); // an adult, services at home
    expect(text).toContain('There are none anywhere else in Kazakhstan either. Please try another kind of help.');
    expect(text).not.toContain('another region');
    expect(app.last(84).buttons.flat()[0]).toBe('1. New search');
  });
});
