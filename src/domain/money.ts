// Tenge amounts: shown in grant summaries and typed by applicants ("1,5 млн", "800 мың").
// Tenge are handled as whole numbers; tiyn are not used in the amounts we ask for.

import type { Locale } from './text.js';

const NUMBER_LOCALE: Readonly<Record<Locale, string>> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-US' };
const formatters = new Map<Locale, Intl.NumberFormat>();

function numberFormat(locale: Locale): Intl.NumberFormat {
  let f = formatters.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(NUMBER_LOCALE[locale], { maximumFractionDigits: 0 });
    formatters.set(locale, f);
  }
  return f;
}

/** The currency in words: "₸" is missing from old phones' fonts and screen readers skip or misread it. */
const CURRENCY_WORD: Readonly<Record<Locale, { full: string; short: string }>> = {
  kk: { full: 'теңге', short: 'тг' },
  ru: { full: 'тенге', short: 'тг' },
  // On an English button the number alone: "34,600,000 tenge" would not fit, "KZT" is read letter by letter.
  en: { full: 'tenge', short: '' },
};

/**
 * "1 729 600 теңге" (kk), "1 729 600 тенге" (ru), "1,729,600 tenge" (en); grouping as Intl renders
 * it, non-breaking spaces. The word follows the number with a no-break space, so it never wraps
 * away from the amount. `short` gives "тг" (and no word in English) for buttons, where every
 * character counts.
 */
export function formatTenge(amount: number, locale: Locale, size: 'full' | 'short' = 'full'): string {
  if (!Number.isFinite(amount)) throw new RangeError(`formatTenge: not a finite amount: ${amount}`);
  // `|| 0` turns -0 (e.g. from rounding -0.4) into 0 so we never print "-0 tenge".
  const whole = Math.round(amount) || 0;
  const word = CURRENCY_WORD[locale][size];
  return word ? `${numberFormat(locale).format(whole)}\u00A0${word}` : numberFormat(locale).format(whole);
}

// Currency words users append or prepend; they say nothing about the amount.
const CURRENCY = /^(?:₸|kzt|тенге|теңге|тг|tenge|tg)\.?\s*|\s*(?:₸|kzt|тенге|теңге|тг|tenge|tg)\.?$/g;

// Scale words, including the short forms people type in chats ("800к", "1.5m").
const MULTIPLIERS: readonly (readonly [RegExp, number])[] = [
  [/^(?:k|к|тыс|тысяч[аи]?|мың|мын|thousands?|thou)$/, 1e3],
  [/^(?:m|м|mln|mn|млн|миллион(?:а|ов)?|millions?)$/, 1e6],
  [/^(?:bn|млрд|миллиард(?:а|ов)?|миллиярд|billions?)$/, 1e9],
];

// Numbers as people write them. Spaces may group thousands; with commas and dots, whichever
// pattern matches first in the order chosen below decides which is the decimal separator.
const PLAIN = /^(\d+)(?:[.,](\d+))?$/; // 1500000, 1.5, 1,5
const SPACE_GROUPED = /^(\d{1,3}(?: \d{3})+)(?:[.,](\d+))?$/; // 1 500 000, 1 500,50
const COMMA_GROUPED = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/; // 1,500,000 and 1,500,000.50
const DOT_GROUPED = /^(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?$/; // 1.500.000 and 1.500.000,50
// Only the last groups spaced: "1500 000". Whatever comes before them, the groups of three after
// a space can only be thousands.
const LOOSELY_SPACED = /^(\d+(?: \d{3})+)$/;

function parseNumber(s: string, scaled: boolean): number | null {
  // "1,500" alone is one thousand five hundred; "1,500 млн" is one and a half million.
  const order = scaled ? [PLAIN, SPACE_GROUPED, COMMA_GROUPED, DOT_GROUPED] : [SPACE_GROUPED, COMMA_GROUPED, DOT_GROUPED, PLAIN, LOOSELY_SPACED];
  for (const re of order) {
    const m = re.exec(s);
    if (!m) continue;
    const intPart = (m[1] ?? '').replace(/[ ,.]/g, '');
    return Number(`${intPart}.${m[2] ?? '0'}`);
  }
  return null;
}

/**
 * A positive whole number of tenge from what a user typed, or null. Understands digit grouping
 * ("1 500 000", "1,500,000"), scale words in kk/ru/en ("1,5 млн", "800 мың", "800 тыс", "800k",
 * "1.5 million") and currency words ("₸", "тг", "тенге", "теңге"). Zero, negatives, fractions of
 * a tenge without a scale word, and anything else are rejected so the scene asks again.
 */
export function parseAmount(text: string): number | null {
  let s = text
    .toLowerCase()
    .replace(/[\s\u00A0\u202F\u2009]+/g, ' ')
    .trim();
  s = s.replace(CURRENCY, '').trim();

  let multiplier = 1;
  const scale = /^(.*?\d)\s*([^\d\s.,][^\d\s]*?)\.?$/.exec(s);
  if (scale) {
    const word = scale[2] ?? '';
    const found = MULTIPLIERS.find(([re]) => re.test(word));
    if (!found) return null;
    multiplier = found[1];
    s = (scale[1] ?? '').trim();
  }

  const value = parseNumber(s, multiplier !== 1);
  if (value === null) return null;
  const amount = value * multiplier;
  // With a scale word, float noise (1.1 × 1e6 = 1100000.0000000002) is rounded away; without
  // one, a fractional amount is more likely a mistake ("1,5" meant as millions) than tiyn.
  const whole = multiplier === 1 ? amount : Math.round(amount);
  if (!Number.isSafeInteger(whole) || whole <= 0) return null;
  return whole;
}
