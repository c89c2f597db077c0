// "Not" and "if" in a typed answer, as normalizeForMatch leaves its words: the words that keep an
// option named in a sentence from being taken as picked (src/engine/sentence-options.ts).
import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/domain/text.js';
import { isCondition, isNegation } from '../../src/domain/typed-negation.js';

const word = (typed: string) => normalizeForMatch(typed);

describe('isNegation and isCondition', () => {
  it('reads "not" in three languages, Kazakh inside the verb and in Latin letters', () => {
    for (const typed of ['не', 'нет', 'ни', 'емес', 'жоқ', 'алмаймын', 'көмектеспеймін', 'бармайды', 'болмайсыз', 'емеспін', 'almaimyn', 'emespin', 'joq']) {
      expect(isNegation(word(typed)), typed).toBe(true);
    }
    for (const typed of ['not', "can't", "don't", 'cannot', 'never', "won't", 'unable']) expect(isNegation(word(typed)), typed).toBe(true);
  });

  it('takes no verb that only looks negative: "аламын", "көмектесе", "табады", "болады", "ойнаймын"', () => {
    for (const typed of ['аламын', 'көмектесе', 'табады', 'болады', 'ойнаймын', 'күндері', 'демалыс', 'кешке', 'alamyn', 'nothingness', 'note', 'know']) {
      expect(isNegation(word(typed)), typed).toBe(false);
    }
  });

  it('reads a condition, an exception or a "but"', () => {
    for (const typed of ['если', 'кроме', 'но', 'егер', 'болса', 'бірақ', 'if', 'unless', 'except', 'but']) expect(isCondition(word(typed)), typed).toBe(true);
    for (const typed of ['можно', 'only', 'тек', 'usually', 'обычно']) expect(isCondition(word(typed)), typed).toBe(false);
  });
});
