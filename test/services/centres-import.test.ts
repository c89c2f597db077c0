import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/db/connect.js';
import { centreModel } from '../../src/features/rehab/centre.model.js';
import { parseCsv, writeCsv } from '../../src/features/rehab/centres-csv.js';
import { CSV_COLUMNS } from '../../src/features/rehab/centres-format.js';
import { formatReport, importCentres, ImportFileError, readImportFile } from '../../src/features/rehab/centres-import.js';
import { exportCentres } from '../../src/features/rehab/centres-export.js';
import { formatContactPhone, normalizeContactPhone } from '../../src/features/rehab/centres-record.js';
import { testMongoUri } from '../support/isolation.js';

const HEADER = CSV_COLUMNS.join(',');
const row = (over: Partial<Record<(typeof CSV_COLUMNS)[number], string>> = {}) => {
  const base: Record<string, string> = {
    externalId: 'kz-001',
    sample: 'false',
    region: 'karaganda',
    kind: 'rehabilitation',
    settings: 'day-care;temporary',
    ageGroups: 'children',
    name_kk: 'Оңалту орталығы',
    name_ru: 'Реабилитационный центр',
    name_en: 'Rehabilitation centre',
    address_kk: 'Қарағанды, Бейбітшілік көшесі, 1',
    address_ru: 'Караганда, ул. Мира, 1',
    address_en: 'Karaganda, 1 Mira Street',
    latitude: '49.80',
    longitude: '73.10',
    phones: '8 (7212) 55-01-01 | +7 701 555 0101',
    website: 'https://example.org/centre',
    hours_kk: 'Дс–Жм 9:00–18:00',
    hours_ru: 'Пн–Пт 9:00–18:00',
    hours_en: 'Mon–Fri 9:00–18:00',
    services: 'physiotherapy;massage',
    accessibility: 'step-free|sign-language',
    fee: 'free',
    ...over,
  };
  return writeCsv([CSV_COLUMNS.map((c) => base[c] ?? '')]).trimEnd();
};

describe('CSV parser (RFC 4180)', () => {
  it('reads quoted commas, doubled quotes, line breaks inside quotes and CRLF', () => {
    const records = parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\nlast,,\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['last', '', ''],
    ]);
    // The record after a multi-line field starts on line 5 of the file (blank line 4 skipped).
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it('writes what it reads', () => {
    const rows = [['plain', 'with, comma', 'with "quote"', 'multi\nline', ' padded ']];
    expect(parseCsv(writeCsv(rows)).map((r) => r.fields)).toEqual(rows);
  });

  it('rejects an unclosed quote', () => {
    expect(() => parseCsv('a,"b\nc')).toThrow(/not closed/);
  });
});

describe('contact phones', () => {
  it('normalises landlines and mobiles and writes them the tappable way', () => {
    expect(normalizeContactPhone('8 (7172) 12-34-56')).toBe('+77172123456');
    expect(formatContactPhone('+77172123456')).toBe('+7 7172 123456');
    expect(formatContactPhone('+77011234567')).toBe('+7 701 123 45 67');
    expect(formatContactPhone('+77272123456')).toBe('+7 727 212 3456');
    expect(normalizeContactPhone('+7 916 123 45 67')).toBeNull();
  });
});

