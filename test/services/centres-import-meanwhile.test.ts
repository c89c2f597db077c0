// A centre import whose new rows meet something between reading what is stored and inserting
// them: another import taking one of them, or the database stopping. The "meanwhile" is made
// certain with a hook on the insert, instead of hoping two imports started together interleave
// (test/services/centres-import.test.ts runs two at once, which passes whether or not they do).
// Real FerretDB throughout.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/db/connect.js';
import { centreModel } from '../../src/features/rehab/centre.model.js';
import { importCentres } from '../../src/features/rehab/centres-import.js';
import { testMongoUri } from '../support/isolation.js';
import { startRestartableFerret, type RestartableService } from '../support/restartable.js';

const SAMPLE = JSON.parse(readFileSync('data/centres.sample.json', 'utf8')) as Array<Record<string, unknown> & { externalId: string }>;
const FILE = SAMPLE.slice(0, 6);
const TAKEN = FILE[3]!;

/**
 * A connection whose Centre model runs `meanwhile` once, just before its next insertMany: the
 * import has read what is stored and is about to add what it did not find.
 */
async function connectWithMeanwhile(uri: string, meanwhile: { run?: () => Promise<void> }): Promise<Connection> {
  const connection = await connectMongo(uri);
  const scratch = await connectMongo(uri);
  const schema = centreModel(scratch).schema.clone();
  await scratch.close();
  schema.pre('insertMany', async function () {
    const run = meanwhile.run;
    meanwhile.run = undefined;
    await run?.();
  });
  await connection.model('Centre', schema).init();
  return connection;
}

describe('a centre taken by another import between the read and the insert', () => {
  let mongo: Connection;
  let other: Connection;
  const meanwhile: { run?: () => Promise<void> } = {};
  beforeAll(async () => {
    const uri = testMongoUri('centres-meanwhile');
    mongo = await connectWithMeanwhile(uri, meanwhile);
    other = await connectMongo(uri);
  });
  afterEach(async () => {
    meanwhile.run = undefined;
    await centreModel(mongo).deleteMany({});
  });
  afterAll(async () => {
    await mongo?.dropDatabase().catch(() => undefined);
    await mongo?.close();
    await other?.close();
  });

  it('exactly one, the same as the file: the rest added, that one unchanged, each stored once', async () => {
    meanwhile.run = async () => {
      expect((await importCentres(other, JSON.stringify([TAKEN]), 'json')).added).toBe(1);
    };
    const report = await importCentres(mongo, JSON.stringify(FILE), 'json');
    expect(meanwhile.run).toBeUndefined(); // the hook ran
    expect([report.added, report.updated, report.unchanged, report.rejected.length]).toEqual([FILE.length - 1, 0, 1, 0]);
    expect(await centreModel(mongo).countDocuments()).toBe(FILE.length);
    for (const { externalId } of FILE) expect(await centreModel(mongo).countDocuments({ externalId })).toBe(1);
  });

  it('exactly one, older than the file: it is updated to the file, the rest added', async () => {
    const older = { ...TAKEN, fee: TAKEN.fee === 'free' ? 'paid' : 'free' };
    meanwhile.run = async () => {
      expect((await importCentres(other, JSON.stringify([older]), 'json')).added).toBe(1);
    };
    const report = await importCentres(mongo, JSON.stringify(FILE), 'json');
    expect([report.added, report.updated, report.unchanged, report.rejected.length]).toEqual([FILE.length - 1, 1, 0, 0]);
    expect((await centreModel(mongo).findOne({ externalId: TAKEN.externalId }).lean())?.fee).toBe(TAKEN.fee);
    expect(await centreModel(mongo).countDocuments()).toBe(FILE.length);
  });

  it('all but one: the one left is added, the others counted as they are', async () => {
    meanwhile.run = async () => {
      expect((await importCentres(other, JSON.stringify(FILE.slice(1)), 'json')).added).toBe(FILE.length - 1);
    };
    const report = await importCentres(mongo, JSON.stringify(FILE), 'json');
    expect([report.added, report.updated, report.unchanged]).toEqual([1, 0, FILE.length - 1]);
    expect(await centreModel(mongo).countDocuments()).toBe(FILE.length);
  });
});

describe('the database stopping while an import inserts', () => {
  let ferret: RestartableService;
  let mongo: Connection;
  const meanwhile: { run?: () => Promise<void> } = {};
  beforeAll(async () => {
    ferret = await startRestartableFerret();
    mongo = await connectWithMeanwhile(`${ferret.url}centres_outage`, meanwhile);
  }, 60_000);
  afterAll(async () => {
    await mongo?.close().catch(() => undefined);
    await ferret?.destroy();
  });

  it('fails the import (no report claims rows it did not store), and the same file again completes it', async () => {
    meanwhile.run = () => ferret.stop();
    const started = Date.now();
    await expect(importCentres(mongo, JSON.stringify(FILE), 'json')).rejects.toThrow();
    // It gives up by itself (the driver's server selection timeout), not hanging on.
    expect(Date.now() - started).toBeLessThan(30_000);

    await ferret.start();
    const report = await importCentres(mongo, JSON.stringify(FILE), 'json');
    expect(report.rejected).toEqual([]);
    expect(report.added + report.unchanged).toBe(FILE.length);
    expect(report.updated).toBe(0);
    for (const { externalId } of FILE) expect(await centreModel(mongo).countDocuments({ externalId })).toBe(1);
  }, 90_000);
});
