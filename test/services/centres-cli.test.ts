import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/db/connect.js';
import { centreModel } from '../../src/features/rehab/centre.model.js';
import { centresImport } from '../../scripts/centres-commands.js';
import { testMongoUri } from '../support/isolation.js';
import { nodeArgsFor } from '../support/ts-entries.js';

const run = promisify(execFile);
type Result = { code: number; stdout: string; stderr: string };

/** The command as an operator runs it: its own process, talking to a real database server. */
async function command(script: 'import' | 'export', args: string[], uri: string): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...nodeArgsFor(`scripts/centres-${script}.ts`), ...args], {
      env: { ...process.env, MONGODB_URI: uri },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/**
 * The import's code in this process: what it prints and its exit code, without the ~2 s of
 * loading modules a process start costs. Import and export each still run as a process too.
 */
async function importInProcess(args: string[], uri: string): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const io = { out: (text: string) => void (stdout += text), err: (text: string) => void (stderr += text), env: { MONGODB_URI: uri } };
  const code = await centresImport(args, io);
  return { code, stdout, stderr };
}

describe('npm run centres:import / centres:export', () => {
  let uri: string;
  let mongo: Connection;
  let dir: string;
  beforeAll(async () => {
    uri = testMongoUri('centres-cli');
    mongo = await connectMongo(uri);
    dir = await mkdtemp(path.join(tmpdir(), 'centres-cli-'));
  });
  afterAll(async () => {
    await mongo.dropDatabase().catch(() => undefined);
    await mongo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a file, reports each rejected row, and changes nothing the second time', async () => {
    const first = await command('import', ['data/centres.sample.json'], uri);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('rows read: 66\nadded: 66\nupdated: 0\nunchanged: 0\nrejected: 0');
    const again = await importInProcess(['data/centres.sample.json'], uri);
    expect(again.stdout).toContain('added: 0\nupdated: 0\nunchanged: 66\nrejected: 0');

    const csvFile = path.join(dir, 'centres.csv');
    const exported = await command('export', [csvFile], uri);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(`exported 66 centres to ${csvFile}`);
    const [header, firstRow] = (await readFile(csvFile, 'utf8')).split('\r\n');
    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, `${header}\r\n${firstRow!.replace(',abai,', ',Atlantis,')}\r\n`);
    const rejected = await importInProcess([bad], uri);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toMatch(/rejected: 1\n {2}row 2 \(sample-abai-children-rehab\): region: "Atlantis" is not one of the 20 regions/);
    expect(rejected.stdout).toContain('Rejected rows were not loaded.');
    expect(await centreModel(mongo).countDocuments({ region: 'abai' })).toBeGreaterThan(0);
  });

  it('stops with a plain message when the file cannot be used', async () => {
    const missing = await importInProcess([path.join(dir, 'none.csv')], uri);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Nothing imported: ');
    expect(missing.stderr).toContain('none.csv: no such file');
    expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    const usage = await importInProcess([], uri);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run centres:import -- FILE.json|FILE.csv');
  });

  it('says when it cannot reach the database, without printing the password', async () => {
    // A port out of range fails at once (an unreachable host would wait for the server timeout).
    const down = await command('import', ['data/centres.sample.json'], 'mongodb://operator:s3cret@127.0.0.1:99999/komek');
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('Cannot reach the database at the address in MONGODB_URI');
    expect(down.stderr).not.toContain('s3cret');
  });

  it('says it stopped part-way (exit 3, not "some rows rejected") when the database refuses a row, and keeps what it wrote', async () => {
    // A database that refuses one row mid-import: a unique index the import does not know of
    // (here on the English name). The rows before and after it are written.
    const stoppedUri = testMongoUri('centres-cli-stopped');
    const db = await connectMongo(stoppedUri);
    try {
      await centreModel(db).init();
      await centreModel(db).collection.createIndex({ 'name.en': 1 }, { unique: true });
      const sample = JSON.parse(await readFile('data/centres.sample.json', 'utf8')) as Array<{ externalId: string; name: { en: string } }>;
      const rows = [sample[0]!, { ...sample[1]!, name: { ...sample[1]!.name, en: sample[0]!.name.en } }, sample[2]!];
      const file = path.join(dir, 'refused.json');
      await writeFile(file, JSON.stringify(rows));
      const stopped = await importInProcess([file], stoppedUri);
      expect(stopped.code).toBe(3);
      expect(stopped.stderr).toContain('Import stopped part-way');
      expect(stopped.stderr).toContain('run the same file again to finish');
      expect(stopped.stdout).toBe('');
      expect(await centreModel(db).countDocuments({ externalId: { $in: [rows[0]!.externalId, rows[2]!.externalId] } })).toBe(2);
    } finally {
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    }
  });
});
