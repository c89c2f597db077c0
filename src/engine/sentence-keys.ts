import { normalizeForMatch } from '../domain/text.js';
import { isNegation } from '../domain/typed-negation.js';
import { wordKeys } from '../domain/word-keys.js';

// The keys the words of a sentence or a label meet each other by (engine/sentence-options.ts).

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

export const wordsOf = (text: string): string[] => normalizeForMatch(text).split(' ').filter(Boolean);

/**
 * The keys of a step's vague words (SentenceRules.vague). A Latin word gives only its English
 * key: its Kazakh reading ("day" read as Kazakh "дай") would make Kazakh words vague by chance.
 */
const vagueKept = new WeakMap<readonly string[], ReadonlySet<string>>();
export function vagueKeys(vague: readonly string[] = []): ReadonlySet<string> {
  const kept = vagueKept.get(vague);
  if (kept) return kept;
  const keys = new Set(vague.flatMap(wordsOf).flatMap((word) => wordKeys(word).filter((key) => !/^[a-z]+$/.test(word) || key.startsWith('en:'))));
  vagueKept.set(vague, keys);
  return keys;
}

/** A vague word with the word beside it, in their order: "жұмыс күндері" is not "күндері жұмыс". */
const pairKeys = (left: string[], right: string[]): string[] => left.flatMap((a) => right.map((b) => `${a}+${b}`));

/**
 * Each word's keys: a word meets another when they share one (its Russian or its Kazakh stem). A
 * vague word has none of its own, only its pairs with the words before and after it that are not
 * vague ("стационарный уход", "жұмыс күндері").
 */
export function keysOf(words: string[], vague: ReadonlySet<string>): string[][] {
  const each = words
    .filter((word) => !isNegation(word))
    .map((word) => wordKeys(word).filter((key) => !NAMES_NOTHING.has(key)))
    .filter((keys) => keys.length > 0);
  const isVague = (keys: string[] | undefined) => keys !== undefined && keys.some((key) => vague.has(key));
  return each.flatMap((keys, index) => {
    if (!isVague(keys)) return [keys];
    const before = each[index - 1];
    const after = each[index + 1];
    // Two vague words together are still vague: "new business" is of any programme.
    return [...(before && !isVague(before) ? [pairKeys(before, keys)] : []), ...(after && !isVague(after) ? [pairKeys(keys, after)] : [])];
  });
}

// The labels are the same few dozen texts every time, and stemming them was most of a call (about
// 1 ms for the eight areas in three languages, twice a message: the router asks too): their keys
// are kept. Bounded all the same, since a label is whatever text a step shows.
const LABEL_KEYS_KEPT = 2000;
const labelKeysKept = new Map<string, string[][]>();
export function labelKeys(label: string, vague: readonly string[] = []): string[][] {
  const id = `${vague.join(' ')}\u0000${label}`;
  const kept = labelKeysKept.get(id);
  if (kept) return kept;
  if (labelKeysKept.size >= LABEL_KEYS_KEPT) labelKeysKept.clear();
  const keys = keysOf(wordsOf(label), vagueKeys(vague));
  labelKeysKept.set(id, keys);
  return keys;
}

// Whether a label says "not" itself ("No special skills"), kept as its keys are.
const labelSaysNotKept = new Map<string, boolean>();
export function labelSaysNot(label: string): boolean {
  const kept = labelSaysNotKept.get(label);
  if (kept !== undefined) return kept;
  if (labelSaysNotKept.size >= LABEL_KEYS_KEPT) labelSaysNotKept.clear();
  const saysNot = wordsOf(label).some(isNegation);
  labelSaysNotKept.set(label, saysNot);
  return saysNot;
}
