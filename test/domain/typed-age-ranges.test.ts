import { describe, expect, it } from 'vitest';
import { readTypedAge } from '../../src/domain/typed-age.js';

const yearsOf = (typed: string): number | null => {
  const age = readTypedAge(typed);
  return age && 'years' in age ? age.years : null;
};

describe('readTypedAge: a range, an approximation, a time something took', () => {
  // Both ends on one side of 18: the middle, which is on that side too.
  it.each([
    ['ru', '5-6 лет', 5.5],
    ['ru', 'сыну 5–6 лет', 5.5],
    ['ru', 'мне 45-50', 47.5],
    ['ru', '7-8-летний', 7.5],
    ['ru', '0-1 год', 0.5],
    ['ru', '17-18 месяцев', 17.5 / 12],
    ['kk', '5–6 жаста', 5.5],
    ['kk', 'ұлым 5-6 жаста', 5.5],
    ['en', '5 to 6 years', 5.5],
    ['en', 'my dad is 70 to 75', 72.5],
  ])('a range on one side of 18 is an age on that side (%s: "%s")', (_language, typed, years) => {
    expect(yearsOf(typed)).toBeCloseTo(years, 5);
  });

  it.each([
    ['ru', '17-18'],
    ['ru', '17–18 лет'],
    ['kk', '16-20 жаста'],
    ['en', '16 to 20'],
  ])('a range across 18 is no age, so the question is asked again (%s: "%s")', (_language, typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  it.each([
    ['ru', '1-2 группа'],
    ['ru', '2-3 года назад'],
    ['ru', 'с 5-6 лет'],
    ['ru', '5-6 человек'],
    ['ru', '5-6 и 8-9 лет'],
    ['kk', '2-3 жыл бұрын'],
    ['en', 'for 5 to 6 years'],
    ['en', 'group 1-2'],
  ])('a range of something else is no age (%s: "%s")', (_language, typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  it.each([
    ['ru', 'около 60', 60],
    ['ru', 'примерно 7', 7],
    ['ru', 'где-то 7 лет', 7],
    ['ru', 'мне около 60', 60],
    ['kk', 'шамамен 7 жаста', 7],
    ['kk', 'ұлым шамамен 7 жаста', 7],
    ['en', 'about 7', 7],
    ['en', 'around 60', 60],
    ['en', '~7', 7],
  ])('an approximate age is its number (%s: "%s")', (_language, typed, years) => {
    expect(yearsOf(typed)).toBe(years);
  });

  it.each([
    ['ru', 'около 3 лет назад'],
    ['ru', 'примерно 2 года болеет'],
    ['ru', 'около 2 человек'],
    ['kk', 'шамамен 3 жыл бұрын'],
    ['en', 'about 3 people'],
    ['en', 'for about 2 years'],
  ])('an approximate time or count is no age (%s: "%s")', (_language, typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  // "За 2 года" after a person was read as "over 2": a bound, as in "мне за 60".
  it.each([
    ['ru', 'ему за 2 года стало хуже'],
    ['ru', 'сыну за 2 года стало лучше'],
    ['ru', 'за последние 2 года стало хуже'],
    ['kk', '2 жыл ішінде нашарлады'],
    ['kk', 'соңғы 2 жылда нашарлады'],
    ['en', 'over 2 years he got worse'],
    ['en', 'in the last 2 years he got worse'],
    ['en', 'over the past 2 years'],
  ])('what changed over a time is no age (%s: "%s")', (_language, typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  it.each([
    ['ru', 'мне за 60', 60.01],
    ['ru', 'ему за 70 лет', 70.01],
    ['en', 'my dad is over 70', 70.01],
    ['en', 'over 18 years old', 18.01],
  ])('a bound with no change is still a bound (%s: "%s")', (_language, typed, years) => {
    expect(yearsOf(typed)).toBeCloseTo(years, 5);
  });
});
