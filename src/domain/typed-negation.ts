// Words that turn a typed answer round or make it depend on something: "не могу по выходным",
// "I can't help on weekends", "демалыс күндері көмектесе алмаймын", "if needed, evenings". An
// option named in such a sentence is not what the person picked, or not plainly: the step asks
// again instead of guessing. Words as normalizeForMatch leaves them (apostrophes dropped, so
// "can't" is "cant"; Kazakh letters folded, so "жоқ" is "жок"). typed-about-person.ts and
// typed-age-words.ts read "не ходит" and "not yet" for their own questions.

const NEGATIONS = new Set([
  ...['не', 'нет', 'ни', 'нету', 'неа', 'нетушки', 'нельзя', 'никогда', 'никак', 'некогда'],
  ...['емес', 'жок', 'ешкашан', 'ешкандай', 'ешбир', 'ешкайсысы', 'jok', 'joq', 'zhok', 'zhoq', 'emes'],
  ...['not', 'no', 'never', 'nope', 'nop', 'neither', 'nor', 'cannot', 'cant', 'dont', 'doesnt', 'didnt', 'wont', 'isnt'],
  ...['arent', 'wasnt', 'werent', 'couldnt', 'wouldnt', 'shouldnt', 'unable', 'hardly'],
  ...['havent', 'hasnt', 'hadnt', 'aint', 'mustnt', 'neednt', 'cnt', 'dnt', 'nah', 'naw', 'nay'],
  // "I don't know" said short: the person is not sure of the answer itself ("хз, может по выходным").
  ...['хз', 'idk', 'dunno', 'unsure'],
  // Busy is "not free": "по выходным занят", "busy on weekends", "weekends are impossible".
  ...['занят', 'занята', 'заняты', 'занято', 'невозможно', 'нереально', 'busy', 'impossible', 'unavailable'],
]);
// Russian "не" run into its verb, as phones and hurried thumbs type it: "немогу", "несмогу",
// "неполучится", "неудобно", "незнаю". Only the verbs people answer "when can you help" with:
// "неделя" (a week) and "немного" (a little) say no "not".
const RUSSIAN_NOT_JOINED = /^не(?:мог|смог|можем|сможе|получ|выйд|буд|хоч|хоте|хотим|уме|суме|име|зна|подх|подой|удоб|успе|свобод|прид|нрав)/;

// Kazakh says "not" inside the verb, before its person ending: "алмаймын" (I cannot),
// "көмектеспеймін" (I do not help), "бармайды", "болмайсыз"; and "емес" takes endings too
// ("емеспін", "емессіз"). Only these forms: a past "-мады" would also take "табады" (finds).
// Typed in haste the ending loses a letter ("алмаймн", "алмайм", "болмайд", "емс"); the future
// "not" ends in "-мас" with a person ending ("келе алмаспын", "бармаспыз").
const KAZAKH_NOT = /(?:ма|ме|ба|бе|па|пе)(?:й(?:мын|мин|мн|м|мыз|миз|мз|сын|син|сыз|сиз|ды|ди|д|тын|тин)|с(?:пын|пин|пн|пыз|пиз|сын|син|сыз|сиз))$|^емес|^емс$|^болмас$/;
// The same typed in Latin letters: "almaimyn", "komektespeimin", "emespin".
const KAZAKH_NOT_LATIN = /(?:ma|me|ba|be|pa|pe)(?:[iy](?:myn|min|mn|m|myz|miz|syn|sin|syz|siz|dy|di)|s(?:pyn|pin|pn|pyz|piz))$|^emes/;

// An answer on a condition, or with an exception or a "but": "если получится", "кроме выходных",
// "егер уақытым болса", "unless it rains", "weekends but not always".
const CONDITIONS = new Set([
  ...['если', 'ежели', 'коли', 'кроме', 'но', 'однако', 'хотя', 'разве', 'зависит', 'зависимости', 'смотря'],
  ...['егер', 'болса', 'болмаса', 'айтпесе', 'бирак', 'алайда', 'дегенмен', 'байланысты', 'eger', 'bolsa', 'birak', 'biraq'],
  ...['if', 'unless', 'except', 'but', 'however', 'though', 'although', 'depending', 'depends', 'provided'],
]);

