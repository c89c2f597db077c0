// Databases the scene harnesses of this worker finished with, emptied for the next one.
//
// A fresh database costs FerretDB some sixty PostgreSQL tables and indexes, built as the models
// first meet it: measured on 3 December, an app's first three updates took about a second on a
// fresh database and a fifth of that on one whose collections already existed, while later
// updates take 10-30 ms. Most scene tests build an app or two, so that first second was most of
// what the scene layer cost. A database handed back is emptied (every document of every
// collection deleted) and keeps its collections and indexes: the next app starts from no records
// exactly as from a fresh database, and its models' index builds find the indexes there.
//
// Only createSceneHarness apps that made their own database take part: a database a test named
// (mongoUri) or keeps (keepDatabase) may still be read by another app after this one closes.
import type { Connection } from 'mongoose';

const emptied: string[] = [];

/** `KOMEK_TEST_DB_POOL=0 npm test` gives every app a fresh database, as before the pool (to measure it). */
const pooling = process.env.KOMEK_TEST_DB_POOL !== '0';

/** A database emptied by an earlier app of this worker, if any. */
export function takeEmptiedDatabase(): string | undefined {
  return pooling ? emptied.pop() : undefined;
}

/**
 * Empties the app's database and offers it to the next app, once its models' index builds have
 * settled (a build still running would race the next app's). On any failure the database is
 * dropped instead, as before the pool.
 */
export async function handBack(mongo: Connection, mongoUri: string): Promise<void> {
  if (!pooling) return void (await mongo.dropDatabase().catch(() => undefined));
  try {
    await Promise.all(mongo.modelNames().map((name) => mongo.model(name).init().catch(() => undefined)));
    const db = mongo.db;
    if (!db) throw new Error('no database handle');
    const collections = await db.listCollections({}, { nameOnly: true }).toArray();
    await Promise.all(collections.map((c) => db.collection(c.name).deleteMany({})));
    emptied.push(mongoUri);
  } catch {
    await mongo.dropDatabase().catch(() => undefined);
  }
}
