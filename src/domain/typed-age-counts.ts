// How many children someone has, typed where the age is asked: "I am a mother of 2", "я мама 2
// сыновей", "у меня 3 детей, старшему 12", "менің 2 балам", "мен 3 баланың анасымын". A parent
// says it to say who is asking, and a count of 2 or 3 reads as a small child's age: the count is
// no age. Spelled as normalizeForMatch leaves them (see typed-age-words.ts).

import { startsWithAny } from './typed-age-words.js';

/** More children than this is no count people type: "мне 45 сын 7" holds two ages, not a count. */
const MAX_CHILDREN = 15;

// Children counted right after the number: "2 сына", "3 детей", "2 ребенка", "2 kids", "3
// children", "3 баланың", "2 балам", "3 балалы", "2 ұлым", "2 қызым". Kazakh "ұл" and "қыз" as
// whole words only: "қызмет" (a service) starts with "қыз".
const isChildNoun = (word: string): boolean =>
  CHILD_WORDS.has(word) ||
  startsWithAny([
    ...['сын', 'доч', 'реб', 'дет', 'малыш', 'мальчик', 'девоч', 'внук', 'внуч', 'бала', 'немере', 'улдар', 'кыздар'],
    ...['kid', 'child', 'son', 'daughter', 'boy', 'girl', 'bab', 'grandchild', 'grandson', 'granddaughter'],
  ])(word);
const CHILD_WORDS = new Set(['ул', 'улым', 'улы', 'кыз', 'кызым', 'кызы', 'перзент', 'перзентим']);
// Parents who say how many children they have: "mother of 2", "mom of three", "father of 3".
const PARENT_WORDS = new Set(['mother', 'mom', 'mum', 'mommy', 'mama', 'father', 'dad', 'daddy', 'parent']);
// A parent's own word with a small number and nothing after it: "мама 2", "папа 3", "mom 2". No
// mother is two, and a parent types it to say how many children they have; from "мама 55" on it
// is the mother's age.
const PARENT_ALONE = new Set([...PARENT_WORDS, 'мама', 'мать', 'папа', 'отец', 'ана', 'аке']);
const MAX_PARENT_COUNT = 10;
// Between the number and the children, the ending of "2-х детей", "3х детей".
const COUNT_ENDINGS = new Set(['х', 'ух', 'ех']);
// Russian numbers said only of how many people there are: "мама двоих детей", "отец троих",
// "у меня двое детей". Never an age, so the age reader never reads them; the step that asks who
// needs help reads them as a parent telling who they are.
const COLLECTIVE = new Set([
  ...['двое', 'трое', 'четверо', 'пятеро', 'шестеро', 'семеро', 'восьмеро'],
  ...['двоих', 'троих', 'четверых', 'пятерых', 'шестерых', 'семерых', 'восьмерых'],
]);

/** The number is how many children someone has: a child noun right after it, or "mother of" before it. */
export function isChildCount(value: number, clauseBefore: string[], clauseAfter: string[]): boolean {
  if (!Number.isInteger(value) || value < 1 || value > MAX_CHILDREN) return false;
  const [first, second] = clauseAfter;
  const next = first !== undefined && COUNT_ENDINGS.has(first) ? second : first;
  if (next !== undefined && isChildNoun(next)) return true;
  const [parent, of] = clauseBefore.slice(-2);
  if (of === 'of' && parent !== undefined && PARENT_WORDS.has(parent)) return true;
  const previous = clauseBefore.at(-1);
  return clauseAfter.length === 0 && value <= MAX_PARENT_COUNT && previous !== undefined && PARENT_ALONE.has(previous);
}

/**
 * Words that count someone's children, digits or a Russian collective number: "у меня 2 детей",
 * "мама двоих", "отец троих", "I am a mother of 2", "3 баланың анасымын". Spelled numbers are
 * digits by now (typed-age-numbers.ts), those before a child noun ("два сына") left as words.
 */
export function countsChildren(words: string[]): boolean {
  return words.some((word, i) => {
    if (COLLECTIVE.has(word)) return true;
    const value = /^\d{1,2}$/.test(word) ? Number(word) : SPELLED_COUNTS[word];
    return value !== undefined && isChildCount(value, words.slice(0, i), words.slice(i + 1));
  });
}

// The spelled numbers left as words before a child noun: "два сына", "екі балам", "two kids".
const SPELLED_COUNTS: Readonly<Record<string, number>> = {
  ...{ один: 1, одна: 1, два: 2, две: 2, три: 3, четыре: 4, пять: 5, двух: 2, трех: 3, четырех: 4, пяти: 5 },
  ...{ бир: 1, еки: 2, уш: 3, торт: 4, бес: 5, one: 1, two: 2, three: 3, four: 4, five: 5 },
};