// A letter held down or doubled in haste ("нетт", "нееет", "noo", "nooope", "жоооқ") or for
// emphasis: such a word is one of the negations above once each run of a letter is one letter.
// Only whole words of that list: "нетто", "noon" or "жоқтау" (to mourn) stay what they are, and
// "нетрудно" (not hard) says yes. "нее" is also "неё" (her: "у нее есть права"), see isNegationAt.
const singleLetters = (word: string): string => word.replace(/(\p{L})\1+/gu, '$1');

/** The word says "not": "не", "нет", "емес", "жоқ", "алмаймын", "not", "can't", "немогу", "занят". */
export const isNegation = (word: string): boolean =>
  NEGATIONS.has(word) || NEGATIONS.has(singleLetters(word)) || RUSSIAN_NOT_JOINED.test(word) || KAZAKH_NOT.test(word) || KAZAKH_NOT_LATIN.test(word);

// The Russian prepositions "неё" (her) follows: "у нее есть права", "для нее", "с нее".
const PREPOSITIONS = new Set(['у', 'к', 'от', 'для', 'с', 'со', 'о', 'об', 'на', 'за', 'в', 'во', 'без', 'про', 'через', 'из', 'до', 'при', 'по', 'над', 'под', 'перед', 'около', 'кроме']);

// "No problem" says yes: "weekends, no problem", "проблем нет", "мәселе жоқ"; so do "no worries",
// "no doubt", "нет возражений", "не вопрос".
const PROBLEM = /^(?:проблем|problem|масел|masele|worr|doubt|возражен|вопрос)/;
// "Why not" says yes: "weekends, why not", "почему нет", "почему бы и нет", "а почему бы нет".
const WHY = new Set(['why', 'почему', 'отчего']);

/**
 * The word at `index` of a sentence says "not", read with its neighbours: "can t" (an apostrophe
 * typed as a space) and a Latin "He" before a Russian word do; the "no" of "no problem" does not.
 */
export function isNegationAt(words: readonly string[], index: number): boolean {
  const word = words[index] ?? '';
  const before = words[index - 1] ?? '';
  if (word === 't' && /n$/.test(before)) return true;
  // "He" of Latin letters that look Cyrillic, before a Russian word: "He могу по выходным".
  if (word === 'he' && /^[а-я]/.test(words[index + 1] ?? '')) return true;
  if (!isNegation(word)) return false;
  // "у нее", "к нее": "неё" (her) typed without its dots, not a drawn-out "не".
  if (word === 'нее' && PREPOSITIONS.has(before)) return false;
  if (words.slice(Math.max(0, index - 3), index).some((earlier) => WHY.has(earlier)) && index === words.length - 1) return false;
  return !PROBLEM.test(words[index + 1] ?? '') && !PROBLEM.test(before);
}

// "Without" says one has none of what follows it ("без прав", "without a driving licence"), and
// nothing of the rest: "торговля без посредников" is trade.
const WITHOUT = new Set(['без', 'безо', 'without']);

/** The word says "without": the one or two words after it are what the person has not. */
export const isWithout = (word: string): boolean => WITHOUT.has(word);

/** The word makes what follows or goes before it depend on something: "если", "егер", "but". */
export const isCondition = (word: string): boolean => CONDITIONS.has(word);

// A doubt about the answer itself, not a "not" of what is said: "хз", "idk", "не знаю", "незнаю",
// "не уверен", "not sure", "no idea", "don't know", "білмеймін", "сенімді емеспін".
const DOUBTS = new Set(['хз', 'idk', 'dunno', 'unsure', 'незнаю']);
const KNOW_OR_SURE = /^(?:знаю|уверен|уверена|уверены|sure|know|idea|certain|сенимди|senimdi)$/;
const KAZAKH_DONT_KNOW = /^(?:билмей|bilmei|bilmey)/;

/** The word at `index` doubts the answer ("не знаю", "not sure", "idk", "білмеймін"): never a plain "no". */
export function isDoubtAt(words: readonly string[], index: number): boolean {
  const word = words[index] ?? '';
  if (DOUBTS.has(word) || DOUBTS.has(singleLetters(word)) || KAZAKH_DONT_KNOW.test(word)) return true;
  // "не знаю", "not sure", "no idea", "dont know"; and "сенімді емеспін" (sure, not).
  if (isNegation(word) && KNOW_OR_SURE.test(words[index + 1] ?? '')) return true;
  return isNegation(word) && KNOW_OR_SURE.test(words[index - 1] ?? '') && /^(?:емес|emes)/.test(word);
}
