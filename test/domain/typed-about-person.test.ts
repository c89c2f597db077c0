// "Who needs help?" answered with how the person is, or who the parent is: no age, no button, and
// no question for the knowledge base either, unless it asks.
import { describe, expect, it } from 'vitest';
import { saysHowThePersonIs } from '../../src/domain/typed-about-person.js';
import { isClearlyAQuestion } from '../../src/domain/typed-question.js';

describe('saysHowThePersonIs', () => {
  it.each([
    ['ru', 'ему за 2 года стало хуже'],
    ['ru', 'сын не ходит, плохо говорит'],
    ['ru', 'у дочки ДЦП'],
    ['ru', 'мама после инсульта, лежачая'],
    ['ru', 'я мама двоих детей'],
    ['ru', 'у меня 2 детей'],
    ['ru', 'отец троих'],
    ['kk', 'соңғы 2 жылда нашарлады'],
    ['kk', 'ұлым жүре алмайды'],
    ['kk', 'балам сөйлемейді'],
    ['kk', 'мен 3 баланың анасымын'],
    ['en', 'over the last 2 years he got worse'],
    ['en', "my son can't walk"],
    ['en', 'she is unable to walk'],
    ['en', 'I am a mother of 2'],
    ['en', 'my daughter has autism'],
  ])('%s: "%s" says how the person is', (_language, typed) => {
    expect(saysHowThePersonIs(typed)).toBe(true);
  });

  it.each([
    'справка об инвалидности',
    'хочу стать волонтёром',
    'нужна коляска',
    'мүгедектік туралы анықтама',
    'disability certificate',
    'I need a wheelchair',
    'стало хорошо работать',
    'мама',
  ])('"%s" does not', (typed) => {
    expect(saysHowThePersonIs(typed)).toBe(false);
  });
});

describe('isClearlyAQuestion', () => {
  it.each([
    'ему стало хуже, что делать?',
    'как оформить инвалидность ребёнку',
    'можно ли получить коляску',
    'положена ли пенсия',
    'қалай мүгедектік алуға болады',
    'баламға жәрдемақы бола ма',
    'how do I get a wheelchair',
    'can my son get a wheelchair',
  ])('"%s" asks', (typed) => {
    expect(isClearlyAQuestion(typed)).toBe(true);
  });

  it.each(['ему за 2 года стало хуже', 'не ходит', 'does not walk', 'соңғы 2 жылда нашарлады', 'I am a mother of 2', 'мама'])('"%s" does not', (typed) => {
    expect(isClearlyAQuestion(typed)).toBe(false);
  });
});
