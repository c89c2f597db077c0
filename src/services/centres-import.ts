import { readFile } from 'node:fs/promises';
import type { Connection } from 'mongoose';
import { centreModel } from '../db/models/centre.js';
import { CsvError, parseCsv } from './centres-csv.js';
import { CSV_COLUMNS, formatOf, rowToRaw, type FileFormat } from './centres-format.js';
import { canonical, centreInputSchema, describeIssues, sameCentre, type CentreInput } from './centres-record.js';

export interface RejectedRow {
  /** CSV: the line where the record starts; JSON: the entry's position (1-based). */
  row: number;
  reason: string;
}

export interface ImportReport {
  added: number;
  updated: number;
  unchanged: number;
  rejected: RejectedRow[];
}

/** The whole file is unusable (bad JSON, unknown CSV columns): nothing was imported. */
export class ImportFileError extends Error {}

function rawRows(text: string, format: FileFormat): Array<{ row: number; raw: unknown }> {
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ImportFileError(`not valid JSON: ${(error as Error).message}`);
    }
    const list = Array.isArray(data) ? data : (data as { centres?: unknown })?.centres;
    if (!Array.isArray(list)) throw new ImportFileError('JSON must be a list of centres (or {"centres": [...]})');
    return list.map((raw, index) => ({ row: index + 1, raw }));
  }
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw new ImportFileError(`CSV: ${error.message}`);
    throw error;
  }
  const [head, ...body] = records;
  if (!head) return [];
  const header = head.fields.map((f) => f.trim());
  const unknown = header.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (unknown.length || !header.includes('externalId')) {
    throw new ImportFileError(`CSV header: unknown columns ${unknown.join(', ') || '(none)'}; expected: ${CSV_COLUMNS.join(',')}`);
  }
  return body.map((record) => {
    if (record.fields.length !== header.length) {
      return { row: record.line, raw: { __error: `has ${record.fields.length} fields, the header has ${header.length}` } };
    }
    return { row: record.line, raw: rowToRaw(header, record.fields) };
  });
}

/** Validates every row; the valid ones with their row numbers, and the reasons for the rest. */
export function validateRows(text: string, format: FileFormat): { valid: Array<{ row: number; centre: CentreInput }>; rejected: RejectedRow[] } {
  const valid: Array<{ row: number; centre: CentreInput }> = [];
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, raw } of rawRows(text, format)) {
    if (raw && typeof raw === 'object' && '__error' in raw) {
      rejected.push({ row, reason: String((raw as { __error: unknown }).__error) });
      continue;
    }
    const parsed = centreInputSchema.safeParse(raw);
    if (!parsed.success) {
      rejected.push({ row, reason: describeIssues(parsed.error) });
      continue;
    }
    const centre = canonical(parsed.data as CentreInput);
    const earlier = seen.get(centre.externalId);
    if (earlier !== undefined) {
      rejected.push({ row, reason: `externalId "${centre.externalId}" repeats row ${earlier}` });
      continue;
    }
    seen.set(centre.externalId, row);
    valid.push({ row, centre });
  }
  return { valid, rejected };
}

/**
 * Upserts by externalId. Entries already in the database and equal to the file are left
 * alone, so importing the same file twice reports everything unchanged. Entries missing from
 * the file are kept: a partial file (one region's update) must not empty the directory.
 */
export async function importCentres(connection: Connection, text: string, format: FileFormat): Promise<ImportReport> {
  const model = centreModel(connection);
  await model.init();
  const { valid, rejected } = validateRows(text, format);
  const report: ImportReport = { added: 0, updated: 0, unchanged: 0, rejected };
  const ids = valid.map((v) => v.centre.externalId);
  const existing = new Map<string, CentreInput>();
  for (const doc of await model.find({ externalId: { $in: ids } }).lean()) {
    existing.set(doc.externalId, doc as unknown as CentreInput);
  }
  for (const { centre } of valid) {
    const before = existing.get(centre.externalId);
    if (!before) {
      await model.create(centre);
      report.added++;
    } else if (sameCentre(before, centre)) {
      report.unchanged++;
    } else {
      const unset: Record<string, 1> = {};
      if (!centre.website) unset.website = 1;
      if (!centre.hours) unset.hours = 1;
      await model.updateOne({ externalId: centre.externalId }, { $set: centre, ...(Object.keys(unset).length ? { $unset: unset } : {}) });
      report.updated++;
    }
  }
  return report;
}

export async function importCentresFile(connection: Connection, file: string): Promise<ImportReport> {
  return importCentres(connection, await readFile(file, 'utf8'), formatOf(file));
}

/** The report as the command prints it. */
export function formatReport(report: ImportReport): string {
  const lines = [`added: ${report.added}`, `updated: ${report.updated}`, `unchanged: ${report.unchanged}`, `rejected: ${report.rejected.length}`];
  for (const r of report.rejected) lines.push(`  row ${r.row}: ${r.reason}`);
  return lines.join('\n');
}
