import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/db/connect.js';
import { createLogger } from '../../src/logger.js';
import { distanceKm } from '../../src/domain/geo.js';
import { CentresService } from '../../src/features/rehab/centres.service.js';
import { importCentres } from '../../src/features/rehab/centres-import.js';
import { centreModel } from '../../src/features/rehab/centre.model.js';
import type { ServiceDeps } from '../../src/services/service-deps.js';
import { testMongoUri } from '../support/isolation.js';

const ASTANA = { latitude: 51.1694, longitude: 71.4491 };
const KM_LAT = 1 / 111.195; // degrees of latitude per km
const kmLon = (lat: number) => 1 / (111.195 * Math.cos((lat * Math.PI) / 180));

const entry = (id: string, region: string, latitude: number, longitude: number) => ({
  externalId: id,
  region,
  kind: 'rehabilitation',
  settings: ['day-care'],
  ageGroups: ['children', 'adults'],
  name: { en: id },
  address: { en: id },
  latitude,
  longitude,
  phones: [],
  services: [],
  accessibility: [],
  fee: 'free',
});

describe('CentresService.search', () => {
  let mongo: Connection;
  let centres: CentresService;
  beforeAll(async () => {
    mongo = await connectMongo(testMongoUri('centres-search'));
    centres = new CentresService({ connection: mongo, logger: createLogger('silent') } as unknown as ServiceDeps);
    const report = await importCentres(
      mongo,
      JSON.stringify([
        entry('karaganda', 'karaganda', 49.802, 73.0879),
        entry('pavlodar', 'pavlodar', 52.2873, 76.9674),
        entry('almaty', 'almaty', 43.2389, 76.9458),
        entry('aktau', 'mangystau', 43.6481, 51.1722),
        // Near Astana: 5 km north; 28 km north (outside the 25 km box); 23 km north and 23 km
        // east, i.e. 32.5 km away but inside the corner of the 25 km box.
        entry('north-5', 'astana', ASTANA.latitude + 5 * KM_LAT, ASTANA.longitude),
        entry('north-28', 'akmola', ASTANA.latitude + 28 * KM_LAT, ASTANA.longitude),
        entry('corner-32', 'akmola', ASTANA.latitude + 23 * KM_LAT, ASTANA.longitude + 23 * kmLon(ASTANA.latitude)),
        entry('temirtau', 'karaganda', 50.0547, 72.9644),
      ]),
      'json',
    );
    expect(report.rejected).toEqual([]);
  });
  afterAll(async () => {
    await mongo.dropDatabase().catch(() => undefined);
    await mongo.close();
  });

  const near = (point: { latitude: number; longitude: number }) => ({ who: 'children' as const, help: 'rehabilitation' as const, where: { type: 'point' as const, ...point } });

  it('sorts by true distance, not by what the box happened to contain', async () => {
    const ids: string[] = [];
    for (let page = 0; page < 3; page++) {
      const found = await centres.search(near(ASTANA), page, 1);
      ids.push(found.items[0]!.centre.externalId);
      expect(found.hasMore).toBe(true);
    }
    // corner-32 is inside the first box but farther than north-28, which is outside it.
    expect(ids).toEqual(['north-5', 'north-28', 'corner-32']);
  });

  it('widens the box until it finds enough, and reports distances in km', async () => {
    const found = await centres.search(near(ASTANA), 0, 8);
    const ids = found.items.map((i) => i.centre.externalId);
    expect(ids).toEqual(['north-5', 'north-28', 'corner-32', 'temirtau', 'karaganda', 'pavlodar', 'almaty', 'aktau']);
    expect(found.hasMore).toBe(false);
    expect(found.total).toBe(8);
    const karaganda = found.items.find((i) => i.centre.externalId === 'karaganda')!;
    // Astana to Karaganda is about 190 km as the crow flies.
    expect(karaganda.distanceKm).toBeGreaterThan(180);
    expect(karaganda.distanceKm).toBeLessThan(200);
    expect(karaganda.distanceKm).toBeCloseTo(distanceKm(ASTANA, { latitude: 49.802, longitude: 73.0879 }), 6);
    // From far away (the Caspian coast) the nearest is still found.
    const west = await centres.search(near({ latitude: 43.65, longitude: 51.2 }), 0, 2);
    expect(west.items[0]!.centre.externalId).toBe('aktau');
    expect(west.items[0]!.distanceKm!).toBeLessThan(5);
  });

  it('lists the regional centre city first in a region search', async () => {
    const found = await centres.search({ who: 'adults', help: 'rehabilitation', where: { type: 'region', region: 'karaganda' } }, 0, 5);
    expect(found.items.map((i) => i.centre.externalId)).toEqual(['karaganda', 'temirtau']);
    expect(found.total).toBe(2);
    expect(await centres.countInRegion({ who: 'adults', help: 'day-care' }, 'akmola')).toBe(2);
    expect(await centres.countInRegion({ who: 'adults', help: 'home-based' }, 'akmola')).toBe(0);
  });

  // Last: it changes the directory.
  it('keeps a search\'s order in a list: taken further without repeats, read without removed centres, after an import', async () => {
    const names = async (ids: string[]) => {
      const docs = await centreModel(mongo).find({ _id: { $in: ids } }, { externalId: 1 }).lean();
      const byId = new Map(docs.map((d) => [String(d._id), d.externalId]));
      return ids.map((id) => byId.get(id) ?? 'gone');
    };
    const before = await centres.version();
    const list = await centres.rankedList(near(ASTANA), 3);
    expect(await names(list.ids)).toEqual(['north-5', 'north-28', 'corner-32']);
    expect(list).toMatchObject({ more: true, version: before });

    // An import adds the nearest centre of all: the list goes on after what it holds.
    expect(await importCentres(mongo, JSON.stringify([entry('north-1', 'astana', ASTANA.latitude + KM_LAT, ASTANA.longitude)]), 'json')).toMatchObject({ added: 1 });
    expect(await centres.version()).toBeGreaterThan(before);
    const longer = await centres.extendList(near(ASTANA), list, 3);
    expect(await names(longer.ids)).toEqual(['north-5', 'north-28', 'corner-32', 'north-1', 'temirtau', 'karaganda']);
    expect(longer).toMatchObject({ more: true, version: before });

    await centreModel(mongo).deleteOne({ externalId: 'temirtau' });
    const page = await centres.listPage(near(ASTANA), longer, 1, 3);
    expect(page.items.map((i) => i.centre.externalId)).toEqual(['north-1', 'karaganda']);
    expect(page).toMatchObject({ from: 4, hasMore: true });
    expect(page.items[0]!.distanceKm).toBeCloseTo(1, 1);

    // To the end: nothing past the last, and the count of those still there.
    const all = await centres.extendList(near(ASTANA), longer, 10);
    // temirtau's id stays in its place (removed since, it is skipped when a page is read).
    expect(await names(all.ids)).toEqual(['north-5', 'north-28', 'corner-32', 'north-1', 'gone', 'karaganda', 'pavlodar', 'almaty', 'aktau']);
    expect(all.more).toBe(false);
    const last = await centres.listPage(near(ASTANA), all, 2, 3);
    expect(last.items.map((i) => i.centre.externalId)).toEqual(['pavlodar', 'almaty', 'aktau']);
    expect(last).toMatchObject({ from: 6, hasMore: false, total: 8 });
  });
});
