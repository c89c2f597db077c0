import { normalizePhone } from './phone.js';

/**
 * Personal numbers in what people write: IINs (and BINs, cards, accounts) and Kazakhstan mobile
 * numbers, however they are typed. A knowledge base text must not carry either (names and
 * addresses cannot be told from other words, which is why a person reviews every entry; these
 * two can, so they are refused outright; office and hotline numbers, 1414, 8 800 …, +7 7172 …,
 * are what answers give, so landlines stay). The staff group and reviewers who are not admins
 * see long numbers hidden (hideLongNumbers).
 */

/**
 * Digits written as one number: separated by spaces, hyphens, dots or brackets ("+7 (701)
 * 234-56-78", "900101 300 123"), but not by commas or words, so "1414, 8 800 080 7777" stays
 * two numbers. Hyphens include the dashes and the minus sign phones' keyboards put in their
 * place ("8–701–…"). Full-width digits are folded (NFKC) and invisible characters dropped first.
 */
const NUMBER = /\+?\d(?:[\s\-.()\u00a0\u2010-\u2015\u2212]{0,3}\d)+/g;
/**
 * A decimal digit of another script ("٣", "۳", "३") as its value: Unicode gives each script's
 * digits as ten in a row, zero first, so the value is how far back that row starts.
 */
function digitValue(char: string): string {
  let at = char.codePointAt(0)!;
  let steps = 0;
  while (/\p{Nd}/u.test(String.fromCodePoint(at - 1))) {
    at -= 1;
    steps += 1;
  }
  return String(steps % 10);
}

/**
 * Full-width digits folded to ASCII (NFKC), other scripts' digits read as theirs, and invisible
 * characters (a soft hyphen too) dropped: how numbers hide.
 */
export const folded = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/(?![0-9])\p{Nd}/gu, digitValue);
const numbersIn = (text: string): string[] => (folded(text).match(NUMBER) ?? []).map((run) => run.replace(/\D/g, ''));

/** Twelve digits or more in one number: an IIN (or a BIN, a card, an account), never a public number. */
export const hasIinLike = (text: string): boolean => numbersIn(text).some((digits) => digits.length >= 12);

/** A Kazakhstan mobile number in any common way of writing it. */
export const hasMobileNumber = (text: string): boolean => numbersIn(text).some((digits) => normalizePhone(digits) !== null);

/** An IIN (12), a BIN, a bank card (16) and anything longer: what the staff group is not shown. */
const HIDDEN_FROM = 12;

/**
 * For the staff group, digits count as one number across more ways of writing them than above:
 * slashes, underscores, stars, bars, middle dots, emoji, a comma right between digits
 * ("900101,300,123"), up to five such characters ("900101  -  300123"). A comma and a space
 * still part numbers ("900101, 300123"): that is how lists are written.
 */
const HIDDEN_NUMBER =
  /\+?\d(?:(?:[\s\-.()/_*|·•\u00a0\u2010-\u2015\u2212\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F]|,(?=\d)){0,5}\d)+/gu;

/** Digits that are nothing but mobile numbers side by side ("8701… 8707…"): an operator may call them back. */
function allPhones(digits: string): boolean {
  if (digits.length === 0) return true;
  return [10, 11].some((length) => digits.length >= length && normalizePhone(digits.slice(0, length)) !== null && allPhones(digits.slice(length)));
}

/**
 * The text folded character by character, each folded character knowing where in the original
 * it came from: numbers are found on folded text (HIDDEN_NUMBER) and replaced
 * in the original, so nothing else the person wrote changes.
 */
function foldedWithOrigins(text: string): { folded: string; starts: number[]; ends: number[] } {
  let out = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const char of text) {
    const piece = folded(char);
    for (let i = 0; i < piece.length; i += 1) {
      starts.push(at);
      ends.push(at + char.length);
    }
    out += piece;
    at += char.length;
  }
  return { folded: out, starts, ends };
}

/**
 * The text with every number of 12 digits or more written as one number (an IIN, a card, both
 * typed together, an account) replaced by `marker` given its digits: for the staff group, where
 * every member reads it and Telegram keeps it after the person deletes their data, and for
 * reviewers who are not admins. Phone numbers (11 digits, or several written side by side) stay:
 * operators may call back. The rest of the text stays as written.
 */
export function hideLongNumbers(text: string, marker: (digits: string) => string): string {
  let out = '';
  let kept = 0;
  for (const { digits, from, to } of longNumbersIn(text)) {
    out += text.slice(kept, from) + marker(digits);
    kept = to;
  }
  return out + text.slice(kept);
}

/**
 * Whether the text holds a number hideLongNumbers would hide: for what cannot be rewritten, such
 * as the name of a file a citizen sent (a copy of their message shows it as it is).
 */
export const holdsLongNumber = (text: string): boolean => [...folded(text).matchAll(HIDDEN_NUMBER)].some((match) => isHidden(match[0].replace(/\D/g, '')));

/**
 * holdsLongNumber for a file's name, except that a number which is nothing but the moment a
 * camera, a phone's screenshot or Telegram named the file after ("IMG_20240115_123045.jpg",
 * "photo_2024-01-15_12-30-45.jpg", "PXL_20240115_123045123.jpg") is not taken for an IIN or a
 * card: otherwise most photos sent as files would need a tap to reach an operator.
 */
export const fileNameHoldsLongNumber = (name: string): boolean =>
  [...nameFolded(name).matchAll(HIDDEN_NUMBER)].some((match) => {
    const digits = match[0].replace(/\D/g, '');
    return isHidden(digits) && !isFileTimestamp(digits);
  });

/**
 * A file's name folded further than a text (folded): what shows as nothing or as a blank (every
 * format character, direction marks and isolates among them, combining marks, Braille and Hangul
 * blanks) dropped, and the punctuation names use between words ("[950101][300123]",
 * "950101+300123", "IIN%20950101%20300123", "12:30:45") taken as a separator. No text of ours
 * shows the result, so it need not stay readable; a comma stays as texts read it (lists).
 */
const nameFolded = (name: string): string =>
  folded(name.replace(/[\p{Cf}\p{M}\u115F\u1160\u2800\u3164\uFFA0]/gu, '')).replace(/[+=~#'\u2019&;:%!@$^`[\]{}<>"?\\]/g, '_');

/**
 * Exactly a date and time, YYYYMMDDhhmmss (14 digits), or with milliseconds (17): none of
 * them an IIN or a card. A 12-digit date and time is not taken: an IIN can read as one (born
 * 2019-05-03, serial 301234: "190503301234" = 1905-03-30 12:34), and so can the first digits
 * of a 16-digit card, which is why the run must be exactly 14 or 17 digits long.
 */
const isFileTimestamp = (digits: string): boolean => FILE_TIMESTAMP.test(digits);
const FILE_TIMESTAMP = /^(?:199\d|20\d\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])(?:[0-5]\d){2}(?:\d{3})?$/;

/** Digits of one number the staff group is not shown: 12 or more, unless only phones side by side. */
const isHidden = (digits: string): boolean => digits.length >= HIDDEN_FROM && !allPhones(digits);

/** The numbers the staff group is not shown, with where each stands in the original text. */
function* longNumbersIn(text: string): Generator<{ digits: string; from: number; to: number }> {
  const { folded: plain, starts, ends } = foldedWithOrigins(text);
  for (const match of plain.matchAll(HIDDEN_NUMBER)) {
    const digits = match[0].replace(/\D/g, '');
    if (!isHidden(digits)) continue;
    yield { digits, from: starts[match.index]!, to: ends[match.index + match[0].length - 1]! };
  }
}
