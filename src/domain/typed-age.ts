// An age as people type it when a form asks who needs help: "7", "мой сын, 7 лет", "ұлым 7
// жаста", "my daughter is 12", "мне 45", "8 месяцев". Kazakh, Russian and English alike, since
// people mix them. A number alone is an age only where the caller decided it is no button number.

import { normalizeForMatch } from './text.js';

/** An age in years (months as parts of a year), or one no person has (0, negative, 150). */
export type TypedAge = { years: number } | { impossible: true };

/** Older than this is no one's age: the oldest people on record lived to 117-122. */
export const MAX_AGE = 120;

/** An age is said in a few words; a long message with a number in it is about something else. */
const MAX_AGE_TEXT = 200;

// One number, with a sign (a minus only where a word starts: "7-летний" is no negative number)
// and a decimal part ("2,5 года").
const NUMBER = /([-−–]\s*)?(\d+)(?:[.,](\d+))?/g;

// The word after the number, after normalizeForMatch folded Kazakh letters (қ→к, ғ→г, і→и):
// Russian "лет", "год", "года", "годик", "7-летний"; Kazakh "жас", "жаста", "жасар", "жасқа";
// English "years", "year-old", "yrs", "y.o.".
const YEAR_STEMS = ['год', 'лет', 'жас', 'year', 'yr'];
const YEAR_WORDS = new Set(['y', 'yo']);
// A baby's age: "8 месяцев", "8 мес", "8 ай", "8 айлық", "8 months", "8 mo".
const MONTH_STEMS = ['мес', 'month', 'айлык'];
const MONTH_WORDS = new Set(['ай', 'айда', 'mo', 'mos']);
// Russian endings written after a number before the unit: "7-ми лет", "5-ти лет".
const NUMBER_ENDINGS = new Set(['ми', 'ти', 'х']);

// Words that make a number in a sentence someone's age without a unit: "мне 45", "my daughter is
// 12", "сыну 7", "ұлым 7", "жасы 70". Whole words, and stems for Russian nouns that take case
// endings (сын, сыну, сына, сынок). Kazakh words are spelled as normalizeForMatch folds them.
const PERSON_WORDS = new Set([
  ...['i', 'im', 'me', 'my', 'he', 'she', 'hes', 'shes', 'him', 'her', 'age', 'aged'],
  ...['son', 'daughter', 'child', 'kid', 'boy', 'girl', 'baby', 'husband', 'wife', 'mother', 'mom', 'mum'],
  ...['father', 'dad', 'grandmother', 'grandfather', 'grandma', 'grandpa', 'granny', 'brother', 'sister'],
  ...['grandson', 'granddaughter'],
  ...['я', 'мне', 'мой', 'моя', 'моему', 'моей', 'моего', 'он', 'она', 'ему', 'ей', 'его', 'ее', 'муж', 'мужу', 'жена', 'жене'],
  ...['мать', 'матери', 'отец', 'отцу', 'исполнилось'],
  ...['мен', 'маган', 'менин', 'ол', 'оган', 'оны', 'улым', 'улыма', 'улымыз', 'кызым', 'кызыма', 'кызымыз'],
  ...['анам', 'анама', 'акем', 'акеме', 'ажем', 'ажеме', 'атам', 'атама', 'апам', 'агам', 'иним', 'инима'],
  ...['синлим', 'синлиме', 'бауырым', 'бауырыма', 'куйеуим', 'куйеуиме', 'айелим', 'айелиме', 'жубайым'],
]);
const PERSON_STEMS = [
  ...['сын', 'доч', 'ребен', 'малыш', 'мальчик', 'девоч', 'внук', 'внучк', 'бабушк', 'дедушк', 'мам', 'пап'],
  ...['брат', 'сестр', 'возраст', 'бала', 'немере', 'жас'],
];

type Unit = 'years' | 'months';

function unitOf(word: string | undefined): Unit | null {
  if (word === undefined) return null;
  if (YEAR_WORDS.has(word) || YEAR_STEMS.some((stem) => word.startsWith(stem))) return 'years';
  if (MONTH_WORDS.has(word) || MONTH_STEMS.some((stem) => word.startsWith(stem))) return 'months';
  return null;
}

const isPersonWord = (word: string): boolean => PERSON_WORDS.has(word) || PERSON_STEMS.some((stem) => word.startsWith(stem));

const wordsOf = (text: string): string[] => normalizeForMatch(text).split(' ').filter(Boolean);

/**
 * The age a typed answer gives, or null when it gives none: no number, two numbers ("мне 45,
 * сыну 7"), or a number with words that do not make it an age. A number is an age when it is the
 * whole answer, when a unit follows it (years or months), or when a word about a person comes
 * before it and nothing but such words after it: "мне 45" is an age, "мне нужно для 2 человек"
 * and "I need help for 3 people" are not.
 */
export function readTypedAge(typed: string): TypedAge | null {
  if (typed.length > MAX_AGE_TEXT) return null;
  const numbers = [...typed.matchAll(NUMBER)];
  const match = numbers.length === 1 ? numbers[0] : undefined;
  if (!match) return null;
  const start = match.index;
  const before = wordsOf(typed.slice(0, start));
  const after = wordsOf(typed.slice(start + match[0].length));
  const [first, second] = after;
  const unit = unitOf(first) ?? (first !== undefined && NUMBER_ENDINGS.has(first) ? unitOf(second) : null);
  const alone = before.length === 0 && after.length === 0;
  if (!unit && !alone && !(before.some(isPersonWord) && after.every(isPersonWord))) return null;
  const negative = match[1] !== undefined && (start === 0 || /\s/.test(typed.charAt(start - 1)));
  const value = Number(match[3] === undefined ? match[2] : `${match[2]}.${match[3]}`);
  const years = unit === 'months' ? value / 12 : value;
  return negative || !(years > 0) || years > MAX_AGE ? { impossible: true } : { years };
}
