import { maskIin } from '../../domain/iin.js';
import { maskPhone } from '../../domain/phone.js';
import { formatKzDateTime } from '../../domain/kz-time.js';
import type { GrantApplicationRecord } from './grant-application.model.js';
import type { GrantsService } from './grants.service.js';

/** Telegram's limit for one message. */

export const CSV_COLUMNS = [
  'ref', 'submitted_at_kz', 'programme', 'status', 'region', 'sector', 'amount_kzt', 'mci', 'members', 'children',
  'groups', 'certificate_year', 'name', 'iin', 'phone',
] as const;

/**
 * One CSV cell. Line breaks become spaces so every application stays on one line (the chat
 * messages are cut between lines); what would break the row is quoted; a leading = + - @ is
 * neutralised so a spreadsheet does not run it as a formula.
 */
function cell(value: unknown): string {
  const s = (value === undefined || value === null ? '' : String(value)).replace(/[\r\n\u2028\u2029]+/g, ' ');
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** "Алия Нұрланқызы" → "А. Н.": enough to tell rows apart, not to identify someone. */
export function maskName(name: string | undefined | null): string {
  if (!name) return '';
  return name.split(/\s+/).filter(Boolean).map((part) => `${[...part][0] ?? ''}.`).join(' ');
}

/**
 * Applications as CSV lines, one per application, without the header (status and programme as
 * codes, so it reads the same for every language). Name, IIN and phone are masked unless an
 * admin asked for them in full.
 */
export function grantCsvRows(records: GrantApplicationRecord[], grants: GrantsService, masked: boolean): string[] {
  return records.map((r) => {
    const iin = grants.decryptIin(r);
    const phone = grants.decryptPhone(r);
    return [
      r.ref,
      // Wall-clock time in Kazakhstan, as staff read it, not UTC.
      formatKzDateTime(new Date(r.history[0]?.at ?? r.consentAt)),
      r.programme,
      r.status,
      r.region,
      r.sector,
      r.amount,
      r.mci,
      r.members,
      r.children,
      r.groups.join(' '),
      r.certificateYear ?? '',
      masked ? maskName(r.name) : (r.name ?? ''),
      masked ? maskIin(iin) : iin,
      phone ? (masked ? maskPhone(phone) : phone) : '',
    ].map(cell).join(',');
  });
}

/**
 * The whole export as one CSV file: UTF-8 with a byte-order mark (so spreadsheet programs read
 * Kazakh and Russian letters correctly), the header row, then one line per application,
 * lines ending in CRLF as RFC 4180 asks.
 */
export function csvFile(rows: string[]): string {
  return csvHead() + csvLines(rows);
}

/** The start of the file: the byte-order mark and the header row. */
export function csvHead(): string {
  return `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
}

/** Rows as lines of the file, each ending in CRLF; the export job writes them a batch at a time. */
export function csvLines(rows: string[]): string {
  return rows.map((row) => `${row}\r\n`).join('');
}
