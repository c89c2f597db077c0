// Which option a typed sentence names, read against the real labels of the steps that read
// sentences, in the three languages (each option carries its labels in the other two, as the
// engine shows them).
import { describe, expect, it } from 'vitest';
import { loadResources } from '../../src/i18n/index.js';
import { optionInSentence } from '../../src/engine/sentence-options.js';
import type { ShownOption } from '../../src/engine/options.js';
import type { SentenceRules } from '../../src/engine/types.js';
import { LOCALES } from '../../src/telegram/types.js';
import { AREA_SENTENCES, SKILL_SENTENCES, TIME_SENTENCES } from '../../scenes/volunteer/steps.js';
import { HELP_SENTENCES } from '../../scenes/rehab/search.js';
import { SECTOR_SENTENCES, TYPE_SENTENCES } from '../../scenes/grant/options.js';

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


// The steps' own rules (SentenceRules): the times step hears work and studies, and each step's
// words that fit more than one option name none alone.
const AT_WHEN = { options: WHEN, rules: TIME_SENTENCES };
const AT_AREAS = { options: AREAS, rules: AREA_SENTENCES };
const AT_SKILLS = { options: SKILLS, rules: SKILL_SENTENCES };
const AT_HELP = { options: HELP, rules: HELP_SENTENCES };
const AT_TYPE = { options: shown('grant', 'programme', ['grant', 'microloan']), rules: TYPE_SENTENCES };
const AT_SECTOR = { options: SECTORS, rules: SECTOR_SENTENCES };
const readAt = (typed: string, step: { options: ShownOption[]; rules: SentenceRules }) => {
  const reading = optionInSentence(typed, step.options, step.rules);
  return reading && `${reading.option.value}${reading.unclear ? ' (unclear)' : ''}`;
};

