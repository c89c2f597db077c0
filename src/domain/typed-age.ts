// An age as people type it when a form asks who needs help: "7", "мой сын, 7 лет", "ұлым 7
// жаста", "my daughter is 12", "мне 45", "8 месяцев", "1 год 6 месяцев", "2015 г.р.". Kazakh,
// Russian and English alike, since people mix them. A number alone is an age only where the
// caller decided it is no button number. The words are in typed-age-words.ts and
// typed-age-time-words.ts; dates, ranges, spelled numbers, counts of children, and phone numbers
// and IINs each have their own typed-age-*.ts.

import { ageOn } from './iin.js';
import { latinKazakhToCyrillic } from './kk-latin.js';
import { fromKzWallTime } from './kz-time.js';
import { isChildCount } from './typed-age-counts.js';
import { datesIn, type TypedDate } from './typed-age-dates.js';
import { isIinWord, withoutIds } from './typed-age-ids.js';
import { rangeAge } from './typed-age-ranges.js';
import { spelledNumbersAsDigits } from './typed-age-numbers.js';
import {
  approximationsLeftOut,
  boundBefore,
  isDateMarker,
  isGroupNumber,
  isPersonWord,
  isYearsAndMonthsJoint,
  notYetReached,
  saysBorn,
  unitAfter,
} from './typed-age-words.js';
import { isAnotherTime } from './typed-age-time-words.js';

/** An age in years (months as parts of a year), or one no person has (0, negative, 150). */
export type TypedAge = { years: number } | { impossible: true };

/** Older than this is no one's age: the oldest people on record lived to 117-122. */
export const MAX_AGE = 120;

/** An age is said in a few words; a long message with a number in it is about something else. */
const MAX_AGE_TEXT = 200;

const IMPOSSIBLE: TypedAge = { impossible: true };
/** How far past its number a bound puts an age ("under 18" is 17.99): less than any age step people type. */
const BOUND_STEP = 0.01;
const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;

// One number, with a sign (a minus only where a word starts: "7-летний" is no negative number)
// and a decimal part ("2,5 года").
const NUMBER = /([-−–]\s*)?(\d+)(?:[.,](\d+))?/g;
// Where a part of a sentence ends: "мой сын, 7 лет, болеет ДЦП" has the age and the illness in
// different parts. A full stop only before a capital letter, since "г.р." and "y.o." have stops.
const CLAUSE_END = /[,;:!?()\n]|\.\s+(?=\p{Lu})/u;

interface NumberInText {
  value: number;
  negative: boolean;
  /** Four digits and nothing else: 2015 is a year, not an age. */
  yearLike: boolean;
  start: number;
  end: number;
  /** The words of the whole text on each side of the number. */
  before: string[];
  after: string[];
  /** The words of its part of the sentence on each side. */
  clauseBefore: string[];
  clauseAfter: string[];
}

// "Около 60", "about 7", "шамамен 7 жаста": the number, as if the word were not there.
const wordsOf = approximationsLeftOut;

