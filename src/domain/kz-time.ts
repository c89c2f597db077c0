// Kazakhstan wall-clock time. Since 1 March 2024 the whole country is on a single zone,
// UTC+5, with no daylight saving, so a fixed offset is exact for every date we deal with
// (appointments and applications are all after that). A fixed offset also keeps us independent
// of the tz database shipped with the runtime, which may predate the 2024 change.

import type { Locale } from './text.js';

export const KZ_UTC_OFFSET_MINUTES = 5 * 60;
const OFFSET_MS = KZ_UTC_OFFSET_MINUTES * 60_000;

export interface KzDateParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
}

/** Calendar date and time in Kazakhstan for an instant. The server itself runs in UTC. */
export function kzDateParts(date: Date): KzDateParts {
  const shifted = new Date(date.getTime() + OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

/** True when year/month/day name a real calendar date (rejects 30 February, 31 April, ...). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one; Date.UTC handles leap years.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/**
 * The instant at which Kazakhstan clocks show the given wall time, or null for an impossible
 * date/time. Years below 100 are taken literally (Date.UTC would map them to 19xx).
 */
export function fromKzWallTime(year: number, month: number, day: number, hour = 0, minute = 0): Date | null {
  if (!isRealDate(year, month, day)) return null;
  if (!Number.isInteger(hour) || !Number.isInteger(minute)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, 0, 0);
  return new Date(d.getTime() - OFFSET_MS);
}

// D.M.YYYY [H:MM] with ".", "-" or "/" (the same one twice), then an optional time. A comma
// between date and time is tolerated because phones often insert one.
const FULL = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:[\s,]+(\d{1,2}):(\d{2}))?$/;
// D.M H:MM: no year, so the time is required; a bare "25.12" is too easy to mistype.
const NO_YEAR = /^(\d{1,2})([./-])(\d{1,2})[\s,]+(\d{1,2}):(\d{2})$/;

/**
 * Parses a date (and time) typed by a user as Kazakhstan local time.
 * Accepts DD.MM.YYYY HH:MM, DD.MM.YYYY (midnight), DD.MM HH:MM, single-digit day/month/hour,
 * and "-" or "/" instead of ".". Without a year the current year is used, or the next one if
 * that moment has already passed, because users booking something mean the next occurrence.
 */
export function parseKzDateTime(text: string, now: Date): Date | null {
  const t = text.trim();
  const full = FULL.exec(t);
  if (full) {
    const [, d, , m, y, hh, mm] = full;
    return fromKzWallTime(Number(y), Number(m), Number(d), hh ? Number(hh) : 0, mm ? Number(mm) : 0);
  }
  const short = NO_YEAR.exec(t);
  if (short) {
    const [, d, , m, hh, mm] = short;
    const thisYear = kzDateParts(now).year;
    for (const year of [thisYear, thisYear + 1]) {
      const candidate = fromKzWallTime(year, Number(m), Number(d), Number(hh), Number(mm));
      if (candidate && candidate.getTime() >= now.getTime()) return candidate;
    }
  }
  return null;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function assertValid(date: Date): void {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid Date passed to a KZ time formatter');
}

/**
 * "25.12.2026 14:30" in Kazakhstan time. Every locale gets the same numeric DD.MM.YYYY HH:MM
 * form: it is what people in Kazakhstan read in all three languages and avoids month names.
 * The locale parameter is kept so callers need not change if that decision changes.
 */
export function formatKzDateTime(date: Date, _locale: Locale = 'ru'): string {
  assertValid(date);
  const p = kzDateParts(date);
  return `${pad2(p.day)}.${pad2(p.month)}.${p.year} ${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** "25.12.2026" in Kazakhstan time (see formatKzDateTime for why locales do not differ). */
export function formatKzDate(date: Date, _locale: Locale = 'ru'): string {
  assertValid(date);
  const p = kzDateParts(date);
  return `${pad2(p.day)}.${pad2(p.month)}.${p.year}`;
}
