import { describe, expect, it } from 'vitest';
import { readTypedAge } from '../../src/domain/typed-age.js';

// 2 July 2025, 12:00 in Kazakhstan.
const NOW = new Date('2025-07-02T07:00:00Z');
const yearsOf = (typed: string, now = NOW): number | null => {
  const age = readTypedAge(typed, now);
  return age && 'years' in age ? age.years : null;
};

describe('readTypedAge: a date of birth in other forms', () => {
  it.each([
    ['—', '12.05.15', 10.14],
    ['—', '12/05/2015', 10.14],
    ['—', '2015-05-12', 10.14],
    ['—', '2015.05.12', 10.14],
    ['ru', '12 мая 2015', 10.14],
    ['ru', 'сын, 12 мая 2015 г.', 10.14],
    ['ru', '12-го мая 2015 г.р.', 10.14],
    ['ru', 'дочь родилась 3 января 2020', 5.5],
    ['kk', '12 мамыр 2015 ж.', 10.14],
    ['kk', 'ұлым 12 мамыр 2015 жылы туған', 10.14],
    ['kk', '2015 ж. 12 мамырда туған', 10.14],
    ['kk', '2015 жылғы 12 мамыр', 10.14],
    ['en', 'May 12, 2015', 10.14],
    ['en', '12 May 2015', 10.14],
    ['en', 'born on 12th May 2015', 10.14],
    ['en', 'DOB 12.05.2015', 10.14],
  ])('%s: "%s" is %s years', (_language, typed, years) => {
    expect(yearsOf(typed)).toBeCloseTo(years, 1);
  });

  // The birthday is not known: counted from the middle of the month, as a year of birth is.
  it.each([
    ['en', 'born in May 2015', 10.13],
    ['ru', 'родился в мае 2015', 10.13],
    ['kk', 'мамыр 2015 туған', 10.13],
    ['en', 'December 2024', 0.54],
  ])('the month and year of birth (%s: "%s") give about %s years', (_language, typed, years) => {
    expect(yearsOf(typed)).toBeCloseTo(years, 1);
  });

  it('a two-digit year is the latest that puts the birth in the past', () => {
    expect(yearsOf('12.05.25')).toBeCloseTo(0.14, 1);
    expect(yearsOf('12.05.30')).toBeCloseTo(95.14, 1);
    // 12 December 2025 is still to come on 2 July 2025, so it is 1925.
    expect(yearsOf('12.12.25')).toBeCloseTo(99.55, 1);
  });

  it('a short or named date puts someone turning 18 on the right side of it to the day', () => {
    expect(yearsOf('01.07.07')).toBeGreaterThanOrEqual(18);
    expect(yearsOf('03.07.07')).toBeLessThan(18);
    expect(yearsOf('2 July 2007')).toBeGreaterThanOrEqual(18);
    expect(yearsOf('3 июля 2007')).toBeLessThan(18);
    expect(yearsOf('3 шілде 2007 ж.т.')).toBeLessThan(18);
  });

  it.each([
    ['ru', 'с мая 2020 болеет'],
    ['ru', 'приём 12 мая 2025'],
    ['ru', '12 мая'],
    ['ru', '31 февраля 2015'],
    ['ru', '12 мая 2015 и 1 июня 2018'],
    ['ru', 'мне 18, в мае 2025 прошла комиссия'],
    ['ru', '2015-05-12 обследование'],
    ['ru', '12.05.15 в 10:00'],
    ['kk', 'мамыр 2020 бастап ауырады'],
    ['en', 'in May 2020 he got worse'],
    ['en', 'the appointment is on May 12, 2025'],
  ])('a date of something else, or of no calendar, is no age (%s: "%s")', (_language, typed) => {
    expect(readTypedAge(typed, NOW)).toBeNull();
  });

  it('a date of birth still to come is no one\'s age', () => {
    for (const typed of ['2030-05-12', '12 мая 2030', 'May 2030']) expect(readTypedAge(typed, NOW), typed).toEqual({ impossible: true });
  });
});
