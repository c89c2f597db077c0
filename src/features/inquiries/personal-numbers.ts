import { normalizePhone } from '../../domain/phone.js';

/**
 * What a knowledge base text must not carry: a number shaped like an IIN, or a Kazakhstan mobile
 * number. Names and addresses cannot be told from other words, which is why a person reviews
 * every entry; these two can, so they are refused outright. Office and hotline numbers
 * (1414, 8 800 …, +7 7172 …) are what answers give, so landlines stay.
 */

/**
 * Digits written as one number: separated by spaces, hyphens, dots or brackets ("+7 (701)
 * 234-56-78", "900101 300 123"), but not by commas or words, so "1414, 8 800 080 7777" stays
 * two numbers. Hyphens include the dashes and the minus sign phones' keyboards put in their
 * place ("8–701–…"). Full-width digits are folded (NFKC) and invisible characters dropped first.
 */
const NUMBER = /\+?\d(?:[\s\-.()\u00a0\u2010-\u2015\u2212]{0,3}\d)+/g;
/** Full-width digits folded to ASCII (NFKC) and invisible characters dropped: how numbers hide. */
export const folded = (text: string): string => text.normalize('NFKC').replace(/[\u200B-\u200D\u2060\uFEFF]/g, '');
const numbersIn = (text: string): string[] => (folded(text).match(NUMBER) ?? []).map((run) => run.replace(/\D/g, ''));

/** Twelve digits or more in one number: an IIN (or a BIN, a card, an account), never a public number. */
export const hasIinLike = (text: string): boolean => numbersIn(text).some((digits) => digits.length >= 12);

/** A Kazakhstan mobile number in any common way of writing it. */
export const hasMobileNumber = (text: string): boolean => numbersIn(text).some((digits) => normalizePhone(digits) !== null);

/** An IIN (12), a BIN, a bank card (16) or its longer kinds (up to 19): what the staff group is not shown. */
const HIDDEN_DIGITS = { min: 12, max: 19 } as const;

/**
 * The text folded character by character, each folded character knowing where in the original
 * it came from: numbers are found by the same rule as above (NUMBER on folded text) and replaced
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
 * The text with every number of 12 to 19 digits written as one number (an IIN, a card) replaced
 * by `marker` given its last four digits, for the staff group, where every member reads it and
 * Telegram keeps it after the person deletes their data. Phone numbers (11 digits, or 22 for two
 * written side by side) stay: operators may call back.
 */
export function hideLongNumbers(text: string, marker: (lastFour: string) => string): string {
  const { folded: plain, starts, ends } = foldedWithOrigins(text);
  let out = '';
  let kept = 0;
  for (const match of plain.matchAll(NUMBER)) {
    const digits = match[0].replace(/\D/g, '');
    if (digits.length < HIDDEN_DIGITS.min || digits.length > HIDDEN_DIGITS.max) continue;
    const from = starts[match.index]!;
    const to = ends[match.index + match[0].length - 1]!;
    out += text.slice(kept, from) + marker(digits.slice(-4));
    kept = to;
  }
  return out + text.slice(kept);
}
