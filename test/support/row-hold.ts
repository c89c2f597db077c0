// FerretDB writes an update as the whole document it read a moment before (its own read, then
// `UPDATE … SET _jsonb = <the new document> WHERE _id = …`), so two updates of one document whose
// reads both come before either write lose one of them. This holds that document's row in the
// PostgreSQL under the test FerretDB (SELECT … FOR UPDATE in a transaction left open): FerretDB's
// reads go on, its writes wait in line, in the order they came, until release(). A test can so
// put two writers' reads before both writes, every time.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { postgresBinDir } from './service-processes.js';

/** The PostgreSQL under this run's FerretDB, or undefined (MONGODB_URI, SQLite backend). */
export function testPostgresUrl(): string | undefined {
  return inject('postgresUrl') || undefined;
}

function psqlBinary(): string {
  const bin = postgresBinDir();
  const inBin = bin ? path.join(bin, 'psql') : undefined;
  return inBin && existsSync(inBin) ? inBin : 'psql';
}

/** Runs one query, returns its output (unaligned, tuples only). */
function query(url: string, sql: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(psqlBinary(), [url, '-X', '-Atc', sql]);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`psql: ${out.trim()}`))));
  });
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const identifier = (text: string) => `"${text.replace(/"/g, '""')}"`;

export interface RowHold {
  /** How many writes to the document's table wait for a lock now (FerretDB's writes held back). */
  waiting(): Promise<number>;
  /** Waits until `count` writes are held back, or `ms` passed; returns how many are. */
  untilWaiting(count: number, ms: number): Promise<number>;
  /** Ends the transaction: the held writes go on, in the order they came. */
  release(): Promise<void>;
}

/**
 * Holds the row of the document of `collection` in database `database` whose string field
 * `field` equals `value`.
 */
export async function holdRow(url: string, database: string, collection: string, field: string, value: string): Promise<RowHold> {
  const schema = identifier(database);
  const table = await query(url, `SELECT _jsonb->>'table' FROM ${schema}."_ferretdb_database_metadata" WHERE _jsonb->>'_id' = ${literal(collection)}`);
  if (!table) throw new Error(`no table for ${database}.${collection}`);
  const child: ChildProcessWithoutNullStreams = spawn(psqlBinary(), [url, '-X', '-At', '-v', 'ON_ERROR_STOP=1']);
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin.write(`BEGIN;\nSELECT 'row' FROM ${schema}.${identifier(table)} WHERE _jsonb->>${literal(field)} = ${literal(value)} FOR UPDATE;\nSELECT 'held';\n`);
  const started = Date.now();
  while (!/^held$/m.test(out)) {
    if (Date.now() - started > 10_000 || child.exitCode !== null) throw new Error(`could not hold the row: ${JSON.stringify(out)} exit ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if ((out.match(/^row$/gm) ?? []).length !== 1) throw new Error(`no single row with ${field} = ${value}: ${out}`);
  // Writes to this table only: other test files share the cluster.
  const target = `${schema}.${identifier(table)}`;
  const waiting = async () =>
    Number(await query(url, `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position(${literal(target)} in query) > 0`));
  return {
    waiting,
    async untilWaiting(count, ms) {
      const until = Date.now() + ms;
      let now = await waiting();
      while (now < count && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        now = await waiting();
      }
      return now;
    },
    async release() {
      child.stdin.end('COMMIT;\n');
      await exited;
    },
  };
}
