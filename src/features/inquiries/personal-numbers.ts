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
