// Which option a typed sentence names, read against the real labels of the steps that read
// sentences, in the three languages (each option carries its labels in the other two, as the
// engine shows them).
import { describe, expect, it } from 'vitest';
import { loadResources } from '../../src/i18n/index.js';
import { optionInSentence } from '../../src/engine/sentence-options.js';
import type { ShownOption } from '../../src/engine/options.js';
import { LOCALES } from '../../src/telegram/types.js';

const resources = loadResources();
/** The options of a step as an English speaker sees them: the Russian and Kazakh labels as aliases. */
function shown(ns: string, group: string, values: string[]): ShownOption[] {
  const label = (locale: (typeof LOCALES)[number], value: string) =>
    ((resources[locale] as Record<string, Record<string, Record<string, string>>>)[ns]![group]!)[value]!;
  return values.map((value) => ({ value, label: label('en', value), aliases: [label('ru', value), label('kk', value)] }));
}
const WHEN = shown('volunteer', 'availability-options', ['weekdays', 'evenings', 'weekends']);
const SKILLS = shown('volunteer', 'skills', ['first-aid', 'driving', 'sign-language', 'languages', 'medical', 'psychology', 'none']);
const AREAS = shown('volunteer', 'areas', ['emergencies', 'search', 'people-in-need', 'disability-elderly', 'animals', 'nature', 'sport-events', 'other']);
const HELP = shown('rehab', 'help', ['rehabilitation', 'day-care', 'home-based', 'residential', 'temporary', 'professional', 'sport']);
const WHO = shown('rehab', 'who', ['children', 'adults']);
const SECTORS = shown('grant', 'sector-option', ['agriculture', 'food', 'textiles', 'services', 'trade', 'crafts', 'transport', 'construction', 'it', 'other']);

const read = (typed: string, options: ShownOption[]) => {
  const reading = optionInSentence(typed, options);
  return reading && `${reading.option.value}${reading.unclear ? ' (unclear)' : ''}`;
};

