// IIN (ЖСН / ИИН) and BIN checks as described in docs/domain.md. The IIN encodes the birth date,
// century and sex, so one typed number lets us verify age eligibility without asking again.

import { isRealDate, kzDateParts } from './kz-time.js';

export type IinCheck =
  | { ok: true; iin: string; birthDate: string; sex: 'male' | 'female'; age: number }
  | { ok: false; reason: 'format' | 'checksum' | 'date' | 'century' };

export type IinValid = Extract<IinCheck, { ok: true }>;

export type BinCheck = { ok: true; bin: string } | { ok: false; reason: 'format' | 'checksum' };

/** Applicants must be adults (docs/domain.md). */
export const ADULT_AGE = 18;

const SECOND_PASS_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2] as const;

// Users paste numbers copied from documents and apps, which group digits with spaces, NBSPs or
// dashes of various kinds; none of these carry meaning.
function stripSeparators(raw: string): string {
  return raw.replace(/[\s\-\u2010-\u2015\u2212]/g, '');
}

/**
 * The check digit for the first 11 digits of an IIN or BIN, or null when no digit can be valid
 * (both weighted sums give 10 mod 11: such numbers are never issued).
 */
export function iinCheckDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) return null;
  const digits = [...first11].map(Number);
  const first = digits.reduce((sum, d, i) => sum + d * (i + 1), 0) % 11;
  if (first !== 10) return first;
  const second = digits.reduce((sum, d, i) => sum + d * (SECOND_PASS_WEIGHTS[i] ?? 0), 0) % 11;
  return second === 10 ? null : second;
}

function hasValidCheckDigit(twelve: string): boolean {
  return iinCheckDigit(twelve.slice(0, 11)) === Number(twelve[11]);
}

// Seventh digit → century of birth; odd digits are male, even female.
const CENTURY_BY_DIGIT: Readonly<Record<string, number>> = { '1': 1800, '2': 1800, '3': 1900, '4': 1900, '5': 2000, '6': 2000 };

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Full years between a YYYY-MM-DD birth date and `today` as a calendar date in Kazakhstan
 * (the server runs in UTC; at 20:00 UTC it is already tomorrow in Kazakhstan). Someone born on
 * 29 February turns a year older on 1 March in non-leap years.
 */
export function ageOn(birthDate: string, today: Date): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const t = kzDateParts(today);
  if (by === undefined || bm === undefined || bd === undefined) return Number.NaN;
  const hadBirthdayThisYear = t.month > bm || (t.month === bm && t.day >= bd);
  return t.year - by - (hadBirthdayThisYear ? 0 : 1);
}

/** Whether the person is at least ADULT_AGE on `today` (Kazakhstan calendar date). */
export function isAdult(person: { birthDate: string }, today: Date): boolean {
  return ageOn(person.birthDate, today) >= ADULT_AGE;
}

/**
 * Validates an IIN typed or pasted by a user. Checks run from structure to checksum so the
 * reason names the most specific problem: wrong length/characters, impossible century digit,
 * impossible or future birth date, then the check digit (catches most single-digit typos).
 */
export function checkIin(raw: string, today: Date): IinCheck {
  const iin = stripSeparators(raw);
  if (!/^\d{12}$/.test(iin)) return { ok: false, reason: 'format' };

  const centuryDigit = iin[6] ?? '';
  const century = CENTURY_BY_DIGIT[centuryDigit];
  if (century === undefined) return { ok: false, reason: 'century' };

  const year = century + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  if (!isRealDate(year, month, day)) return { ok: false, reason: 'date' };
  const birthDate = `${year}-${pad2(month)}-${pad2(day)}`;
  const age = ageOn(birthDate, today);
  // Born after today: the digits are a typo, not a person.
  if (age < 0) return { ok: false, reason: 'date' };

  if (!hasValidCheckDigit(iin)) return { ok: false, reason: 'checksum' };

  const sex = Number(centuryDigit) % 2 === 1 ? 'male' : 'female';
  return { ok: true, iin, birthDate, sex, age };
}

/** Validates a BIN (business identification number): 12 digits, same check digit as the IIN. */
export function checkBin(raw: string): BinCheck {
  const bin = stripSeparators(raw);
  if (!/^\d{12}$/.test(bin)) return { ok: false, reason: 'format' };
  if (!hasValidCheckDigit(bin)) return { ok: false, reason: 'checksum' };
  return { ok: true, bin };
}

/**
 * Masks an IIN for display to staff and in confirmations ("06••••••••12"): enough to recognise
 * one's own number, not enough to reuse it. Short or malformed input is masked entirely.
 */
export function maskIin(iin: string): string {
  const s = stripSeparators(iin);
  if (s.length <= 4) return '•'.repeat(s.length);
  return `${s.slice(0, 2)}${'•'.repeat(s.length - 4)}${s.slice(-2)}`;
}