function numbersIn(typed: string): NumberInText[] {
  return [...typed.matchAll(NUMBER)].map((match) => {
    const [whole, sign, digits = '', decimals] = match;
    const start = match.index;
    const end = start + whole.length;
    const head = typed.slice(0, start);
    const tail = typed.slice(end);
    return {
      value: Number(decimals === undefined ? digits : `${digits}.${decimals}`),
      negative: sign !== undefined && (start === 0 || /\s/.test(typed.charAt(start - 1))),
      yearLike: sign === undefined && decimals === undefined && /^[1-9]\d{3}$/.test(digits),
      start,
      end,
      before: wordsOf(head),
      after: wordsOf(tail),
      clauseBefore: wordsOf(head.split(CLAUSE_END).at(-1) ?? ''),
      clauseAfter: wordsOf(tail.split(CLAUSE_END)[0] ?? ''),
    };
  });
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * The age of someone born on a date typed in full (or read from an IIN): with a word of birth
 * ("родился 12.05.2015", "12.05.2015 г.р.") or with nothing but words about a person and of a
 * year around it ("12.05.2015", "сын 12 мая 2015", "12 мамыр 2015 ж.", "ИИН сына ...").
 * A date said of something else ("с 12.05.2020 болеет") or one no calendar has is no age. With
 * the month only ("born in May 2015"), counted from the middle of the month, as a year of birth is.
 */
function ageFromBirthDate({ year, month, day, before, after }: TypedDate, now: Date): TypedAge | null {
  const aroundIt = (word: string) => isPersonWord(word) || isDateMarker(word) || isIinWord(word);
  if (!saysBorn(before, after) && ![...before, ...after].every(aroundIt)) return null;
  if (day === undefined) {
    const nextMonth = month === 12 ? fromKzWallTime(year + 1, 1, 1) : fromKzWallTime(year, month + 1, 1);
    return ageFromBirthSpan(fromKzWallTime(year, month, 1), nextMonth, now);
  }
  const born = fromKzWallTime(year, month, day);
  if (!born) return null;
  if (born > now) return IMPOSSIBLE;
  // Full years as the calendar in Kazakhstan counts them (18 comes on the birthday itself), and
  // the part of a year since the last birthday: a baby born today is hours old, not no age.
  const full = ageOn(`${year}-${pad2(month)}-${pad2(day)}`, now);
  const approx = (now.getTime() - born.getTime()) / YEAR_MS;
  return ageOrImpossible(Math.min(Math.max(approx, full + 0.001), full + 0.999));
}

const isBirthYear = (n: NumberInText): boolean => n.yearLike && saysBorn(n.clauseBefore, n.clauseAfter);
/** A disability group, a time ago, how long someone has been ill, how many children: not the age now. */
const isAboutSomethingElse = ({ value, clauseBefore, clauseAfter }: NumberInText): boolean =>
  isGroupNumber(clauseBefore, clauseAfter) || isAnotherTime(clauseBefore, clauseAfter) || isChildCount(value, clauseBefore, clauseAfter);
const ageOrImpossible = (years: number, negative = false): TypedAge =>
  negative || !(years > 0) || years > MAX_AGE ? IMPOSSIBLE : { years };

/**
 * The age of someone born between two instants, the birthday not known: counted from the middle
 * of the part of that time they can have been born in (up to today, for a baby born in it). On
 * 1 March 2025 someone born in 2007 is 17.7, most likely still 17.
 */
function ageFromBirthSpan(from: Date | null, to: Date | null, now: Date): TypedAge | null {
  if (!from || !to) return null;
  const latest = Math.min(to.getTime(), now.getTime());
  if (latest <= from.getTime()) return IMPOSSIBLE; // a time still to come
  return ageOrImpossible((now.getTime() - (from.getTime() + latest) / 2) / YEAR_MS);
}

const ageFromBirthYear = (year: number, now: Date): TypedAge =>
  ageFromBirthSpan(fromKzWallTime(year, 1, 1), fromKzWallTime(year + 1, 1, 1), now) ?? IMPOSSIBLE;

/**
 * A number is an age when it is the whole answer, when a unit follows it (years or months), or
 * when a word about a person comes before it and nothing but such words after it: "мне 45" is an
 * age, "мне нужно для 2 человек" and "I need help for 3 people" are not. Four digits read so are
 * a year of birth ("2015", "мой сын 2015"): no one is 2015 years old.
 */
function ageOf(n: NumberInText, now: Date): TypedAge | null {
  const unit = unitAfter(n.after);
  const alone = n.before.length === 0 && n.after.length === 0;
  // A bound says which side of 18 someone is as well as an age: "under 18", "мне за 60", "скоро 18".
  const bound = boundBefore(n.clauseBefore) ?? (notYetReached(n.clauseBefore, n.clauseAfter) ? 'below' : null);
  // After it, only its own part of the sentence counts: "мне 56, 3 группа" is 56.
  if (!unit && !alone && !((bound || n.before.some(isPersonWord)) && n.clauseAfter.every(isPersonWord))) return null;
  if (n.yearLike && unit !== 'months') return ageFromBirthYear(n.value, now);
  const years = unit === 'months' ? n.value / 12 : n.value;
  // Just below or above the number: "almost 18" is a child, "older than 18" an adult.
  return ageOrImpossible(years + (bound === 'below' ? -BOUND_STEP : bound === 'above' ? BOUND_STEP : 0), n.negative);
}

/** "1 год 6 месяцев", "1 жас 6 ай", "1 year and 6 months" as one age, 1.5; null for other pairs. */
function yearsAndMonths(typed: string, years: NumberInText, months: NumberInText): TypedAge | null {
  const joined = unitAfter(months.after) === 'months' && isYearsAndMonthsJoint(wordsOf(typed.slice(years.end, months.start)));
  if (!joined || years.yearLike || months.negative) return null;
  return ageOrImpossible(years.value + months.value / 12, years.negative);
}

/** The age the numbers in a text give, digits only: a date of birth, a range or one number. */
function ageOfDigits(typed: string, now: Date): TypedAge | null {
  const dates = datesIn(typed, now);
  if (dates.length > 0) return dates.length === 1 && dates[0] ? ageFromBirthDate(dates[0], now) : null;
  return (rangeAge(typed, (text) => ageOfNumbers(text, now)) ?? { age: ageOfNumbers(typed, now) }).age;
}

function ageOfNumbers(typed: string, now: Date): TypedAge | null {
  const candidates = numbersIn(typed).filter((n) => isBirthYear(n) || !isAboutSomethingElse(n));
  const [first, second] = candidates;
  if (candidates.length === 2 && first && second) return yearsAndMonths(typed, first, second);
  if (candidates.length !== 1 || !first) return null;
  return isBirthYear(first) ? ageFromBirthYear(first.value, now) : ageOf(first, now);
}

const ageOfWords = (typed: string, now: Date): TypedAge | null => ageOfDigits(spelledNumbersAsDigits(typed), now);

/**
 * Two numbers or more said as someone's age: "мне 45, сыну 7", "мне 45 сыну 7", "сыну 7 и дочке
 * 12". readTypedAge reads none of them (which person needs help?), yet the text answers the
 * question: no question for the knowledge base. A number within two words after a word about a
 * person counts here even with more words after it ("мне 45 сыну 7", "my son is 7 and ...").
 */
export function saysSeveralAges(typed: string, now: Date = new Date()): boolean {
  if (typed.length > MAX_AGE_TEXT) return false;
  const text = spelledNumbersAsDigits(withoutIds(typed, now).text);
  const saidAsAge = (n: NumberInText): boolean =>
    !n.yearLike && !isAboutSomethingElse(n) && (ageOf(n, now) !== null || n.clauseBefore.slice(-2).some(isPersonWord));
  const count = (words: string): number => numbersIn(words).filter(saidAsAge).length;
  return Math.max(count(text), /\p{Script=Latin}/u.test(text) ? count(latinKazakhToCyrillic(text)) : 0) >= 2;
}

/**
 * The age a typed answer gives, or null when it gives none: no number, two ages ("мне 45, сыну
 * 7"), or a number with words that do not make it an age. Numbers that are about something else
 * do not count: a disability group ("2 группа", "мүгедектігі 2 топ"), a time ago or how long
 * someone has been ill ("3 года назад", "for 2 years", "уже 2 года болеет"), how many children
 * someone has ("mother of 2", "у меня 3 детей"), a phone number. A
 * year or a date of birth ("2015 г.р.", "born in 2015", "2015 жылы туған", "12.05.2015", "12 мая
 * 2015") gives the age as of `now`, and so does an IIN typed alone: it says the date of birth as
 * surely as the date itself would. Numbers may be spelled ("семь лет", "жиырма бес", "twenty-five")
 * and Kazakh typed in Latin letters ("ulym 7 jasta").
 */
export function readTypedAge(typed: string, now: Date = new Date()): TypedAge | null {
  if (typed.length > MAX_AGE_TEXT) return null;
  const { text, iinBirthDate } = withoutIds(typed, now);
  const [year, month, day] = iinBirthDate?.split('-').map(Number) ?? [];
  // The IIN's place is blank: with nothing but words about a person around it, it is the answer.
  const iinAlone = wordsOf(text).every((word) => isPersonWord(word) || isIinWord(word));
  if (year && month && day && iinAlone) return ageFromBirthDate({ year, month, day, before: wordsOf(text), after: [] }, now);
  // Latin letters may be English or Kazakh: Kazakh is tried when the text as typed gave nothing.
  return ageOfWords(text, now) ?? (/\p{Script=Latin}/u.test(text) ? ageOfWords(latinKazakhToCyrillic(text), now) : null);
}
