// Texts real people type at "who needs help" that the step misread: a parent's word with a small
// number ("мама 2" is a mother of two, not a two-year-old), two ages in one message, numbers alone
// that are no age (a phone or an IIN in groups), and a question whose question words come last
// ("сын не ходит, что делать").
import { describe, expect, it } from 'vitest';
import { readTypedAge, saysSeveralAges } from '../../src/domain/typed-age.js';
import { saysHowThePersonIs } from '../../src/domain/typed-about-person.js';
import { isClearlyAQuestion } from '../../src/domain/typed-question.js';
import { holdsIdsOrNumbersOnly } from '../../src/domain/typed-age-ids.js';

const NOW = new Date('2025-03-01T06:00:00Z');

describe('a parent word with a small number is a count of children, not the parent\'s age', () => {
  it.each(['мама 2', 'мама 3', 'папа 1', 'mom 2', 'мать 4'])('"%s" is no age and says who the parent is', (typed) => {
    expect(readTypedAge(typed, NOW)).toBeNull();
    expect(saysHowThePersonIs(typed)).toBe(true);
  });
  it.each([
    ['мама 55', 55],
    ['папа 60', 60],
    ['маме 70', 70],
  ])('"%s" is still an age', (typed, years) => {
    expect(readTypedAge(typed, NOW)).toEqual({ years });
  });
});

describe('Kazakh words for an elder sister or brother before an age', () => {
  it.each([
    ['апама 70', 70],
    ['әпкеме 40', 40],
    ['ағама 50', 50],
  ])('"%s" is %i', (typed, years) => {
    expect(readTypedAge(typed, NOW)).toEqual({ years });
  });
});

describe('saysSeveralAges', () => {
  it.each(['мне 45, сыну 7', 'мне 45 лет, сыну 7 лет', 'мне 45 сыну 7', 'сыну 7 и дочке 12', 'маме 70 мне 45', 'my son is 7 and my daughter is 12', 'ұлым 7 жаста, қызым 12 жаста'])(
    '"%s" holds two ages',
    (typed) => {
      expect(readTypedAge(typed, NOW)).toBeNull();
      expect(saysSeveralAges(typed, NOW)).toBe(true);
    },
  );
  it.each(['инвалид 2 группы', 'мне нужно для 2 человек', 'болеет 3 года', 'сыну 7', 'с 3 лет болеет, сейчас 10'])('"%s" does not', (typed) => {
    expect(saysSeveralAges(typed, NOW)).toBe(false);
  });
});

describe('holdsIdsOrNumbersOnly', () => {
  it.each(['+7 701 123 45 67', '150 512 500 014', '15 05 12 50 00 14', '7, 12', 'ИИН сына 150512500016, мой 800102300011', 'сыну 7 тел 87011234567'])(
    '"%s" is numbers or holds an IIN or a phone',
    (typed) => {
      expect(holdsIdsOrNumbersOnly(typed, NOW)).toBe(true);
    },
  );
  it.each(['как оформить инвалидность ребёнку', 'сын не ходит', 'what documents do I need'])('"%s" is not', (typed) => {
    expect(holdsIdsOrNumbersOnly(typed, NOW)).toBe(false);
  });
});

describe('a question whose question words come last, without "?"', () => {
  it.each([
    'ребенок не ходит что делать',
    'сын не ходит, что делать',
    'ему стало хуже, куда обращаться',
    'жағдайы нашарлады не істеу керек',
    'ұлым жүре алмайды қайда бару керек',
    'my son cannot walk what should I do',
    'he got worse, what to do',
  ])('"%s" asks', (typed) => {
    expect(isClearlyAQuestion(typed)).toBe(true);
  });
  it.each(['сын не ходит', 'мен 3 баланың анасымын', 'у ребенка аутизм'])('"%s" does not', (typed) => {
    expect(isClearlyAQuestion(typed)).toBe(false);
  });
});
