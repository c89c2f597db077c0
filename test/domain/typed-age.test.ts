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
  ])('"%s" is %s years', (typed, years) => {
    expect(readTypedAge(typed)).toEqual({ years });
  });

  it.each(['150', '-5', '0', '0 лет', '200 жаста', '0 months', '99999999999999999999'])('"%s" is no one\'s age', (typed) => {
    expect(readTypedAge(typed)).toEqual({ impossible: true });
  });

  it.each(['', 'child', 'I need help for 3 people', 'мне нужно для 2 человек', 'мне 45, сыну 7', 'room 12', 'Qaragandy 1'])('"%s" gives no age', (typed) => {
    expect(readTypedAge(typed)).toBeNull();
  });

  it('reads a long message as no age at all', () => {
    expect(readTypedAge(`мне 45 ${'очень '.repeat(50)}`)).toBeNull();
  });
});
