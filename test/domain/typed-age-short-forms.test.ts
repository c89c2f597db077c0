// Ages as parents type them in a hurry: a unit cut to a letter ("3г", "10 л."), a number and its
// unit in one word ("пятилетний сын", "годовалый малыш"), half a year in a baby's words
// ("полгодика", "пол года", "half a year old"), and an age after a disability group ("инвалид 1
// группы 45 лет", "мүгедектігі 2 топ 45 жаста").
import { describe, expect, it } from 'vitest';
import { readTypedAge } from '../../src/domain/typed-age.js';

const NOW = new Date('2025-03-01T06:00:00Z');
const yearsOf = (typed: string): number | null => {
  const age = readTypedAge(typed, NOW);
  return age && 'years' in age ? age.years : null;
};

describe('readTypedAge: short forms', () => {
  it.each([
    ['ребенку 3г', 3],
    ['ребенок 3 г.', 3],
    ['сыну 5л', 5],
    ['дочь, 10 л.', 10],
    ['2,5г', 2.5],
    ['1 г 6 мес', 1.5],
  ])('a unit cut to its first letter: "%s" is %s', (typed, years) => {
    expect(yearsOf(typed)).toBe(years);
  });

  it('a year cut to "г." after four digits is still a year of birth', () => {
    expect(yearsOf('сын 2015 г.')).toBeCloseTo(9.66, 1);
    expect(yearsOf('2015 г.р.')).toBeCloseTo(9.66, 1);
    expect(yearsOf('2015 гр')).toBeCloseTo(9.66, 1);
    expect(readTypedAge('с 2015 г. болеет', NOW)).toBeNull();
  });

  it.each([
    ['пятилетний сын', 5],
    ['двухлетний ребёнок', 2],
    ['семилетняя дочь', 7],
    ['у меня двенадцатилетний сын', 12],
    ['годовалый малыш', 1],
    ['полуторагодовалая дочка', 1.5],
    ['трёхмесячный малыш', 0.25],
  ])('a number and its unit in one word: "%s" is %s', (typed, years) => {
    expect(yearsOf(typed)).toBe(years);
  });

  it('one word of that kind said of another time is no age', () => {
    expect(readTypedAge('с пятилетнего возраста болеет', NOW)).toBeNull();
    expect(readTypedAge('с 5-летнего возраста болеет', NOW)).toBeNull();
    expect(readTypedAge('мы с пятилетним сыном', NOW)).toEqual({ years: 5 });
    expect(readTypedAge('летний лагерь', NOW)).toBeNull();
    expect(readTypedAge('многолетний опыт', NOW)).toBeNull();
  });

  it.each([
    ['ему полгодика', 0.5],
    ['дочке пол года', 0.5],
    ['half a year old', 0.5],
  ])('half a year: "%s" is %s', (typed, years) => {
    expect(yearsOf(typed)).toBe(years);
  });

  it.each([
    ['инвалид 1 группы 45 лет', 45],
    ['2 группа 17 лет', 17],
    ['мүгедектігі 2 топ 45 жаста', 45],
    ['инвалид 3 гр. 45 л.', 45],
  ])('an age after a disability group: "%s" is %s', (typed, years) => {
    expect(yearsOf(typed)).toBe(years);
  });

  it('a number right after "group" without a unit is still the group', () => {
    expect(readTypedAge('группа 2', NOW)).toBeNull();
    expect(readTypedAge('мүгедектігі тобы 2', NOW)).toBeNull();
  });
});
