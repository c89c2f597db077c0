// Test files run in parallel against one redis-server and one FerretDB; each file takes its own
// database and its own Redis key prefix so they never see each other's data.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

function slug(name: string, max: number): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return (s || 'x').slice(0, max);
}

function randomSuffix(): string {
  // 6 base-36 characters: about 2 billion values, enough for one run's files.
  return (randomBytes(5).readUIntBE(0, 5) % 36 ** 6).toString(36).padStart(6, '0');
}

/** The shared Redis URL of this test run. Prefer testRedisPrefix() for key separation. */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/**
 * A unique database name: `komek_test_<name>_<random>`, letters, digits and underscores only,
 * at most 36 characters (FerretDB's SQLite backend turns it into a file name).
 */
export function testDatabaseName(name: string): string {
  return `komek_test_${slug(name, 18)}_${randomSuffix()}`;
}

/** Replaces the database part of a mongodb:// URI, keeping credentials, hosts and options. */
export function withDatabase(uri: string, database: string): string {
  const scheme = uri.match(/^mongodb(\+srv)?:\/\//);
  if (!scheme) throw new Error(`not a mongodb URI: ${uri}`);
  const rest = uri.slice(scheme[0].length);
  const authorityEnd = rest.search(/[/?]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  const queryStart = tail.indexOf('?');
  const query = queryStart === -1 ? '' : tail.slice(queryStart);
  return `${scheme[0]}${authority}/${database}${query}`;
}

/** The run's MongoDB URL pointing at a fresh database of its own, e.g. for mongoose.createConnection(). */
export function testMongoUri(name: string): string {
  return withDatabase(inject('mongoUrl'), testDatabaseName(name));
}

/**
 * A unique Redis key prefix ending in ':', e.g. `test:session_store:k3x9a1:`.
 * For BullMQ's `prefix` option (where BullMQ adds the ':' itself) strip the last character.
 */
export function testRedisPrefix(name: string): string {
  return `test:${slug(name, 24)}:${randomSuffix()}:`;
}