describe('optionInSentence', () => {
  it('reads the option in a sentence, in the forms its words take, in each language', () => {
    const cases: Array<[string, ShownOption[], string]> = [
      ['I can help on weekends', WHEN, 'weekends'],
      ['могу помогать по выходным', WHEN, 'weekends'],
      ['демалыс күндері көмектесе аламын', WHEN, 'weekends'],
      ['demalys kunderi komektese alamyn', WHEN, 'weekends'],
      ['jumys kunderi komektese alamyn', WHEN, 'weekdays'],
      ['по будням после обеда', WHEN, 'weekdays'],
      ['usually after work in the evening', WHEN, 'evenings'],
      ['хочу помогать животным', AREAS, 'animals'],
      ['жануарларға көмектескім келеді', AREAS, 'animals'],
      ['I want to help people in need', AREAS, 'people-in-need'],
      ['у меня есть водительские права', SKILLS, 'driving'],
      ['I know sign language', SKILLS, 'sign-language'],
      ['my son needs day care', HELP, 'day-care'],
      ['бізге үйде көрсетілетін қызмет керек', HELP, 'home-based'],
      ['я хочу заниматься торговлей', SECTORS, 'trade'],
      ['ауыл шаруашылығымен айналысамын', SECTORS, 'agriculture'],
    ];
    for (const [typed, options, value] of cases) expect(read(typed, options), typed).toBe(value);
  });

  it('a word two options share tells nothing: "күндері" is in both weekdays and weekends', () => {
    expect(read('күндері көмектесемін', WHEN)).toBeNull();
    expect(read('I want to help people', AREAS)).toBeNull();
    // "жастан" (of "18 жастан бастап") has the Kazakh stem of "жасқа" (of "18 жасқа дейін"): its
    // Russian stem, in one option only, must not make it that option's word ("3 жастан бері").
    expect(read('3 жастан бері', WHO)).toBeNull();
  });

  it('a "not" or an "if" makes it unclear, unless the option says it too ("No special skills")', () => {
    const saysNot = ['не могу по выходным', "I can't help on weekends", 'демалыс күндері көмектесе алмаймын', 'демалыс күндері бос емеспін'];
    for (const typed of [...saysNot, 'demalys kunderi komektese almaimyn', 'demalys kunderi bos emespin']) {
      expect(read(typed, WHEN), typed).toBe('weekends (unclear)');
    }
    for (const typed of ['если получится, по выходным', 'егер уақытым болса, демалыс күндері', 'weekends, unless it rains']) {
      expect(read(typed, WHEN), typed).toBe('weekends (unclear)');
    }
    expect(read('у меня нет водительских прав', SKILLS)).toBe('driving (unclear)');
    for (const typed of ['I have no special skills', 'у меня нет особых навыков', 'менде арнайы дағдым жоқ']) expect(read(typed, SKILLS), typed).toBe('none');
  });

  it('a question is no answer, whatever option it names', () => {
    for (const typed of ['what is home care?', 'what is day care', 'что такое услуги на дому', 'үйде көрсетілетін қызметтер бар ма', 'can I help on weekends']) {
      expect(read(typed, [...HELP, ...WHEN]), typed).toBeNull();
    }
  });

  it('hostile texts: two options, the generic words, long texts, emoji, Latin look-alikes, nothing but signs', () => {
    expect(read('weekends and evenings', WHEN)).toBeNull();
    expect(read('по выходным и по вечерам', WHEN)).toBeNull();
    expect(read('jumys kunderi keshke', WHEN)).toBeNull();
    expect(read('I want to help other people', AREAS)).toBeNull();
    expect(read('it will be a small shop', SECTORS)).toBeNull();
    expect(read(`I can help on weekends ${'and I like it '.repeat(10)}`, WHEN)).toBeNull();
    expect(read('weekends '.repeat(1000), WHEN)).toBeNull();
    expect(read('🙂 по выходным 🙌', WHEN)).toBe('weekends');
    expect(read('мoгу пoмoгaть пo выxoдным', WHEN)).toBe('weekends');
    for (const typed of ['', '😀😀😀', '{"$gt":""}', '__proto__', '\u200B\u200B', '((((((a']) expect(read(typed, WHEN), typed).toBeNull();
  });

  it('found by attack: "бәрі" (all) and "уақытым бар" (I have time) name no area: "барлар" of the elderly names nothing', () => {
    for (const typed of ['бәрі', 'бари', 'көмектесуге уақытым бар', 'менде бар']) expect(read(typed, AREAS), typed).toBeNull();
    expect(read('қарттарға көмектескім келеді', AREAS)).toBe('disability-elderly');
  });

  it('found by attack: "any" is no one option: "whatever is needed" has the "need" of "people in need"', () => {
    for (const typed of ['whatever is needed', 'что угодно, нуждающимся', 'кез келген мұқтаж адамдарға']) expect(read(typed, AREAS), typed).toBe('people-in-need (unclear)');
  });

  it('found by attack: "not" joined to its verb, "без", "busy", a short Kazakh "not"; "no problem" is a yes', () => {
    for (const typed of ['немогу по выходным', 'по выходным занят', 'busy on weekends', 'демалыс кундери алмаймн', 'I can t help on weekends', 'He могу по выходным']) {
      expect(read(typed, WHEN), typed).toBe('weekends (unclear)');
    }
    for (const typed of ['без водительских прав', 'without a driving licence', "I haven't got a driving licence"]) expect(read(typed, SKILLS), typed).toBe('driving (unclear)');
    for (const typed of ['по выходным без проблем', 'weekends, no problem', 'нет проблем, по выходным']) expect(read(typed, WHEN), typed).toBe('weekends');
    // "Busy" is "занят", not "заняться" (to take up) nor "занятия" (classes).
    expect(read('хочу заняться торговлей', SECTORS)).toBe('trade');
    // "Without" says what the person lacks only of the words right after it.
    expect(read('торговля одеждой без посредников', SECTORS)).toBe('trade');
    // A button's number first, and the words name another button: which was meant?
    expect(read('2 - по выходным', WHEN)).toBe('weekends (unclear)');
    expect(read('3 - по выходным', WHEN)).toBe('weekends');
    expect(read('по выходным 2 часа', WHEN)).toBe('weekends');
  });
});

