import { describe, expect, it } from 'vitest';
import { readTypedAge } from '../../src/domain/typed-age.js';

const yearsOf = (typed: string): number | null => {
  const age = readTypedAge(typed);
  return age && 'years' in age ? age.years : null;
};

// "Not yet 18" is said of someone about to turn 18 more than of anyone else, and reading the 18
// as the age put a 17-year-old among the adults.
describe('readTypedAge: an age not reached yet', () => {
  it.each([
    ['ru', 'ему ещё нет 18'],
    ['ru', 'ей не исполнилось 18'],
    ['ru', 'сыну скоро 18'],
    ['ru', 'сыну в мае будет 18'],
    ['ru', 'ему исполнится 18'],
    ['ru', 'мне 18 лет будет в мае'],
    ['kk', '18 жасқа толмаған'],
    ['kk', 'ұлым 18 жасқа жетпеген'],
    ['kk', 'ұлыма 18 жас толады'],
    ['en', 'he will be 18'],
    ['en', "she'll be 18"],
    ['en', 'not yet 18'],
    ['en', 'my son turns 18'],
    ['en', 'my son is 18 years old next month'],
  ])('reads just below the number (%s: "%s")', (_language, typed) => {
    expect(yearsOf(typed)).toBeCloseTo(17.99, 5);
  });

  it.each([
    ['kk', '18 жасқа толған'],
    ['ru', 'ему исполнилось 18'],
    // "Не" after the age belongs to another verb.
    ['ru', 'мне 18 лет не работаю'],
    ['ru', 'мне 18 лет, нет работы'],
  ])('an age reached is the number itself (%s: "%s")', (_language, typed) => {
    expect(yearsOf(typed)).toBe(18);
  });

  it.each(['не младше 18', 'не старше 18', 'not over 18'])('a bound turned round by "not" is no age ("%s")', (typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });
});
