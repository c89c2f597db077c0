import { describe, expect, it } from 'vitest';
import { readTypedAge } from '../../src/domain/typed-age.js';
import { numberSpelledAlone, spelledNumbersAsDigits } from '../../src/domain/typed-age-numbers.js';

const yearsOf = (typed: string): number | null => {
  const age = readTypedAge(typed);
  return age && 'years' in age ? age.years : null;
};

describe('readTypedAge: numbers in words', () => {
  it.each([
    ['ru', 'семь лет', 7],
    ['ru', 'семнадцать', 17],
    ['ru', 'двадцать пять', 25],
    ['ru', 'мне шестьдесят пять', 65],
    ['ru', 'сыну пять-шесть лет', 5.5],
    ['ru', 'ребенку пяти лет', 5],
    ['ru', 'полтора года', 1.5],
    ['ru', 'ему 3 с половиной года', 3.5],
    ['ru', 'два с половиной года', 2.5],
    ['ru', 'ему полгода', 0.5],
    ['ru', 'мне 30-ть лет', 30],
    ['kk', 'бір жарым жаста', 1.5],
    ['kk', '3 жарым жаста', 3.5],
    ['en', 'one and a half years', 1.5],
    ['en', 'three and a half years', 3.5],
    ['ru', 'сто лет', 100],
    ['kk', 'жеті жаста', 7],
    ['kk', 'он жеті', 17],
    ['kk', 'ұлым он жеті жаста', 17],
    ['kk', 'жиырма бес', 25],
    ['kk', 'оған жиырма бес жас', 25],
    ['kk', 'он жаста', 10],
    ['en', 'seven', 7],
    ['en', 'seventeen', 17],
    ['en', 'twenty-five', 25],
    ['en', 'twenty five', 25],
    ['en', 'my son is seven years old', 7],
    ['en', 'she is twenty-one', 21],
  ])('%s: "%s" is %s years', (_language, typed, years) => {
    expect(yearsOf(typed)).toBe(years);
  });

  it('a bound or an approximation works with words as with digits', () => {
    expect(yearsOf('старше восемнадцати')).toBeCloseTo(18.01, 5);
    expect(yearsOf('almost eighteen')).toBeCloseTo(17.99, 5);
    expect(yearsOf('ему около семидесяти')).toBe(70);
    expect(readTypedAge('ноль')).toEqual({ impossible: true });
  });

  it.each([
    ['ru', 'один ребенок'],
    ['ru', 'мне одна'],
    ['ru', 'двое детей'],
    ['ru', 'три года назад'],
    ['ru', 'уже два года болеет'],
    ['ru', 'вторая группа'],
    ['ru', 'полгода назад'],
    ['ru', 'уже полгода болеет'],
    // "Он" is the Russian "he": ten only before a Kazakh number or age word.
    ['ru', 'он три года болеет'],
    ['ru', 'он'],
    ['kk', 'екі топ'],
    ['kk', 'үш жыл бұрын'],
    ['en', 'two children'],
    ['en', 'for two years'],
    ['en', 'two years ago'],
    ['en', 'one of my sons'],
  ])('words that are no age stay none (%s: "%s")', (_language, typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  // "Один", "бір" and "one" are articles as often as numbers, and a number of people is a count:
  // left as words, they do not stand next to the age as a second number.
  it.each([
    ['ru', 'у меня один сын 7 лет', 7],
    ['ru', 'нужна помощь для одного ребенка 5 лет', 5],
    ['ru', 'один год', 1],
    ['kk', 'бір балам 7 жаста', 7],
    ['kk', 'бір жас', 1],
    ['en', 'one child, 7', 7],
    ['en', 'I need help with one thing, my son is 7', 7],
    ['en', 'one year and six months', 1.5],
    ['en', 'one', 1],
  ])('a word of count next to the age leaves it the age (%s: "%s")', (_language, typed, years) => {
    expect(yearsOf(typed)).toBe(years);
  });

  it.each(['мне сорок пять, сыну 7', 'мне сорок пять лет, сыну семь', 'два сына, 7 и 9 лет', 'two kids', 'екі балам'])('two ages, or a count, are no age ("%s")', (typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  it('writes the spelled numbers as digits and leaves the rest as typed', () => {
    expect(spelledNumbersAsDigits('Мне двадцать пять, сыну семь-восемь лет')).toBe('Мне 25, сыну 7-8 лет');
    expect(spelledNumbersAsDigits('twenty-five-year-old')).toBe('25-year-old');
    expect(spelledNumbersAsDigits('он болеет')).toBe('он болеет');
  });

  it('tells a number spelled alone, which may be a button\'s number', () => {
    for (const typed of ['два', 'two', 'екі', 'eki', ' Two ']) expect(numberSpelledAlone(typed), typed).toBe(2);
    for (const typed of ['2', 'два года', 'сыну два', 'мне']) expect(numberSpelledAlone(typed), typed).toBeNull();
  });
});

describe('readTypedAge: Kazakh in Latin letters', () => {
  it.each([
    ['ulym 7 jasta', 7],
    ['qyzym 12 jasta', 12],
    ['men 45 jastamyn', 45],
    ['ulym zhasy 7', 7],
    ['qyzym on jeti jasta', 17],
    ['balam 8 ai', 8 / 12],
  ])('"%s" is %s years', (typed, years) => {
    expect(yearsOf(typed)).toBeCloseTo(years, 5);
  });

  it('reads a year of birth typed in Latin letters', () => {
    const age = readTypedAge('2015 jyly tugan', new Date('2025-07-02T07:00:00Z'));
    expect(age && 'years' in age ? age.years : age).toBeCloseTo(10, 1);
  });

  it.each(['3 jyl buryn', 'mugedektigi 2 top', '3 jastan beri', 'ol 3 jyl auyrady', '3 men', 'for 2 years', 'room 12'])('"%s" is no age', (typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  it('leaves English to English: "ulym 200 jasta" is no one\'s age, "my daughter is 12" is 12', () => {
    expect(readTypedAge('ulym 200 jasta')).toEqual({ impossible: true });
    expect(yearsOf('my daughter is 12')).toBe(12);
  });
});
