// Two imports of the rehab centres directory at once (two operators, or two bot processes
// seeding the sample): each moves the directory's version on, and a search's later pages say
// "the directory changed" when the version differs from the one the search was made with. On
// FerretDB a `$inc` of one counter writes the whole document it read, so two imports whose reads
// both came first got the same number. Here the old counter's row is held in PostgreSQL (as an
// earlier release left it), so any write of it by both imports would wait there together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';
import { holdRow, testPostgresUrl } from '../support/row-hold.js';
import { importCentres } from '../../src/features/rehab/centres-import.js';
import { bumpDirectoryVersion, directoryVersion } from '../../src/features/rehab/centres-version.js';
import { counterModel } from '../../src/db/models/counter.js';

const centre = (id: string, street: number) => ({
  externalId: id,
  region: 'karaganda',
  kind: 'special-social-services',
  settings: ['day-care'],
  ageGroups: ['adults'],
  name: { kk: `Орталық ${id}`, ru: `Центр ${id}`, en: `Centre ${id}` },
  address: { ru: `Караганда, ул. Мира, ${street}` },
  latitude: 49.8,
  longitude: 73.1,
  phones: [],
  accessibility: [],
  services: ['social-work'],
  fee: 'free',
});

describe.skipIf(!testPostgresUrl())('attack: two imports of the centres directory at once', () => {
  let app: TestApp;
  const LEGACY = 7;

  beforeAll(async () => {
    app = await createSceneHarness('atk_centres_import_race');
    // The counter of an earlier release's imports: the numbers go on from it.
    await counterModel(app.mongo).collection.insertOne({ _id: 'centres-directory' as never, seq: LEGACY });
    expect(await directoryVersion(app.mongo)).toBe(LEGACY);
  }, 60_000);
  afterAll(async () => app?.close());

  it('each import that changed the directory gets a number of its own, after the earlier release\'s', async () => {
    const row = await holdRow(testPostgresUrl()!, app.mongo.db!.databaseName, 'counters', '_id', 'centres-directory');
    let both: Promise<unknown> = Promise.resolve();
    try {
      both = Promise.all([
        importCentres(app.mongo, JSON.stringify([centre('a1', 1)]), 'json'),
        importCentres(app.mongo, JSON.stringify([centre('b1', 2)]), 'json'),
      ]);
      // Done, or both held on the counter's row (their reads both made before either write).
      await Promise.race([both, row.untilWaiting(2, 10_000)]);
    } finally {
      await row.release();
    }
    await both;
    expect(await directoryVersion(app.mongo)).toBe(LEGACY + 2);
  });

  it('many at once: every one gets a different number, and the version is the highest', async () => {
    const numbers = await Promise.all(Array.from({ length: 6 }, () => bumpDirectoryVersion(app.mongo)));
    expect(new Set(numbers).size).toBe(6);
    expect(await directoryVersion(app.mongo)).toBe(Math.max(...numbers));
    expect(Math.min(...numbers)).toBe(LEGACY + 3);
  });
});
