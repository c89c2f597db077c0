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
//
// The next app's models skip the builds the database holds already (skipBuiltIndexes). Mongoose
// asks for every model's collection and indexes as it compiles the model; MongoDB answers at once
// when they exist, FerretDB took 25 ms a request on a loaded machine, about thirty per app: a
// third of all the time the scene layer's database requests took, measured on 3 December.
import type { Connection } from 'mongoose';

/** A database handed back: its address and the models whose collection and indexes it holds. */
export interface EmptiedDatabase {
  uri: string;
  built: ReadonlySet<string>;
}

const emptied: EmptiedDatabase[] = [];

/** `KOMEK_TEST_DB_POOL=0 npm test` gives every app a fresh database, as before the pool (to measure it). */
const pooling = process.env.KOMEK_TEST_DB_POOL !== '0';

/** A database emptied by an earlier app of this worker, if any. */
export function takeEmptiedDatabase(): EmptiedDatabase | undefined {
  return pooling ? emptied.pop() : undefined;
}

/**
 * Call on the connection before the app compiles its models. A model this database holds the
 * builds of resolves its init() at once: mongoose runs a new model's builds a tick after compiling
 * it, so they are replaced on the model (this connection's own copy) before they start. Any other
 * model, e.g. one that only this app uses, builds as usual.
 */
export function skipBuiltIndexes(mongo: Connection, built: ReadonlySet<string>): void {
  const compile = mongo.model;
  const skipped = new WeakSet<object>();
  const model = (...args: unknown[]): unknown => {
    const compiled: unknown = Reflect.apply(compile, mongo, args);
    if (typeof compiled === 'function' && typeof args[0] === 'string' && built.has(args[0]) && !skipped.has(compiled)) {
      skipped.add(compiled);
      for (const build of ['createCollection', 'ensureIndexes']) Object.defineProperty(compiled, build, { value: async () => undefined });
    }
    return compiled;
  };
  Object.defineProperty(mongo, 'model', { value: model });
}

/**
 * Empties the app's database and offers it to the next app, once its models' index builds have
 * settled (a build still running would race the next app's). On any failure the database is
 * dropped instead, as before the pool.
 */
export async function handBack(mongo: Connection, mongoUri: string): Promise<void> {
  if (!pooling) return void (await mongo.dropDatabase().catch(() => undefined));
  try {
    // Only a model whose builds succeeded counts as built.
    const inits = mongo.modelNames().map((name) => mongo.model(name).init().then(() => [name], () => []));
    const built = new Set((await Promise.all(inits)).flat());
    const db = mongo.db;
    if (!db) throw new Error('no database handle');
    const collections = await db.listCollections({}, { nameOnly: true }).toArray();
    await Promise.all(collections.map((c) => db.collection(c.name).deleteMany({})));
    emptied.push({ uri: mongoUri, built });
  } catch {
    await mongo.dropDatabase().catch(() => undefined);
  }
}
