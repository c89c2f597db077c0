import { describe, expect, it } from 'vitest';
import type { GrantApplicationRecord } from '../../src/features/grant/grant-application.model.js';
import type { GrantsService } from '../../src/features/grant/grants.service.js';
import { CSV_COLUMNS, csvFile, grantCsvRows, maskName } from '../../src/features/grant/grant-export.js';
import { IIN, NOW, parseCsv } from './helpers.js';

// Records as they come from MongoDB; "encrypted" values are the clear ones, the fake service
// below hands them back, so the test is about the CSV only.
function record(i: number, name: string): GrantApplicationRecord {
  return {
    ref: `KMK-2026-${String(i).padStart(6, '0')}`, submissionKey: `k${i}`, locale: 'ru', programme: i % 2 ? 'grant' : 'microloan',
    status: 'submitted', name, iinEnc: IIN.adultA, iinHash: 'h', phoneEnc: '+77011234567', region: 'almaty-region',
    groups: ['large-family', 'kandas'], members: 7, children: 5, sector: 'textiles', amount: 1_500_000 + i, mci: 4325, mciYear: 2026,
    certificateYear: 2025, consentAt: NOW, history: [{ status: 'submitted', at: NOW, by: 1 }], createdAt: NOW, updatedAt: NOW, _id: i,
  } as unknown as GrantApplicationRecord;
}

const grants = {
  decryptIin: (r: GrantApplicationRecord) => r.iinEnc,
  decryptPhone: (r: GrantApplicationRecord) => r.phoneEnc ?? '',
} as unknown as GrantsService;

describe('grant CSV export', () => {
  const names = ['Әлия Нұрланқызы Сәрсенбаева', 'Anna-Maria O\'Neil', '=HYPERLINK("x")', 'Иванов, Иван "Ваня"', 'Line\nbreak'];
  const records = Array.from({ length: 90 }, (_, i) => record(i + 1, names[i % names.length]!));

  it('writes one file: a byte-order mark, the header, then every application on its own CRLF line', () => {
    const file = csvFile(grantCsvRows(records, grants, false));
    expect(file.startsWith('\uFEFFref,')).toBe(true);
    expect(file.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(file.slice(1));
    expect(header).toEqual([...CSV_COLUMNS]);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
    expect(rows.map((r) => r[0])).toEqual(records.map((r) => r.ref));
  });

  it('keeps odd names readable and harmless in a spreadsheet', () => {
    const rows = parseCsv(csvFile(grantCsvRows(records.slice(0, 5), grants, false)).slice(1)).slice(1);
    const name = (i: number) => rows[i]![CSV_COLUMNS.indexOf('name')];
    expect(name(0)).toBe('Әлия Нұрланқызы Сәрсенбаева');
    expect(name(1)).toBe("Anna-Maria O'Neil");
    expect(name(2)).toBe('\'=HYPERLINK("x")');
    expect(name(3)).toBe('Иванов, Иван "Ваня"');
    expect(name(4)).toBe('Line break');
  });

  it('masks name, IIN and phone unless asked for in full', () => {
    const [header, row] = parseCsv(csvFile(grantCsvRows([records[0]!], grants, true)).slice(1));
    const cell = (column: string) => row![header!.indexOf(column)];
    expect(cell('name')).toBe('Ә. Н. С.');
    expect(cell('iin')).toBe(`${IIN.adultA.slice(0, 2)}••••••••${IIN.adultA.slice(-2)}`);
    expect(cell('phone')).toBe("'+7 701 *** ** 67");
    expect(cell('groups')).toBe('large-family kandas');
    expect(cell('submitted_at_kz')).toBe('20.11.2026 11:00');
    expect(maskName(undefined)).toBe('');
  });

  it('sends the header alone when there is nothing to export', () => {
    expect(csvFile([])).toBe(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
  });
});