describe('optionInSentence at the steps, with their rules', () => {
  it('"I work on weekends" says the person is busy then: the times step asks again, in each language', () => {
    const busy = [
      ...['по выходным работаю', 'по выходным я на работе', 'по выходным учусь', 'в выходные у меня смена', 'по вечерам занята'],
      ...['I work on weekends', "I'm at work on weekends", 'I study in the evenings', 'weekends I am working', 'I have classes in the evenings'],
      ...['демалыс күндері жұмыс істеймін', 'демалыс күндері жұмыс жасаймын', 'демалыс күндері жұмыстамын', 'кешке оқимын', 'кешке сабақтамын', 'демалыс күндері бос емеспін'],
      ...['demalys kunderi jumys isteimin', 'demalys kunderi jumystamyn', 'keshke oqimyn'],
    ];
    for (const typed of busy) expect(readAt(typed, AT_WHEN), typed).toMatch(/ \(unclear\)$/);
  });

  it('free, able, or after work: the times step takes the option', () => {
    const free: Array<[string, string]> = [
      ['могу по выходным', 'weekends'],
      ['свободен по выходным', 'weekends'],
      ['свободна по выходным', 'weekends'],
      ['по вечерам после работы', 'evenings'],
      ['free on weekends', 'weekends'],
      ['I could work on weekends', 'weekends'],
      ['usually after work in the evening', 'evenings'],
      ['демалыс күндері боспын', 'weekends'],
      ['жұмыстан кейін кешке', 'evenings'],
      ['жұмыс күндері көмектесе аламын', 'weekdays'],
    ];
    for (const [typed, value] of free) expect(readAt(typed, AT_WHEN), typed).toBe(value);
    // "Work" answers other steps: "I work in IT" is a sector, not a busy time.
    expect(readAt('я работаю в сфере информационных технологий', AT_SECTOR)).toBe('it');
    expect(readAt('работаю с животными', AT_AREAS)).toBe('animals');
  });

  it('found by attack: work at another time, in a clause of its own, is why the time was picked', () => {
    const picked: Array<[string, string]> = [
      ['по вечерам, днём работаю', 'evenings'],
      ['вечером, днем я на работе', 'evenings'],
      ['по вечерам, утром учусь', 'evenings'],
      ['вечером, работаю до 6', 'evenings'],
      ['в выходные, в течение недели работаю', 'weekends'],
      ['I can help in the evenings, I work during the day', 'evenings'],
      ['evenings, I work days', 'evenings'],
      ['Evenings. I work 9 to 5', 'evenings'],
      ['weekends, I study during the week', 'weekends'],
      ['Кешке, күндіз жұмыстамын', 'evenings'],
      ['кешке, күндіз жұмыс істеймін', 'evenings'],
      ['демалыс күндері, аптада жұмыс істеймін', 'weekends'],
      ['keshke, kundiz jumys isteimin', 'evenings'],
      // A "because" or a "so" starts a clause too.
      ['weekends because I work during the week', 'weekends'],
      ['weekends since I have classes during the week', 'weekends'],
      ['I work during the week so weekends', 'weekends'],
      ['по выходным потому что на неделе работаю', 'weekends'],
      ['кешке, өйткені күндіз жұмыстамын', 'evenings'],
    ];
    for (const [typed, value] of picked) expect(readAt(typed, AT_WHEN), typed).toBe(value);
    // Work in the clause naming the time, or with no time of its own, is still work then.
    const busy = [
      ...['On weekends, I work', 'по выходным, работаю', 'по выходным - работаю', 'в будни работаю днём', 'по выходным работаю с 9 до 18'],
      ...['weekends because I work', 'по выходным потому что работаю'],
    ];
    for (const typed of busy) expect(readAt(typed, AT_WHEN), typed).toMatch(/ \(unclear\)$/);
  });

  it('found by attack: "why not", "no worries", "no doubt", "нет возражений", "не вопрос" say yes', () => {
    const yes = [
      ...['weekends, why not', 'weekends, no worries', 'weekends, no doubt'],
      ...['по выходным конечно, почему нет', 'выходные, а почему бы и нет', 'в выходные, нет возражений', 'по выходным, не вопрос', 'не вопрос, по выходным'],
    ];
    for (const typed of yes) expect(readAt(typed, AT_WHEN), typed).toBe('weekends');
    // A "why not" that asks, or a "not" of its own beside it, still asks again.
    for (const typed of ['почему не по выходным', 'по выходным не могу, почему нет вечеров']) expect(readAt(typed, AT_WHEN), typed).not.toBe('weekends');
  });

  it('found by attack: "No special skills" said in other words than its own "not" is taken; a doubt still asks again', () => {
    const none = [
      ...['особых навыков не имею', 'без особых навыков', 'у меня нет никаких особых навыков', 'нет, особых навыков нет'],
      ...["I don't have any special skills", 'I have no special skills', 'no special skills at all'],
      ...['ешқандай арнайы дағдым жоқ', 'арнайы дағдым жоқ', 'arnaiy dagdym joq'],
    ];
    for (const typed of none) expect(readAt(typed, AT_SKILLS), typed).toBe('none');
    const doubts = ['не знаю, особых навыков нет', 'not sure, no special skills', 'білмеймін, арнайы дағдым жоқ', 'no special skills if that counts'];
    for (const typed of doubts) expect(readAt(typed, AT_SKILLS), typed).toBe('none (unclear)');
    // "Have" is no "not": the skills are there, and which ones is not said.
    expect(readAt('у меня есть навыки', AT_SKILLS)).toBeNull();
  });

  it('"жұмыс" (work) alone is no weekday: "демалыс күндері жұмыс" names the weekends only', () => {
    expect(readAt('жұмыс күндері', AT_WHEN)).toBe('weekdays');
    expect(readAt('jumys kunderi', AT_WHEN)).toBe('weekdays');
    // "күндері жұмыс" is not "жұмыс күндері": the pair keeps its order.
    expect(readAt('демалыс күндері жұмыс істеймін', AT_WHEN)).toBe('weekends (unclear)');
    expect(readAt('жұмыстамын', AT_WHEN)).toBeNull();
  });

  it('a hedge ("наверное", "maybe", "мүмкін") takes the option; a doubt about the answer itself asks again', () => {
    const hedged: Array<[string, string]> = [
      ['наверное по выходным', 'weekends'],
      ['может быть, по вечерам', 'evenings'],
      ['возможно, в будни', 'weekdays'],
      ['maybe weekends', 'weekends'],
      ['perhaps in the evenings', 'evenings'],
      ['probably on weekends', 'weekends'],
      ['мүмкін демалыс күндері', 'weekends'],
      ['шамасы кешке', 'evenings'],
      ['бәлкім демалыс күндері', 'weekends'],
    ];
    for (const [typed, value] of hedged) expect(readAt(typed, AT_WHEN), typed).toBe(value);
    expect(readAt('наверное, нужен стационарный уход', AT_HELP)).toBe('residential');
    const doubts = ['хз, может по выходным', 'не знаю, может по выходным', 'наверное не смогу по выходным', 'idk, maybe weekends', 'not sure, maybe weekends', 'probably not on weekends'];
    for (const typed of [...doubts, 'білмеймін, мүмкін демалыс күндері', 'демалыс күндері мүмкін емес']) expect(readAt(typed, AT_WHEN), typed).toBe('weekends (unclear)');
  });

  it('"no" typed in haste or in speech: "нетт", "неа", "не-а", "nope", "noo", "жок", Latin "zhok", "emes"', () => {
    const saysNo = [
      ...['нетт, не по выходным', 'неа, по выходным не могу', 'нее, по выходным никак', 'не-а, по выходным', 'по выходным - нееет'],
      ...['nope, weekends are out', 'nah weekends', 'noo weekends', 'weekends nooo'],
      ...['демалыс күндері жок', 'демалыс күндері жоқ', 'demalys kunderi zhok', 'demalys kunderi joq', 'demalys kunderi emes', 'demalys kunderi jooq'],
    ];
    for (const typed of saysNo) expect(readAt(typed, AT_WHEN), typed).toBe('weekends (unclear)');
    // "у нее" is "у неё" (she has), no drawn-out "не".
    expect(readAt('у нее есть водительские права', AT_SKILLS)).toBe('driving');
  });

  it('a word that fits two options picks neither: "нужен уход" is home care as much as residential care', () => {
    for (const typed of ['нужен уход', 'нам нужны услуги', 'күтім керек', 'бізге қызметтер керек', 'we need care', 'a long stay']) expect(readAt(typed, AT_HELP), typed).toBeNull();
    const named: Array<[string, string]> = [
      ['нужен уход на дому', 'home-based'],
      ['стационарный уход', 'residential'],
      ['стационарлық күтім керек', 'residential'],
      ['residential care please', 'residential'],
      ['day care', 'day-care'],
      ['a temporary stay', 'temporary'],
      ['нам нужны услуги на дому', 'home-based'],
    ];
    for (const [typed, value] of named) expect(readAt(typed, AT_HELP), typed).toBe(value);
  });

  it('the other steps\' words that fit more than one option: protection, education, skills, business, production, repair, village', () => {
    // Areas: "защита"/"охрана"/"protection" are of nature and animals alike; "ситуация" is any.
    expect(readAt('защита природы', AT_AREAS)).toBe('nature');
    expect(readAt('охрана животных', AT_AREAS)).toBe('animals');
    expect(readAt('I want to protect nature', AT_AREAS)).toBe('nature');
    for (const typed of ['хочу помогать людям в трудной ситуации', 'қиын жағдайдағы адамдарға']) expect(readAt(typed, AT_AREAS), typed).not.toBe('emergencies');
    // Skills: "образование"/"training" is any training; "навыки" (skills) is no "No special skills".
    for (const typed of ['у меня высшее образование', 'менде жоғары білім бар', 'у меня есть навыки', 'I have some skills']) expect(readAt(typed, AT_SKILLS), typed).toBeNull();
    expect(readAt('I have psychology training', AT_SKILLS)).toBe('psychology');
    expect(readAt('медицинское образование', AT_SKILLS)).toBe('medical');
    expect(readAt('навыки первой помощи', AT_SKILLS)).toBe('first-aid');
    // Programme: every one is for a business.
    for (const typed of ['нужен кредит на бизнес', 'несие бизнеске керек', 'money for my business']) expect(readAt(typed, AT_TYPE), typed).toBeNull();
    expect(readAt('a microloan for a new business', AT_TYPE)).toBe('microloan');
    expect(readAt('грант на бизнес-идею', AT_TYPE)).toBe('grant');
    // Sector: "производство", "своё дело", "ремонт", a village.
    for (const typed of ['производство мебели', 'хочу открыть своё дело', 'өз ісімді ашқым келеді', 'ремонт телефонов', 'phone repair', 'магазин в сельской местности', 'ауылда дүкен ашқым келеді']) {
      expect(readAt(typed, AT_SECTOR), typed).toBeNull();
    }
    for (const [typed, value] of [['сельское хозяйство', 'agriculture'], ['ауыл шаруашылығымен айналысамын', 'agriculture'], ['швейное дело', 'textiles'], ['food production', 'food'], ['ремонт и строительство домов', 'construction']] as const) {
      expect(readAt(typed, AT_SECTOR), typed).toBe(value);
    }
  });
});
