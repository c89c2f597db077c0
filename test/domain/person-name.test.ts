import { describe, expect, it } from 'vitest';
import { firstName } from '../../src/domain/person-name.js';

describe('firstName', () => {
  it.each([
    ['Сәрсенова Әйгерім Нұрланқызы', 'Әйгерім'],
    ['Сарсенова Айгерим Нурлановна', 'Айгерим'],
    ['Aigerim Nurlanovna Sarsenova', 'Aigerim'],
    ['Сарсенбаева Алия', 'Алия'],
    ['Aliya Sarsenbayeva', 'Aliya'],
    ['Нұрланов Асқар Серікұлы', 'Асқар'],
    ['Асқар Нұрланов', 'Асқар'],
    ['Омаров Ержан Нұрлан ұлы', 'Ержан'],
    ['Әйгерім', 'Әйгерім'],
    ['  Иванов   Пётр  Сергеевич ', 'Пётр'],
  ])('%s → %s', (full, first) => {
    expect(firstName(full)).toBe(first);
  });

  it('gives up rather than guess when the order cannot be told', () => {
    expect(firstName('Жанар Айгүл')).toBeNull();
    expect(firstName('One Two Three Four')).toBeNull();
    expect(firstName('')).toBeNull();
  });
});
