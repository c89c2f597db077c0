import { maskIin } from '../domain/iin.js';
import { maskPhone } from '../domain/phone.js';
import type { GrantApplicationRecord } from '../db/models/grant-application.js';
import type { GrantsService } from './grants.js';

/** Telegram's limit for one message. */
export const MESSAGE_LIMIT = 4096;

const COLUMNS = [
  'ref', 'submitted_at', 'programme', 'status', 'region', 'sector', 'amount_kzt', 'mci', 'members', 'children',
  'groups', 'certificate_year', 'name', 'iin', 'phone',
] as const;

function cell(value: unknown): string {
  const s = value === undefined || value === null ? '' : String(value);
  // Quote what would break the row, and neutralise leading = + - @ so spreadsheets do not run it.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** "Алия Нұрланқызы" → "А. Н.": enough to tell rows apart, not to identify someone. */
export function maskName(name: string | undefined | null): string {
  if (!name) return '';
  return name.split(/\s+/).filter(Boolean).map((part) => `${[...part][0] ?? ''}.`).join(' ');
}

/**
 * Applications as CSV (status and programme as codes, so it reads the same for every language).
 * Name, IIN and phone are masked unless an admin asked for them in full.
 */
export function grantsCsv(records: GrantApplicationRecord[], grants: GrantsService, masked: boolean): string {
  const rows = records.map((r) => {
    const iin = grants.decryptIin(r);
    const phone = grants.decryptPhone(r);
    return [
      r.ref,
      new Date(r.history[0]?.at ?? Date.now()).toISOString(),
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
  return [COLUMNS.join(','), ...rows].join('\n');
}

/** Splits text into messages of at most `limit` characters, between lines where possible. */
export function splitMessages(text: string, limit = MESSAGE_LIMIT): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > limit) {
      if (current) chunks.push(current);
      current = '';
      chunks.push(rest.slice(0, limit));
      rest = rest.slice(limit);
    }
    const joined = current ? `${current}\n${rest}` : rest;
    if (joined.length > limit) {
      chunks.push(current);
      current = rest;
    } else {
      current = joined;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}
