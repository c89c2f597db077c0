import { readFile } from 'node:fs/promises';
import type { Connection } from 'mongoose';
import { centreModel } from './centre.model.js';
import { CsvError, parseCsv } from './centres-csv.js';
import { CSV_COLUMNS, formatOf, rowToRaw, type FileFormat } from './centres-format.js';
import { canonical, centreInputSchema, describeIssues, sameCentre, type CentreInput } from './centres-record.js';
import { bumpDirectoryVersion } from './centres-version.js';

export interface RejectedRow {
  /** CSV: the line where the record starts; JSON: the entry's position (1-based). */
  row: number;
  /** When the row has one, so the operator can find it in the registry as well. */
  externalId?: string;
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
  // Spreadsheets set to Russian or Kazakh save "CSV" with semicolons; say so before the
  // parser trips over the first quoted field.
  const firstLine = /^[^\r\n]*/.exec(text)?.[0] ?? '';
  if (firstLine.includes(';') && !firstLine.includes(',')) {
    throw new ImportFileError('CSV columns must be separated by commas, but this file uses ";". In the spreadsheet, save as "CSV UTF-8 (comma delimited)".');
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

function idOf(raw: unknown): { externalId?: string } {
  const id = raw && typeof raw === 'object' ? (raw as { externalId?: unknown }).externalId : undefined;
  return (typeof id === 'string' && id.trim() !== '') || typeof id === 'number' ? { externalId: String(id).trim().slice(0, 64) } : {};
}

/** Validates every row; the valid ones with their row numbers, and the reasons for the rest. */
export function validateRows(text: string, format: FileFormat): { valid: Array<{ row: number; centre: CentreInput }>; rejected: RejectedRow[] } {
  const valid: Array<{ row: number; centre: CentreInput }> = [];
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, raw } of rawRows(text, format)) {
    if (raw && typeof raw === 'object' && '__error' in raw) {
      rejected.push({ row, reason: String((raw).__error) });
      continue;
    }
    const parsed = centreInputSchema.safeParse(raw);
    if (!parsed.success) {
      rejected.push({ row, ...idOf(raw), reason: describeIssues(parsed.error) });
      continue;
    }
    const centre = canonical(parsed.data);
    const earlier = seen.get(centre.externalId);
    if (earlier !== undefined) {
      rejected.push({ row, externalId: centre.externalId, reason: `externalId "${centre.externalId}" repeats row ${earlier}` });
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
  // Set before the first write: an import that stops part-way has changed the directory too.
  let changed = false;
  const update = async (centre: CentreInput) => {
    const unset: Record<string, 1> = {};
    if (!centre.website) unset.website = 1;
    if (!centre.hours) unset.hours = 1;
    changed = true;
    await model.updateOne({ externalId: centre.externalId }, { $set: centre, ...(Object.keys(unset).length ? { $unset: unset } : {}) });
  };
  try {
    const added = valid.map((v) => v.centre).filter((centre) => !existing.has(centre.externalId));
    if (added.length > 0) changed = true;
    const takenMeanwhile = await insertNew(model, added);
    for (const { centre } of valid) {
      let before = existing.get(centre.externalId);
      if (!before) {
        if (!takenMeanwhile.has(centre.externalId)) {
          report.added++;
          continue;
        }
        before = ((await model.findOne({ externalId: centre.externalId }).lean()) as unknown as CentreInput | null) ?? undefined;
        if (!before) throw new Error(`centre ${centre.externalId} was refused as a duplicate but is not stored`);
      }
      if (sameCentre(before, centre)) {
        report.unchanged++;
      } else {
        await update(centre);
        report.updated++;
      }
    }
  } finally {
    // Searches made before keep the order they were shown in; their pages say the directory changed.
    if (changed) await bumpDirectoryVersion(connection);
  }
  return report;
}

const DUPLICATE_KEY = 11000;

/**
 * Adds the new centres in one unordered insert (one round trip, not one per row: seeding the
 * sample took half a second row by row). Returns the ids another import (or a second bot process
 * seeding the sample) added a moment ago: the unique index kept one copy, treated as already there.
 */
async function insertNew(model: ReturnType<typeof centreModel>, centres: CentreInput[]): Promise<Set<string>> {
  if (centres.length === 0) return new Set();
  try {
    await model.insertMany(centres, { ordered: false });
    return new Set();
  } catch (error) {
    const failures = (error as { writeErrors?: Array<{ index: number; code: unknown }> }).writeErrors;
    if (!failures?.length || failures.some((f) => f.code !== DUPLICATE_KEY)) throw error;
    return new Set(failures.map((f) => centres[f.index]!.externalId));
  }
}

/** Reads the file as UTF-8; anything that stops the whole import becomes an ImportFileError. */
export async function readImportFile(file: string): Promise<string> {
  if (!/\.(csv|json)$/i.test(file)) throw new ImportFileError(`${file}: the file name must end in .csv or .json (save a spreadsheet as "CSV UTF-8")`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ImportFileError(`${file}: no such file`);
    if (code === 'EISDIR') throw new ImportFileError(`${file}: is a folder, not a file`);
    if (code === 'EACCES' || code === 'EPERM') throw new ImportFileError(`${file}: no permission to read it`);
    throw error;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Spreadsheets on Windows often save CSV in the Windows-1251 code page.
    throw new ImportFileError(`${file}: the text is not UTF-8; save it as "CSV UTF-8" and try again`);
  }
}

export async function importCentresFile(connection: Connection, file: string): Promise<ImportReport> {
  const text = await readImportFile(file);
  return importCentres(connection, text, formatOf(file));
}

/** The report as the command prints it: the figures, then every rejected row and why. */
export function formatReport(report: ImportReport): string {
  const total = report.added + report.updated + report.unchanged + report.rejected.length;
  const lines = [
    `rows read: ${total}`,
    `added: ${report.added}`,
    `updated: ${report.updated}`,
    `unchanged: ${report.unchanged}`,
    `rejected: ${report.rejected.length}`,
  ];
  for (const r of report.rejected) lines.push(`  row ${r.row}${r.externalId ? ` (${r.externalId})` : ''}: ${r.reason}`);
  if (report.rejected.length > 0) {
    lines.push('Rejected rows were not loaded. Fix them and run the command again: rows already loaded will count as unchanged.');
  }
  return lines.join('\n');
}
