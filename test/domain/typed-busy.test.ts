// "I work then" in an answer to "when can you help": the time named is when the person is busy
// (src/domain/typed-busy.ts, read at the volunteer times step only).
import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/domain/text.js';
import { saysBusyAt } from '../../src/domain/typed-busy.js';

const word = (typed: string) => normalizeForMatch(typed);

describe('saysBusyAt', () => {
  const busy = (typed: string) => {
    const words = word(typed).split(' ');
    return words.some((_word, index) => saysBusyAt(words, index));
  };

  it('work, studies or a shift at that time, in three languages and Kazakh in Latin letters', () => {
    const saysBusy = [
      ...['по выходным работаю', 'на работе', 'учусь по вечерам', 'у меня смена', 'дежурю по выходным', 'по вечерам пары'],
      ...['I work on weekends', 'at work', 'I study in the evenings', 'working weekends', 'I have classes', 'on duty'],
      ...['жұмыс істеймін', 'жұмыс жасаймын', 'жұмыстамын', 'оқимын', 'оқып жүрмін', 'сабақтамын', 'jumys isteimin', 'zhumystamyn', 'oqimyn', 'okimyn'],
    ];
    for (const typed of saysBusy) expect(busy(typed), typed).toBe(true);
  });

  it('not after "after", "can", "free from", nor the verb alone in Kazakh', () => {
    const free = [
      ...['после работы', 'до работы', 'могу работать', 'свободен от работы', 'хочу помогать'],
      ...['after work', 'before school', 'I could work', 'happy to work', 'free from work', 'I can help'],
      ...['жұмыстан кейін', 'жұмыс күндері', 'істей аламын', 'істеймін', 'боспын', 'jumystan keiin'],
    ];
    for (const typed of free) expect(busy(typed), typed).toBe(false);
  });
});
