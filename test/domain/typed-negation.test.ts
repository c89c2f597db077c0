// "Not" and "if" in a typed answer, as normalizeForMatch leaves its words: the words that keep an
// option named in a sentence from being taken as picked (src/engine/sentence-options.ts).
import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/domain/text.js';
import { isCondition, isNegation, isNegationAt } from '../../src/domain/typed-negation.js';

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

  it('found by attack: "не" run into its verb, "без" and "without", "busy", contractions, a Kazakh "not" typed short', () => {
    const saysNot = [
      ...['немогу', 'несмогу', 'неполучится', 'неудобно', 'незнаю', 'нехочу', 'несвободна', 'занят', 'занята', 'невозможно'],
      ...['busy', 'impossible', "haven't", "hasn't", 'cnt', 'nah'],
      ...['алмаймн', 'алмайм', 'болмайд', 'келмеймн', 'емс', 'алмаспын', 'бармаспыз', 'болмас', 'almaimn', 'almaim'],
    ];
    for (const typed of saysNot) expect(isNegation(word(typed)), typed).toBe(true);
    // The same beginnings and endings in words that say no "not".
    for (const typed of ['неделя', 'недели', 'немного', 'несколько', 'необходимо', 'заняться', 'занятия', 'paid', 'maid', 'алмас', 'аламын', 'бос', 'with', 'business']) {
      expect(isNegation(word(typed)), typed).toBe(false);
    }
  });

  it('found by attack: read with its neighbours, "can t" says not, "no problem" does not', () => {
    const at = (typed: string, index: number) => isNegationAt(word(typed).split(' '), index);
    expect(at('I can t help', 2)).toBe(true);
    expect(at('He могу', 0)).toBe(true);
    expect(at('he can', 0)).toBe(false);
    for (const [typed, index] of [['weekends, no problem', 1], ['проблем нет', 1], ['мәселе жоқ', 1]] as const) {
      expect(at(typed, index), typed).toBe(false);
    }
    expect(at('no weekends', 0)).toBe(true);
  });

  it('found by attack: "хотя", "зависит", "смотря", "although", "depending", "дегенмен" make it depend on something', () => {
    for (const typed of ['хотя', 'зависит', 'смотря', 'ежели', 'although', 'though', 'depending', 'provided', 'дегенмен', 'алайда', 'байланысты']) {
      expect(isCondition(word(typed)), typed).toBe(true);
    }
  });

  it('"no" typed in haste or as people say it: repeated letters, "неа", "nope", "nah", "жок", Latin "zhok", "joq", "emes"', () => {
    const saysNo = [
      ...['нетт', 'неет', 'нееет', 'ннет', 'неа', 'неаа', 'нее', 'нетушки', 'нету'],
      ...['nope', 'nooope', 'nah', 'nahh', 'noo', 'nooo', 'nop', 'naw', 'nott'],
      ...['жок', 'жоқ', 'жооқ', 'жоок', 'emes', 'emmes', 'zhok', 'zhoq', 'joq', 'jok', 'jooq', 'емеес'],
      ...['хз', 'idk', 'dunno'],
    ];
    for (const typed of saysNo) expect(isNegation(word(typed)), typed).toBe(true);
    // "не-а" is two words once the dash is gone: the first says "not".
    expect(isNegationAt(word('не-а').split(' '), 0)).toBe(true);
  });

  it('ordinary words stay what they are: "нетрудно" (not hard) says yes, "жоқтау" (to mourn), "noon", "note"', () => {
    const ordinary = [
      ...['нетрудно', 'нетто', 'неделю', 'неважный', 'нежно', 'нести', 'нефть', 'неон', 'ненадолго'],
      ...['necessary', 'note', 'noon', 'nose', 'know', 'knot', 'need', 'nothing', 'nobody', 'now', 'nanny', 'nature', 'annoy', 'nooks'],
      ...['жоқтау', 'жоғары', 'жоба', 'жол', 'емен', 'емтихан', 'zhogary', 'zhol', 'joba', 'emen'],
    ];
    for (const typed of ordinary) expect(isNegation(word(typed)), typed).toBe(false);
    // "нее" after a preposition is "неё" (her): "у нее есть права".
    const at = (typed: string, index: number) => isNegationAt(word(typed).split(' '), index);
    expect(at('у нее есть права', 1)).toBe(false);
    expect(at('для нее по выходным', 1)).toBe(false);
    expect(at('нее, по выходным', 0)).toBe(true);
  });
});
