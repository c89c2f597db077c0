import { describe, expect, it } from 'vitest';
import { readTypedAge } from '../../src/domain/typed-age.js';

describe('readTypedAge', () => {
  it.each([
    ['7', 7],
    ['45', 45],
    ['мой сын, 7 лет', 7],
    ['ұлым 7 жаста', 7],
    ['my daughter is 12', 12],
    ['мне 45', 45],
    ['45 жаста', 45],
    ['I am 30 years old', 30],
    ['a 7-year-old boy', 7],
    ['12-летняя дочь', 12],
    ['сыну 5-ти лет', 5],
    ['2,5 года', 2.5],
    ['8 месяцев', 8 / 12],
    ['8 айлық', 8 / 12],
    ['жасы 70', 70],
    // "уже" alone says nothing about a duration; an age said as an adjective after "с"/"for" is one.
    ['ему уже 2 года', 2],
    ['мы с 7-летним сыном', 7],
    ['for a 7 year old', 7],
    ['7 y.o.', 7],
    // The illness is in another part of the sentence than the age.
    ['мой сын, 7 лет, болеет ДЦП', 7],
    ['Сыну 7 лет. Болеет 2 года', 7],
  ])('"%s" is %s years', (typed, years) => {
    expect(readTypedAge(typed)).toEqual({ years });
  });

  it.each([
    ['1 год 6 месяцев', 1.5],
    ['2 года и 3 месяца', 2.25],
    ['1 жас 6 ай', 1.5],
    ['1 year and 6 months', 1.5],
  ])('"%s" (years and months) is %s years', (typed, years) => {
    expect(readTypedAge(typed)).toEqual({ years });
  });

  it.each(['150', '-5', '0', '0 лет', '200 жаста', '0 months', '99999999999999999999'])('"%s" is no one\'s age', (typed) => {
    expect(readTypedAge(typed)).toEqual({ impossible: true });
  });

  it.each(['', 'child', 'I need help for 3 people', 'мне 45, сыну 7', 'мне нужно для 2 человек', 'room 12', 'Qaragandy 1'])('"%s" gives no age', (typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  it.each([
    ['en', 'group 2'],
    ['en', 'my son has group 2'],
    ['en', 'disability group 2'],
    ['ru', '2 группа'],
    ['ru', 'группа 2'],
    ['ru', '2-я группа инвалидности'],
    ['ru', 'мой сын, инвалидность 2 группы'],
    ['kk', '2 топ'],
    ['kk', 'мүгедектігі 2 топ'],
    ['kk', 'мүгедектік тобы 2'],
    ['kk', 'ұлым, 2-ші топ'],
  ])('a disability group is no age (%s: "%s")', (_language, typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  it.each([
    ['ru', 'сыну 7 лет, 2 группа', 7],
    ['kk', 'ұлым 7 жаста, мүгедектігі 2 топ', 7],
    ['en', 'my son is 7 years old, disability group 2', 7],
  ])('the age next to a disability group is read (%s: "%s")', (_language, typed, years) => {
    expect(readTypedAge(typed)).toEqual({ years });
  });

  it.each([
    ['en', '3 years ago'],
    ['en', 'for 2 years'],
    ['en', 'he has been ill for 3 years'],
    ['en', 'since 2 years'],
    ['ru', '3 года назад'],
    ['ru', '5 лет тому назад'],
    ['ru', '1 год 6 месяцев назад'],
    ['ru', 'уже 2 года болеет'],
    ['ru', 'болеет 2 года'],
    ['ru', 'сын болеет уже 2 года'],
    ['ru', 'с 3 лет'],
    ['ru', 'в 2 года заболел'],
    // The one who is ill, then for how long (not "мне 60 лет", an age).
    ['ru', 'я 2 года болею'],
    ['ru', 'он 3 года болеет'],
    ['kk', 'ол 3 жыл ауырады'],
    ['ru', 'до 18'],
    ['kk', '3 жыл бұрын'],
    ['kk', '3 жастан бері'],
    ['kk', '3 жасынан бастап'],
  ])('a time ago or a duration is no age (%s: "%s")', (_language, typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  // Said of someone with their age, an illness in the same sentence says what they have, not
  // for how long: these were read as ages before numbers about other times were set aside.
  it.each([
    ['ru', 'сын 7 лет болеет ДЦП', 7],
    ['ru', 'ребенок 5 лет болеет аутизмом', 5],
    ['ru', 'ребенок 6 лет страдает ДЦП', 6],
    ['ru', 'мне 60 лет болею диабетом', 60],
    ['ru', 'болеет ребенок 5 лет', 5],
    ['kk', 'ұлым 7 жаста ауырады', 7],
    ['kk', 'балам 7 жаста ауырып жүр', 7],
    ['kk', '7 жаста, туғаннан бері ауырады', 7],
    // "туғаннан бері" is "since birth": the "since" belongs to the birth, not to the 7.
    ['kk', 'ұлым 7 жаста туғаннан бері ауырады', 7],
  ])('an age said with an illness is still the age (%s: "%s")', (_language, typed, years) => {
    expect(readTypedAge(typed)).toEqual({ years });
  });

  // A bound still says which side of 18 someone is: just below or just above its number.
  it.each([
    ['ru', 'мне за 60', 60.01],
    ['ru', 'ему за 70 лет', 70.01],
    ['ru', 'более 60 лет', 60.01],
    ['ru', 'старше 18', 18.01],
    ['ru', 'почти 7 лет', 6.99],
    ['ru', 'сыну почти 18', 17.99],
    ['ru', 'младше 18 лет', 17.99],
    ['en', 'under 18', 17.99],
    ['en', 'almost 18', 17.99],
    ['en', 'my dad is over 70', 70.01],
  ])('a bound reads as just below or above its number (%s: "%s")', (_language, typed, years) => {
    const age = readTypedAge(typed);
    expect(age && 'years' in age ? age.years : null).toBeCloseTo(years, 5);
  });

  it.each([
    ['en', 'for over 2 years'],
    ['en', 'he has been ill for almost 3 years'],
    ['ru', 'уже более 2 лет'],
    ['ru', 'за 2 года'],
    ['ru', 'почти 3 года назад'],
  ])('a bound on how long, or "за" with no one named, is no age (%s: "%s")', (_language, typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  it.each([
    ['ru', '2 группа, 17 лет', 17],
    ['ru', 'мне 56, 3 группа', 56],
    ['kk', 'мүгедектігі 2 топ, ұлым 7 жаста', 7],
  ])('the age before or after a disability group in another part of the sentence is read (%s: "%s")', (_language, typed, years) => {
    expect(readTypedAge(typed)).toEqual({ years });
  });

  describe('a year of birth', () => {
    // Counted from the middle of the birth year: the birthday is not known.
    const now = new Date('2025-07-02T07:00:00Z');

    it.each([
      ['ru', '2015 года рождения', 10],
      ['ru', '2015 г.р.', 10],
      ['ru', 'мой сын 2015 г. р.', 10],
      ['ru', 'дочь родилась в 2018 году', 7],
      ['en', 'born in 2015', 10],
      ['en', 'my son was born in 2015', 10],
      ['kk', '2015 жылы туған', 10],
      ['kk', 'ұлым 2015 жылы туылған', 10],
      ['kk', '2015 ж.т.', 10],
      // Four digits the person rule reads as an age are a year: no one is 2015 years old.
      ['—', '2015', 10],
      ['ru', 'мой сын 2015', 10],
    ])('%s: "%s" is about %s years', (_language, typed, years) => {
      const age = readTypedAge(typed, now);
      expect(age && 'years' in age ? age.years : age).toBeCloseTo(years, 1);
    });

    it.each([
      ['—', '12.05.2015', 10.14],
      ['ru', 'родился 12.05.2015', 10.14],
      ['ru', 'сын 02/07/2007', 18],
    ])('a full date of birth (%s: "%s") gives the exact age', (_language, typed, years) => {
      const age = readTypedAge(typed, now);
      expect(age && 'years' in age ? age.years : age).toBeCloseTo(years, 1);
    });

    it('a full date of birth puts someone turning 18 on the right side of it to the day', () => {
      const years = (typed: string) => {
        const age = readTypedAge(typed, now);
        return age && 'years' in age ? age.years : NaN;
      };
      expect(years('01.07.2007 ж.т.')).toBeGreaterThanOrEqual(18);
      expect(years('03.07.2007 г.р.')).toBeLessThan(18);
    });

    it.each(['с 12.05.2020 болеет', '31.02.2015', '12.05.2015 и 01.01.2018', 'приём 12.05.2025 в 10:00'])('a date of something else, or of no calendar, is no age ("%s")', (typed) => {
      expect(readTypedAge(typed, now)).toBeNull();
    });

    it('a date of birth still to come is no one\'s age', () => {
      expect(readTypedAge('12.05.2030', now)).toEqual({ impossible: true });
    });

    it('gives the age as of the date it is read', () => {
      // Born in 2007: on 1 March 2025 most likely still 17 (a child), in December most likely 18.
      expect(readTypedAge('2007 г.р.', new Date('2025-03-01T00:00:00Z'))).toEqual({ years: expect.closeTo(17.66, 2) as number });
      expect(readTypedAge('2007 г.р.', new Date('2025-12-01T00:00:00Z'))).toEqual({ years: expect.closeTo(18.42, 2) as number });
      // A baby born this year is younger than the time since New Year.
      const baby = readTypedAge('2025 г.р.', new Date('2025-03-01T00:00:00Z'));
      expect(baby && 'years' in baby && baby.years > 0 && baby.years < 2 / 12).toBe(true);
    });

    it('reads a year to come or one too long ago as no one\'s age', () => {
      for (const typed of ['2030 г.р.', 'born in 1890']) expect(readTypedAge(typed, now), typed).toEqual({ impossible: true });
    });

    it('leaves a year that is not a birth year alone', () => {
      for (const typed of ['с 2015 года', 'в 2020 году получили инвалидность', 'since 2015']) expect(readTypedAge(typed, now), typed).toBeNull();
    });

    it('reads the birth year next to a disability group', () => {
      const age = readTypedAge('ұлым 2015 жылы туған, мүгедектігі 2 топ', now);
      expect(age && 'years' in age ? age.years : age).toBeCloseTo(10, 1);
    });
  });

  it('reads a long message as no age at all', () => {
    expect(readTypedAge(`мне 45 ${'очень '.repeat(50)}`)).toBeNull();
  });
});