describe('centre import and export', () => {
  let mongo: Connection;
  beforeAll(async () => {
    mongo = await connectMongo(testMongoUri('centres-import'));
    await centreModel(mongo).init();
  });
  afterAll(async () => {
    await mongo.dropDatabase().catch(() => undefined);
    await mongo.close();
  });

  it('adds good rows, rejects bad and duplicate rows with row numbers and reasons', async () => {
    const csv = [
      HEADER,
      row(),
      row({ externalId: 'kz-002', region: 'Абайская', name_en: 'Centre, "Semey"\nbranch', latitude: '50.41', longitude: '80.22' }),
      row({ externalId: 'kz-003', region: 'Mars' }),
      row({ externalId: 'kz-004', phones: '12345' }),
      row({ externalId: 'kz-005', latitude: '73.1', longitude: '49.8' }),
      row({ externalId: 'kz-001' }),
      row({ externalId: 'kz-006', kind: 'spa', ageGroups: '' }),
      'kz-007,too,few',
    ].join('\r\n');
    const report = await importCentres(mongo, csv, 'csv');
    expect(report.added).toBe(2);
    expect(report.updated).toBe(0);
    expect(report.unchanged).toBe(0);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.row, r.reason]));
    // kz-002's name spans two lines, so the rows after it start one line later.
    expect(Object.keys(reasons).map(Number)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(reasons[5]).toMatch(/region: "Mars" is not one of the 20 regions/);
    // The rejected row names its registry id, so the operator can find it either way.
    expect(report.rejected.find((r) => r.row === 5)?.externalId).toBe('kz-003');
    expect(formatReport(report)).toContain('  row 5 (kz-003): region: "Mars" is not one of the 20 regions');
    expect(formatReport(report)).toMatch(/^rows read: 8\nadded: 2\nupdated: 0\nunchanged: 0\nrejected: 6\n/);
    expect(formatReport(report)).toContain('  row 10: has 3 fields, the header has 22');
    expect(reasons[6]).toMatch(/phones: "12345" is not a Kazakhstan phone number/);
    expect(reasons[7]).toMatch(/outside Kazakhstan/);
    expect(reasons[8]).toMatch(/externalId "kz-001" repeats row 2/);
    expect(reasons[9]).toMatch(/kind: "spa" is not allowed; must be one of: rehabilitation, /);
    expect(reasons[9]).toMatch(/ageGroups: needs children, adults or both/);
    expect(reasons[10]).toMatch(/has 3 fields, the header has 22/);

    const stored = await centreModel(mongo).findOne({ externalId: 'kz-002' }).lean();
    expect(stored?.region).toBe('abai');
    expect(stored?.name.en).toBe('Centre, "Semey"\nbranch');
    expect(stored?.phones).toEqual(['+77212550101', '+77015550101']);
    expect(stored?.accessibility).toEqual(['step-free', 'sign-language']);
    expect(await centreModel(mongo).countDocuments()).toBe(2);

    // The same file again changes nothing.
    const again = await importCentres(mongo, csv, 'csv');
    expect([again.added, again.updated, again.unchanged, again.rejected.length]).toEqual([0, 0, 2, 6]);
  });

  it('updates a changed entry and removes fields the file no longer has', async () => {
    const csv = [HEADER, row({ website: '', hours_kk: '', hours_ru: '', hours_en: '', fee: 'paid' })].join('\n');
    const report = await importCentres(mongo, csv, 'csv');
    expect([report.added, report.updated, report.unchanged]).toEqual([0, 1, 0]);
    const stored = await centreModel(mongo).findOne({ externalId: 'kz-001' }).lean();
    expect(stored?.fee).toBe('paid');
    expect(stored?.website).toBeUndefined();
    expect(stored?.hours ?? undefined).toBeUndefined();
    const again = await importCentres(mongo, csv, 'csv');
    expect([again.added, again.updated, again.unchanged]).toEqual([0, 0, 1]);
  });

  it('refuses a file with unknown columns or broken JSON as a whole', async () => {
    await expect(importCentres(mongo, 'externalId,colour\nx,red\n', 'csv')).rejects.toBeInstanceOf(ImportFileError);
    await expect(importCentres(mongo, '{"centres": ', 'json')).rejects.toBeInstanceOf(ImportFileError);
  });

  it('says plainly why a file cannot be read: semicolons, encoding, name, missing file', async () => {
    const semicolons = [CSV_COLUMNS.join(';'), 'kz-9;false;karaganda'].join('\n');
    await expect(importCentres(mongo, semicolons, 'csv')).rejects.toThrow(/separated by commas, but this file uses ";"/);
    const dir = await mkdtemp(path.join(tmpdir(), 'centres-'));
    try {
      const cp1251 = path.join(dir, 'registry.csv');
      // "Караганда" in the Windows-1251 code page, as an old spreadsheet saves it.
      await writeFile(cp1251, Buffer.concat([Buffer.from(`${HEADER}\nkz-9,false,`), Buffer.from([0xca, 0xe0, 0xf0, 0xe0, 0xe3, 0xe0, 0xed, 0xe4, 0xe0])]));
      await expect(readImportFile(cp1251)).rejects.toThrow(/not UTF-8; save it as "CSV UTF-8"/);
      await expect(readImportFile(path.join(dir, 'registry.xlsx'))).rejects.toThrow(/must end in \.csv or \.json/);
      await expect(readImportFile(path.join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: no such file/);
      const good = path.join(dir, 'good.csv');
      await writeFile(good, `\uFEFF${HEADER}\n${row()}\n`);
      expect(await readImportFile(good)).toContain('Караганда, ул. Мира, 1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loads the sample, and export → import is a no-op in JSON and CSV', async () => {
    const sample = readFileSync('data/centres.sample.json', 'utf8');
    const loaded = await importCentres(mongo, sample, 'json');
    expect(loaded.rejected).toEqual([]);
    expect(loaded.added).toBeGreaterThanOrEqual(45);
    const total = await centreModel(mongo).countDocuments();

    const json = await exportCentres(mongo, 'json');
    const fromJson = await importCentres(mongo, json, 'json');
    expect([fromJson.added, fromJson.updated, fromJson.unchanged, fromJson.rejected.length]).toEqual([0, 0, total, 0]);

    const csv = await exportCentres(mongo, 'csv');
    const fromCsv = await importCentres(mongo, csv, 'csv');
    expect([fromCsv.added, fromCsv.updated, fromCsv.unchanged, fromCsv.rejected.length]).toEqual([0, 0, total, 0]);
    // And the export of the re-import is byte for byte the same.
    expect(await exportCentres(mongo, 'csv')).toBe(csv);
    expect(await exportCentres(mongo, 'json')).toBe(json);
  });
});

describe('two imports at once (two bot processes seeding an empty directory)', () => {
  let mongo: Connection;
  beforeAll(async () => {
    mongo = await connectMongo(testMongoUri('centres-race'));
    await centreModel(mongo).init();
  });
  afterAll(async () => {
    await mongo.dropDatabase().catch(() => undefined);
    await mongo.close();
  });

  it('both finish, and every centre is stored once', async () => {
    const sample = readFileSync('data/centres.sample.json', 'utf8');
    const total = (JSON.parse(sample) as unknown[]).length;
    const reports = await Promise.all([importCentres(mongo, sample, 'json'), importCentres(mongo, sample, 'json')]);
    for (const report of reports) {
      expect(report.rejected).toEqual([]);
      expect(report.added + report.unchanged).toBe(total);
      expect(report.updated).toBe(0);
    }
    expect(reports[0].added + reports[1].added).toBe(total);
    expect(await centreModel(mongo).countDocuments()).toBe(total);
  });
});

describe('the sample directory', () => {
  const sample = JSON.parse(readFileSync('data/centres.sample.json', 'utf8')) as Array<Record<string, unknown>>;
  it('covers all 20 regions and every kind and setting, and says it is a sample', () => {
    expect(sample.length).toBeGreaterThanOrEqual(45);
    expect(new Set(sample.map((c) => c.region)).size).toBe(20);
    expect(new Set(sample.map((c) => c.kind))).toEqual(
      new Set(['rehabilitation', 'special-social-services', 'territorial-social-services', 'psychoneurological', 'professional-rehabilitation', 'sport']),
    );
    expect(new Set(sample.flatMap((c) => c.settings as string[]))).toEqual(new Set(['residential', 'day-care', 'home-based', 'temporary']));
    for (const c of sample) {
      expect(c.sample).toBe(true);
      expect((c.name as { en: string }).en).toMatch(/^Sample: /);
      for (const phone of c.phones as string[]) expect(phone).toMatch(/^\+77\d{9}$/);
    }
  });
});
