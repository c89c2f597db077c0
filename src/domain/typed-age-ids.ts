// Phone numbers and IINs typed where an age is asked: long numbers with an age's digits in them,
// which the age reader must not take for an age ("87011234567" is no one's age, and no answer to
// the question either). Only the IIN's date of birth is passed on; the number itself never is.

import { checkIin } from './iin.js';

// A Kazakhstan mobile number as people write it: "+7 701 123 45 67", "8 (701) 123-45-67",
// "87011234567", "7011234567". Mobile codes all start with 7 (phone.ts has the exact list).
const PHONE = /(?<![\d+])(?:(?:\+\s*7|8|7)[\s-]*)?\(?7\d{2}\)?[\s-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)/g;
// An IIN: twelve digits together, as the documents print it.
const IIN = /(?<!\d)\d{12}(?!\d)/g;
// An IIN copied in groups, as people break long numbers to read them: "150512 500123",
// "150512-500-123", "1505 1250 0123". Groups of two digits or more with one space or hyphen
// between them, twelve digits in all: a phone number has ten or eleven ("+7 701 123 45 67",
// "8 701 123 45 67"), so it is never taken for one.
const DIGIT_GROUPS = /(?<![\d+])\d{2,}(?:(?: ?[-‐–] ?| )\d{2,})+(?!\d)/g;

const digitsOf = (run: string): string => run.replace(/\D/g, '');
const isGroupedIin = (run: string): boolean => digitsOf(run).length === 12;

export interface WithoutIds {
  /** The text with phone numbers and IINs turned into spaces (the rest stays where it was). */
  text: string;
  /** The date of birth of the one valid IIN in the text, as YYYY-MM-DD. */
  iinBirthDate?: string;
}

const blank = (match: string): string => ' '.repeat(match.length);

/** The text without its phone numbers and IINs, and the birth date a valid IIN in it gives. */
export function withoutIds(typed: string, now: Date): WithoutIds {
  const grouped = [...typed.matchAll(DIGIT_GROUPS)].map(([run]) => run).filter(isGroupedIin);
  const [iin, another] = [...(typed.match(IIN) ?? []), ...grouped.map(digitsOf)];
  const text = typed
    .replace(IIN, blank)
    .replace(DIGIT_GROUPS, (run) => (isGroupedIin(run) ? blank(run) : run))
    .replace(PHONE, blank);
  const check = iin !== undefined && another === undefined ? checkIin(iin, now) : null;
  return check?.ok ? { text, iinBirthDate: check.birthDate } : { text };
}

// The words an IIN is typed with: "ИИН 150512500123", "ЖСН", "IIN".
const IIN_WORDS = new Set(['иин', 'жсн', 'iin']);
export const isIinWord = (word: string): boolean => IIN_WORDS.has(word);

/**
 * Numbers and signs only ("+7 701 123 45 67", "7, 12", an IIN in groups), or a text with a phone
 * number or an IIN in it: typed as an answer, never a question for the knowledge base (whose
 * look-up split "+7 701 123 45 67" into five words, enough to be taken for one).
 */
export function holdsIdsOrNumbersOnly(typed: string, now: Date): boolean {
  if (/\d/.test(typed) && !/\p{L}/u.test(typed)) return true;
  return withoutIds(typed, now).text !== typed;
}
