import { describe, it, expect } from 'vitest';
import { formatTenge, parseAmount } from '../../src/domain/money.js';

// Intl groups kk/ru with no-break spaces; compare with plain spaces to stay ICU-version proof.
const plain = (s: string): string => s.replace(/\s/g, ' ');

describe('formatTenge', () => {
  it('groups digits per locale and writes the currency in words after the number', () => {
    expect(plain(formatTenge(1_729_600, 'kk'))).toBe('1 729 600 теңге');
    expect(plain(formatTenge(1_729_600, 'ru'))).toBe('1 729 600 тенге');
    expect(formatTenge(1_729_600, 'en')).toBe('1,729,600\u00A0tenge');
    expect(plain(formatTenge(1_729_600, 'kk', 'short'))).toBe('1 729 600 тг');
    expect(plain(formatTenge(1_729_600, 'ru', 'short'))).toBe('1 729 600 тг');
    expect(formatTenge(1_729_600, 'en', 'short')).toBe('1,729,600');
  });

  it('never breaks a line inside an amount', () => {
    expect(formatTenge(1_729_600, 'ru')).not.toMatch(/ /);
  });

  it('rounds to whole tenge', () => {
    expect(plain(formatTenge(4325.4, 'ru'))).toBe('4 325 тенге');
    expect(formatTenge(999.5, 'en')).toBe('1,000\u00A0tenge');
    expect(formatTenge(-0.4, 'en')).toBe('0\u00A0tenge');
    expect(formatTenge(0, 'kk')).toBe('0\u00A0теңге');
  });

  it('refuses non-finite amounts', () => {
    expect(() => formatTenge(Number.NaN, 'ru')).toThrow(RangeError);
    expect(() => formatTenge(Number.POSITIVE_INFINITY, 'ru')).toThrow(RangeError);
  });
});

describe('parseAmount', () => {
  it.each<[string, number]>([
    ['1500000', 1_500_000],
    ['1 500 000', 1_500_000],
    ['1\u00A0500\u00A0000', 1_500_000],
    ['1,500,000', 1_500_000],
    ['1.500.000', 1_500_000],
    ['1,500', 1_500],
    ['1 500 000,00', 1_500_000],
    ['1,500,000.00', 1_500_000],
    ['1.5 млн', 1_500_000],
    ['1,5 млн', 1_500_000],
    ['1,5млн', 1_500_000],
    ['1.5m', 1_500_000],
    ['1.5M', 1_500_000],
    ['1.5 million', 1_500_000],
    ['1,5 миллион', 1_500_000],
    ['2 миллиона', 2_000_000],
    ['1.1 млн', 1_100_000],
    ['800 мың', 800_000],
    ['800 тыс', 800_000],
    ['800 тыс.', 800_000],
    ['800k', 800_000],
    ['800к', 800_000],
    ['800 thousand', 800_000],
    ['1,2 млрд', 1_200_000_000],
    ['1 729 600 ₸', 1_729_600],
    ['1729600₸', 1_729_600],
    ['₸ 1 729 600', 1_729_600],
    ['500 000 тг', 500_000],
    ['500 000 тг.', 500_000],
    ['500000 тенге', 500_000],
    ['500 000 теңге', 500_000],
    ['1.5 млн тенге', 1_500_000],
    ['800 мың теңге', 800_000],
    ['  1 500 000  ', 1_500_000],
    ['1', 1],
    // The thousands grouped, the millions not: how many type a sum on a phone.
    ['1500 000', 1_500_000],
    ['28112 500 тг', 28_112_500],
  ])('parses %j', (text, expected) => {
    expect(parseAmount(text)).toBe(expected);
  });

  it.each([
    ['negative', '-500000'],
    ['negative with unit', '-1.5 млн'],
    ['zero', '0'],
    ['zero with unit', '0 тг'],
    ['text', 'много'],
    ['empty', ''],
    ['currency only', '₸'],
    ['unknown unit', '500 рублей'],
    ['fraction of a tenge', '1500,50'],
    ['ambiguous decimal without unit', '1,5'],
    ['bad grouping', '1 50 000'],
    ['a range', '100-200'],
    ['huge', '99999999999999999999'],
    ['compound', '2 млн 500 тыс'],
  ])('rejects %s', (_label, text) => {
    expect(parseAmount(text)).toBeNull();
  });
});
