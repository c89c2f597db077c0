// Dates of birth as people type them: day first as Kazakhstan writes dates ("12.05.2015",
// "12/05/2015", "12.05.15"), the ISO order phones and forms give ("2015-05-12"), and with the
// month's name in any of the three languages ("12 мая 2015", "12 мамыр 2015 ж.", "May 12, 2015",
// "12 May 2015", "2015 ж. 12 мамырда"), or the month and year only ("born in May 2015").

import { fromKzWallTime, kzDateParts } from './kz-time.js';
import { normalizeForMatch } from './text.js';

/** A typed date of birth; no day when only the month was given. */
export interface TypedDate {
  year: number;
  month: number;
  day?: number;
  /** The words of the text on each side of the date. */
  before: string[];
  after: string[];
}

const wordsOf = (text: string): string[] => normalizeForMatch(text).split(' ').filter(Boolean);

// Digits only, with the same kind of separator people use between all three parts or not.
const DAY_FIRST = /(?<![\d.,])(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?![\d]|[.,]\d)/g;
const YEAR_FIRST = /(?<![\d.,])(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?![\d]|[.,]\d)/g;

/**
 * The year a two-digit one means: the latest that does not put the date after `now` ("12.05.15"
 * is 2015, "12.05.30" is 1930), so the age is never in the future and, with two digits, at most 120.
 */
function fullYear(twoDigits: number, month: number, day: number, now: Date): number {
  const thisCentury = Math.floor(kzDateParts(now).year / 100) * 100 + twoDigits;
  const date = fromKzWallTime(thisCentury, month, day);
  return date && date > now ? thisCentury - 100 : thisCentury;
}

function numericDates(typed: string, now: Date): TypedDate[] {
  const around = (m: RegExpMatchArray) => ({
    before: wordsOf(typed.slice(0, m.index)),
    after: wordsOf(typed.slice((m.index ?? 0) + m[0].length)),
  });
  const dayFirst = [...typed.matchAll(DAY_FIRST)].map((m) => {
    const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return { year: m[3]!.length === 2 ? fullYear(year, month, day, now) : year, month, day, ...around(m) };
  });
  const yearFirst = [...typed.matchAll(YEAR_FIRST)].map((m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), ...around(m) }));
  return [...dayFirst, ...yearFirst];
}

// Month names as normalizeForMatch leaves them, with any ending: "мая", "мамырда", "January".
const MONTH_STEMS: ReadonlyArray<readonly string[]> = [
  ['январ', 'кантар', 'january'],
  ['феврал', 'акпан', 'february'],
  ['март', 'наурыз', 'march'],
  ['апрел', 'сауир', 'april'],
  ['мамыр'],
  ['июн', 'маусым', 'june'],
  ['июл', 'шилде', 'july'],
  ['август', 'тамыз', 'august'],
  ['сентябр', 'кыркуйек', 'september'],
  ['октябр', 'казан', 'october'],
  ['ноябр', 'караша', 'november'],
  ['декабр', 'желтоксан', 'december'],
];
// Forms a stem would take too much with: "май" is May, "мама" is not; "mar" is March, "mark" is not.
const MONTH_WORDS: Readonly<Record<string, number>> = {
  ...{ май: 5, мая: 5, мае: 5, may: 5 },
  ...{ jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12 },
};

function monthOf(word: string | undefined): number | null {
  if (word === undefined) return null;
  const index = MONTH_STEMS.findIndex((stems) => stems.some((stem) => word.startsWith(stem)));
  return index >= 0 ? index + 1 : (MONTH_WORDS[word] ?? null);
}

const dayOf = (word: string | undefined): number | null => {
  const m = word === undefined ? null : /^(\d{1,2})(?:st|nd|rd|th)?$/.exec(word);
  return m ? Number(m[1]) : null;
};
const yearOf = (word: string | undefined): number | null => (word !== undefined && /^[12]\d{3}$/.test(word) ? Number(word) : null);
// Endings of an ordinal day written apart ("12-го мая", "12-ші мамыр") and the words of a year
// between it and the day ("2015 ж. 12 мамыр", "2015 жылы 12 мамырда").
const DAY_ENDINGS = new Set(['го', 'е', 'ши', 'шы', 'инши', 'ыншы']);
const YEAR_MARKERS = new Set(['г', 'года', 'ж', 'жылы', 'жылгы', 'жылдын']);

/** A date with the month's name in normalized words, and where it starts and ends. */
function namedDateAt(words: string[], i: number): { date: Omit<TypedDate, 'before' | 'after'>; start: number; end: number } | null {
  const month = monthOf(words[i]);
  if (month === null) return null;
  const dayBefore = DAY_ENDINGS.has(words[i - 1] ?? '') ? i - 2 : i - 1;
  const day = dayOf(words[dayBefore]);
  // "12 мая 2015", "12 May 2015".
  const yearAfter = yearOf(words[i + 1]);
  if (day !== null && yearAfter !== null) return { date: { year: yearAfter, month, day }, start: dayBefore, end: i + 2 };
  // "May 12, 2015", "May 12th 2015".
  const dayAfter = dayOf(words[i + 1]);
  const yearAfterDay = yearOf(words[i + 2]);
  if (dayAfter !== null && yearAfterDay !== null) return { date: { year: yearAfterDay, month, day: dayAfter }, start: i, end: i + 3 };
  // "2015 ж. 12 мамыр", "2015 жылы 12 мамырда".
  const yearIndex = YEAR_MARKERS.has(words[dayBefore - 1] ?? '') ? dayBefore - 2 : dayBefore - 1;
  const yearBefore = yearOf(words[yearIndex]);
  if (day !== null && yearBefore !== null) return { date: { year: yearBefore, month, day }, start: yearIndex, end: i + 1 };
  // "May 2015", "в мае 2015", "мамыр 2015".
  if (yearAfter !== null) return { date: { year: yearAfter, month }, start: i, end: i + 2 };
  return null;
}

function namedDates(typed: string): TypedDate[] {
  const words = wordsOf(typed);
  return words.flatMap((_, i) => {
    const found = namedDateAt(words, i);
    return found ? [{ ...found.date, before: words.slice(0, found.start), after: words.slice(found.end) }] : [];
  });
}

/** Every date in the text, with the words on each side: the caller decides which is a birth. */
export const datesIn = (typed: string, now: Date): TypedDate[] => [...numericDates(typed, now), ...namedDates(typed)];
