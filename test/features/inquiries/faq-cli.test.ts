import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../../src/db/connect.js';
import { FaqService } from '../../../src/features/inquiries/faq.service.js';
import { loadSampleFaq } from '../../../src/features/inquiries/faq-file.js';
import { formatFaqReport, importFaq } from '../../../src/features/inquiries/faq-io.js';
import { faqImport } from '../../../scripts/faq-commands.js';
import { testMongoUri } from '../../support/isolation.js';
import { nodeArgsFor } from '../../support/ts-entries.js';

const run = promisify(execFile);

/** The command as staff run it: its own process, against a real database server. */
async function command(script: 'import' | 'export', args: string[], uri: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...nodeArgsFor(`scripts/faq-${script}.ts`), ...args], { env: { ...process.env, MONGODB_URI: uri }, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npm run faq:import / faq:export', () => {
  let uri: string;
  let mongo: Connection;
  let dir: string;
  beforeAll(async () => {
    uri = testMongoUri('faq-cli');
    mongo = await connectMongo(uri);
    dir = await mkdtemp(path.join(tmpdir(), 'faq-cli-'));
  });
  afterAll(async () => {
    await mongo.dropDatabase().catch(() => undefined);
    await mongo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports with a row report, rejects bad rows by number, exports what it holds, and the bot finds new entries', async () => {
    const sample = loadSampleFaq();
    const good = { ...sample[0]!, id: 'new-entry', sample: false, en: { q: 'Where is the nearest public service centre?', k: 'PSC office address', a: 'Public service centres are listed on egov.kz under "Contacts".' } };
    const bad = { ...sample[1]!, id: 'Bad Id', en: { q: 'x', k: '', a: 'short' } };
    const file = path.join(dir, 'faq.json');
    await writeFile(file, JSON.stringify({ entries: [...sample, good, bad] }));
    const first = await command('import', [file], uri);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`added: ${sample.length + 1}`);
    expect(first.stdout).toMatch(/row \d+ \(Bad Id\): id: must be lowercase/);

    // The same file again, in process (each command costs a process start): all updated.
    const again = await importFaq(mongo, await readFile(file, 'utf8'));
    expect(again !== 'not-json' && formatFaqReport(again)).toContain(`updated: ${sample.length + 1}`);

    const out = path.join(dir, 'export.json');
    expect((await command('export', [out], uri)).code).toBe(0);
    const exported = JSON.parse(await readFile(out, 'utf8')) as { entries: Array<{ id: string }> };
    expect(exported.entries.map((e) => e.id)).toContain('new-entry');
    expect(exported.entries).toHaveLength(sample.length + 1);

    const faq = new FaqService({ connection: mongo, now: () => new Date() });
    expect((await faq.index()).answer('en', 'nearest public service centre office')[0]?.entry.id).toBe('new-entry');

    expect(await importFaq(mongo, '{ not json')).toBe('not-json');
    expect(await importFaq(mongo, '{"rows": []}')).toBe('not-json');
  }, 120_000);

  it('stops with a plain message when the file cannot be read', async () => {
    // In process: the command's own code, without a third process start (import and export each ran as one above).
    let stderr = '';
    const code = await faqImport([path.join(dir, 'missing.json')], { out: () => undefined, err: (text) => void (stderr += text), env: { MONGODB_URI: uri } });
    expect(code).toBe(2);
    expect(stderr).toContain('Nothing imported: cannot read');
  }, 120_000);
});
