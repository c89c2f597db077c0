import { describe, expect, it } from 'vitest';
import { iinCheckDigit } from '../../src/domain/iin.js';
import { readTypedAge } from '../../src/domain/typed-age.js';
import { withoutIds } from '../../src/domain/typed-age-ids.js';

const NOW = new Date('2025-07-02T07:00:00Z');
const yearsOf = (typed: string): number | null => {
  const age = readTypedAge(typed, NOW);
  return age && 'years' in age ? age.years : null;
};
/** An IIN with a right check digit: born on YYMMDD, century digit 5 (a boy born after 2000) or 3. */
const iin = (first11: string): string => `${first11}${String(iinCheckDigit(first11))}`;
const BOY_2015 = iin('15051250001'); // 12 May 2015
const MAN_1980 = iin('80010130012'); // 1 January 1980

describe('readTypedAge: phone numbers and IINs', () => {
  it.each(['+7 701 123 45 67', '87011234567', '8 (701) 123-45-67', '+77011234567', '7011234567', 'мой номер 87011234567', 'тел 8 701 123 45 67'])(
    'a phone number is no age, not an age no one has ("%s")',
    (typed) => {
      expect(readTypedAge(typed, NOW)).toBeNull();
    },
  );

  it('reads the age next to a phone number', () => {
    expect(yearsOf('мне 45, тел 87011234567')).toBe(45);
    expect(yearsOf('my son is 7, my phone +7 701 123 45 67')).toBe(7);
  });

  // The IIN says the date of birth as surely as "12.05.2015" does; only the age is read from it.
  it.each([
    ['—', BOY_2015, 10.14],
    ['ru', `ИИН сына ${BOY_2015}`, 10.14],
    ['kk', `ЖСН ${MAN_1980}`, 45.5],
    ['en', `IIN ${MAN_1980}`, 45.5],
  ])('a valid IIN typed alone gives the age of its date of birth (%s: "%s")', (_language, typed, years) => {
    expect(yearsOf(typed)).toBeCloseTo(years, 1);
  });

  // Copied from a document or read out in groups: the same IIN, the same date of birth.
  it.each([
    ['spaces', `${BOY_2015.slice(0, 6)} ${BOY_2015.slice(6)}`, 10.14],
    ['hyphens', `${BOY_2015.slice(0, 6)}-${BOY_2015.slice(6, 9)}-${BOY_2015.slice(9)}`, 10.14],
    ['groups of four', `${MAN_1980.slice(0, 4)} ${MAN_1980.slice(4, 8)} ${MAN_1980.slice(8)}`, 45.5],
    ['a word before it', `ЖСН ${MAN_1980.slice(0, 6)} ${MAN_1980.slice(6)}`, 45.5],
  ])('an IIN typed in groups (%s: "%s") gives the age of its date of birth', (_how, typed, years) => {
    expect(yearsOf(typed)).toBeCloseTo(years, 1);
  });

  it('an IIN typed in groups is blanked like one typed together: only its date of birth is given out', () => {
    const grouped = `${BOY_2015.slice(0, 6)} ${BOY_2015.slice(6)}`;
    expect(withoutIds(`ИИН ${grouped}`, NOW)).toEqual({ text: `ИИН ${' '.repeat(13)}`, iinBirthDate: '2015-05-12' });
    expect(yearsOf(`мне 45, ИИН ${grouped}`)).toBe(45);
    // Twelve digits in groups that are no valid IIN are no age either.
    expect(readTypedAge('1234 5678 9012', NOW)).toBeNull();
  });

  it.each(['8 701 123 45 67', '7 701 123 45 67', '701 123 45 67', '+7 701 123-45-67', '8-701-123-45-67', '8 701 123 4567', '8 7172 12 34 56'])(
    'a phone number typed in groups is neither an IIN nor an age ("%s")',
    (typed) => {
      expect(withoutIds(typed, NOW).iinBirthDate).toBeUndefined();
      expect(readTypedAge(typed, NOW)).toBeNull();
    },
  );

  it('an IIN puts someone turning 18 on the right side of it to the day', () => {
    expect(yearsOf(iin('07070260012'))).toBeGreaterThanOrEqual(18); // 2 July 2007: 18 today
    expect(yearsOf(iin('07070350012'))).toBeLessThan(18); // 3 July 2007: 18 tomorrow
  });

  it.each([
    ['a wrong check digit', `${BOY_2015.slice(0, 11)}${(Number(BOY_2015[11]) + 1) % 10}`],
    ['no such date', '151340500016'],
    ['a birth still to come', iin('30051250001')],
    ['twelve digits of something else', '123456789012'],
    ['two IINs', `${BOY_2015} ${MAN_1980}`],
  ])('twelve digits that are no valid IIN are no age (%s)', (_what, typed) => {
    expect(readTypedAge(typed, NOW)).toBeNull();
  });

  it('reads the age typed with an IIN, not the IIN', () => {
    expect(yearsOf(`мне 45, ИИН ${BOY_2015}`)).toBe(45);
  });

  it('keeps the place of the rest of the text, and gives out the date of birth, not the number', () => {
    const found = withoutIds(`ИИН ${BOY_2015}, тел 87011234567`, NOW);
    expect(found).toEqual({ text: `ИИН ${' '.repeat(12)}, тел ${' '.repeat(11)}`, iinBirthDate: '2015-05-12' });
  });

  it('still reads a long number as no one\'s age', () => {
    expect(readTypedAge('99999999999999999999', NOW)).toEqual({ impossible: true });
  });
});
