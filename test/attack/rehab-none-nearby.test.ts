// A region with no centre of the kind asked, and none in its neighbouring regions either, is
// not the end of the road when a region farther away has one: East Kazakhstan borders only Abai
// Region, Astana only Akmola. The person is told plainly that the neighbours have none too, and
// offered the nearest region that has such a centre, not only "try another region" to guess at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { importCentres } from '../../src/features/rehab/centres-import.js';
import type { CentreInput } from '../../src/features/rehab/centres-record.js';
import { openSearch, searchTyped } from '../rehab/rehab-helpers.js';

const centre = (id: string, region: string, latitude: number, longitude: number, over: Partial<CentreInput> = {}) => ({
  externalId: id,
  region,
  kind: 'special-social-services',
  settings: ['day-care'],
  ageGroups: ['children'],
  name: { kk: `Орталық ${id}`, ru: `Центр ${id}`, en: `Centre ${id}` },
  address: { ru: `Улица ${id}, 1` },
  latitude,
  longitude,
  phones: [],
  services: [],
  accessibility: [],
  fee: 'free',
  ...over,
});

describe('rehab: none in the region nor its neighbours', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_rehab_none_nearby');
    const report = await importCentres(
      app.mongo,
      JSON.stringify([
        centre('pav-1', 'pavlodar', 52.29, 76.96),
        centre('man-1', 'mangystau', 43.65, 51.17),
        centre('man-2', 'mangystau', 43.66, 51.18),
      ]),
      'json',
    );
    expect(report.rejected).toEqual([]);
  }, 60_000);
  afterAll(async () => app?.close());

  it.each([
    ['English', 'East Kazakhstan', 'There are none in the neighbouring regions either.', 'Pavlodar Region (1)', 'Day care for children in Pavlodar Region: 1 centre found.'],
    ['Русский', 'Восточно-Казахстанская область', 'В соседних регионах таких центров тоже нет.', 'Павлодарская область (1)', 'Павлодарская область: найден 1 центр.'],
    ['Қазақша', 'Шығыс Қазақстан облысы', 'Көрші өңірлерде де мұндай орталық жоқ.', 'Павлодар облысы (1)', '1 орталық табылды'],
  ] as const)('offers the nearest region that has one (%s)', async (language, region, none, button, found) => {
    const chat = 70 + ['English', 'Русский', 'Қазақша'].indexOf(language);
    await onboard(app, chat, language);
    await openSearch(app, chat, language);
    const text = await searchTyped(app, chat, region, '1', '2'); // a child, day care
    expect(text).toContain(none);
    const buttons = app.last(chat).buttons.flat();
    expect(buttons[0]).toBe(`1. ${button}`);
    // Only the nearest: Mangystau, across the country, is not offered as if it were close.
    expect(buttons.join(' ')).not.toMatch(/Mangystau|Маңғыстау|Мангистау/);
    await app.tap(chat, `1. ${button}`);
    expect(app.drain(chat).join('\n')).toContain(found);
  });
});
