import { normalizeForMatch } from '../domain/text.js';
import { isCondition, isNegation, isNegationAt, isWithout } from '../domain/typed-negation.js';
import { isClearlyAQuestion } from '../domain/typed-question.js';
import { wordKeys } from '../domain/word-keys.js';
import type { ShownOption } from './options.js';

/**
 * More words than this tell a story rather than answer the step: an option's word in it may be
 * about anything. The longest answer people write to "when can you help" is about a dozen words
 * ("I work during the week so I can usually help on weekends").
 */
const MAX_WORDS = 20;
/** Past this many characters the words are not even looked at (a pasted page, 10,000 letters). */
const MAX_CHARS = 600;

// Words in the buttons that name no option alone, as their stems (so "helping" goes with
// "help"): the question's own "help" (every answer repeats it), "other" ("help other people" is no
// "Other"), the age bounds of "A child (under 18)" ("my older son" is no adult), joining words,
// and "барлар" (those who have) of "Қарттар мен мүгедектігі барлар": its stem is "бар" (there is,
// I have) and "бәрі" (all), so "уақытым бар" or "бәрі" would pick the elderly and disabled.
const NAMES_NOTHING = new Set(
  [
    ...['help', 'helping', 'support', 'other', 'under', 'over', 'older', 'younger', 'from', 'until', 'and', 'the', 'for', 'with'],
    ...['помощь', 'помощи', 'помогать', 'помочь', 'другое', 'другие', 'другим', 'старше', 'младше', 'для', 'или', 'при'],
    ...['комек', 'комектесу', 'баска', 'дейин', 'бастап', 'жане', 'мен', 'бен', 'пен', 'ушин', 'барлар'],
  ].flatMap(wordKeys),
);

// Words that say "any of them": "whatever is needed" has the "need" of "Helping people in need",
// "что угодно, где нужно" is no one direction. The person may mean all or any: the step asks.
const ANY = new Set([
  ...['whatever', 'wherever', 'whichever', 'anything', 'everything', 'anywhere', 'any'],
  ...['угодно', 'любое', 'любой', 'любая', 'любые', 'любую', 'любом', 'неважно', 'разницы'],
  ...['бари', 'барин', 'барлыгы', 'барлыгын', 'баршасы', 'кез'],
]);

/** The option a sentence names, and whether it names it with a "not" or an "if". */
export interface SentenceReading {
  option: ShownOption;
  /** "не могу по выходным", "if needed, evenings", "whatever is needed": named, but not plainly picked. */
  unclear: boolean;
}

const wordsOf = (text: string): string[] => normalizeForMatch(text).split(' ').filter(Boolean);
const textsOf = (option: ShownOption): string[] => [option.label, ...(option.aliases ?? [])];
/** Each word's keys: a word meets another when they share one (its Russian or its Kazakh stem). */
const keysOf = (words: string[]): string[][] =>
  words.filter((word) => !isNegation(word)).map((word) => wordKeys(word).filter((key) => !NAMES_NOTHING.has(key))).filter((keys) => keys.length > 0);

// The labels are the same few dozen texts every time, and stemming them was most of a call (about
// 1 ms for the eight areas in three languages, twice a message: the router asks too): their keys
// are kept. Bounded all the same, since a label is whatever text a step shows.
const LABEL_KEYS_KEPT = 2000;
const labelKeysKept = new Map<string, string[][]>();
function labelKeys(label: string): string[][] {
  const kept = labelKeysKept.get(label);
  if (kept) return kept;
  if (labelKeysKept.size >= LABEL_KEYS_KEPT) labelKeysKept.clear();
  const keys = keysOf(wordsOf(label));
  labelKeysKept.set(label, keys);
  return keys;
}

/**
 * The one option whose own words a typed sentence uses ("могу помогать по выходным", "I can help
 * on weekends", "демалыс күндері көмектесе аламын"), in any of the three languages and the forms
 * words take in a sentence. A word counts only if no other option shown has it: "күндері" is in
 * both "Жұмыс күндері" and "Демалыс күндері", so only "демалыс" tells them apart. Null for a
 * text that asks (the knowledge base takes it), names no option or two ("weekends and
 * evenings"), or is too long to be an answer. A "not" or an "if" the option's own words do not
 * have ("No special skills" has its "no") leaves the answer unclear.
 */
export function optionInSentence(typed: string, shown: ShownOption[]): SentenceReading | null {
  if (typed.length > MAX_CHARS) return null;
  const words = wordsOf(typed);
  if (words.length === 0 || words.length > MAX_WORDS || isClearlyAQuestion(typed)) return null;
  const typedKeys = new Set(keysOf(words).flat());
  const optionWords = shown.map((option) => textsOf(option).flatMap(labelKeys));
  const optionKeys = optionWords.map((keys) => new Set(keys.flat()));
  // A word of the option's own: none of its keys is another option's ("жастан" of "18 жастан
  // бастап" has the Kazakh stem of "18 жасқа дейін", though not its Russian one).
  const own = (keys: string[], index: number) => keys.every((key) => optionKeys.every((other, j) => j === index || !other.has(key)));
  const named = shown.filter((_option, index) => optionWords[index]!.some((keys) => own(keys, index) && keys.some((key) => typedKeys.has(key))));
  if (named.length !== 1) return null;
  const option = named[0]!;
  const ownWords = new Set(textsOf(option).flatMap(wordsOf));
  const keys = optionKeys[shown.indexOf(option)]!;
  // "без водительских прав", "without a driving licence": the option is what the person lacks.
  const lacks = (index: number) => isWithout(words[index]!) && words.slice(index + 1, index + 3).some((word) => wordKeys(word).some((key) => keys.has(key)));
  // "2 - по выходным" where button 2 is the evenings: the number and the words disagree.
  const otherNumber = /^\d+$/.test(words[0]!) && Number(words[0]) >= 1 && Number(words[0]) <= shown.length && shown[Number(words[0]) - 1] !== option;
  const unclear = otherNumber || words.some((word, index) => (isNegationAt(words, index) || lacks(index) || isCondition(word) || ANY.has(word)) && !ownWords.has(word));
  return { option, unclear };
}
