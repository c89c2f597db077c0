// A parent typing who needs help often says how many children they have: the count is no age.
import { describe, expect, it } from 'vitest';
import { readTypedAge } from '../../src/domain/typed-age.js';
import { countsChildren } from '../../src/domain/typed-age-counts.js';
import { normalizeForMatch } from '../../src/domain/text.js';

const NOW = new Date('2025-03-01T06:00:00Z');

describe('readTypedAge: how many children someone has is no age', () => {
  it.each([
    ['en', 'I am a mother of 2'],
    ['en', 'mom of 3'],
    ['en', 'father of three'],
    ['en', 'I have 2 kids'],
    ['ru', 'я мама двоих детей'],
    ['ru', 'я мама 2 сыновей'],
    ['ru', 'у меня 2 детей'],
    ['ru', 'отец троих'],
    ['ru', 'мама 2-х детей'],
    ['kk', 'мен 3 баланың анасымын'],
    ['kk', 'менің 2 балам'],
    ['kk', 'менің 2 ұлым бар'],
  ])('%s: "%s" gives no age', (_language, typed) => {
    expect(readTypedAge(typed, NOW)).toBeNull();
  });

  it.each([
    ['en', 'mother of 2, the youngest is 5', 5],
    ['en', 'I have 3 children, my son is 12', 12],
    ['ru', 'мама двоих, младшему 5 лет', 5],
    ['ru', 'мама 2 детей, младшему 5 лет', 5],
    ['ru', 'у меня 3 детей, старшему 12', 12],
    ['kk', 'мен 2 баланың анасымын, кішісі 5 жаста', 5],
    ['kk', '3 балам бар, ұлым 7 жаста', 7],
    // Once read as two numbers and so no age; the count is none, and 7 the one age typed.
    ['en', 'I have two kids, one is 7', 7],
  ])('%s: "%s" gives the age typed beside the count (%s)', (_language, typed, years) => {
    expect(readTypedAge(typed, NOW)).toEqual({ years });
  });

  it('still reads an age with a person after it, and two ages as none', () => {
    expect(readTypedAge('мой сын 7', NOW)).toEqual({ years: 7 });
    expect(readTypedAge('ұлым 7 жаста', NOW)).toEqual({ years: 7 });
    // No one types 45 children: two ages, so no age, as before.
    expect(readTypedAge('мне 45 сын 7', NOW)).toBeNull();
  });
});

describe('countsChildren', () => {
  const counts = (typed: string) => countsChildren(normalizeForMatch(typed).split(' '));
  it.each(['I am a mother of 2', 'я мама двоих детей', 'отец троих', 'у меня 2 детей', 'два сына', 'мен 3 баланың анасымын', 'екі балам бар'])(
    '"%s" counts children',
    (typed) => expect(counts(typed)).toBe(true),
  );
  it.each(['мой сын 7', 'ұлым 7 жаста', 'мне 45', 'сын 2 года', '2 группа', 'мама'])('"%s" counts none', (typed) => expect(counts(typed)).toBe(false));
});
