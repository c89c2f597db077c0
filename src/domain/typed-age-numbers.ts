// Numbers people spell out in an age: "семь лет", "двадцать пять", "жиырма бес", "он жеті жаста",
// "twenty-five", "seventeen". They are written as digits before the age is read, so every rule
// about digits (units, groups, ranges, "ago") holds for words as well. Spelled as normalizeForMatch
// leaves them: Kazakh letters folded (жеті→жети, қырық→кырык, төрт→торт).

import { latinKazakhToCyrillic } from './kk-latin.js';
import { normalizeForMatch } from './text.js';
import { isPersonWord, unitAfter } from './typed-age-words.js';

const UNITS: Readonly<Record<string, number>> = {
  ...{ ноль: 0, один: 1, два: 2, две: 2, три: 3, четыре: 4, пять: 5, шесть: 6, семь: 7, восемь: 8, девять: 9 },
  // The genitive after "около", "старше", "младше", "ребенку пяти лет".
  ...{ одного: 1, двух: 2, трех: 3, четырех: 4, пяти: 5, шести: 6, семи: 7, восьми: 8, девяти: 9 },
  ...{ нол: 0, бир: 1, еки: 2, уш: 3, торт: 4, бес: 5, алты: 6, жети: 7, сегиз: 8, тогыз: 9 },
  ...{ zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 },
};
const TEENS: Readonly<Record<string, number>> = {
  ...{ десять: 10, одиннадцать: 11, двенадцать: 12, тринадцать: 13, четырнадцать: 14, пятнадцать: 15 },
  ...{ шестнадцать: 16, семнадцать: 17, восемнадцать: 18, девятнадцать: 19 },
  ...{ десяти: 10, одиннадцати: 11, двенадцати: 12, тринадцати: 13, четырнадцати: 14, пятнадцати: 15 },
  ...{ шестнадцати: 16, семнадцати: 17, восемнадцати: 18, девятнадцати: 19 },
  ...{ ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16 },
  ...{ seventeen: 17, eighteen: 18, nineteen: 19 },
};
// Tens take a unit after them: "двадцать пять", "жиырма бес", "twenty-five". Kazakh 10 does too
// ("он жеті" is 17), so "он" is among them; alone it is the Russian "he" (see isKazakhTen).
const TENS: Readonly<Record<string, number>> = {
  ...{ двадцать: 20, тридцать: 30, сорок: 40, пятьдесят: 50, шестьдесят: 60, семьдесят: 70, восемьдесят: 80, девяносто: 90 },
  ...{ двадцати: 20, тридцати: 30, сорока: 40, пятидесяти: 50, шестидесяти: 60, семидесяти: 70, восьмидесяти: 80 },
  ...{ он: 10, жиырма: 20, отыз: 30, кырык: 40, елу: 50, алпыс: 60, жетпис: 70, сексен: 80, токсан: 90 },
  ...{ twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 },
};
const HUNDREDS: Readonly<Record<string, number>> = { сто: 100, жуз: 100, hundred: 100 };
// "Полтора года" is a year and a half, as "1,5 года" is.
const HALVES: Readonly<Record<string, number>> = { полтора: 1.5, полторы: 1.5 };

interface Word {
  form: string;
  start: number;
  end: number;
}

const wordsWithPlaces = (text: string): Word[] =>
  [...text.matchAll(/\p{L}+/gu)].map((m) => ({ form: normalizeForMatch(m[0]), start: m.index, end: m.index + m[0].length }));

// Between two words of one number only a space or a hyphen: "twenty-five", "двадцать пять".
const joined = (text: string, left: Word, right: Word | undefined): right is Word =>
  right !== undefined && /^[\s\-‐–]*$/.test(text.slice(left.end, right.start));

// Russian "он" (he) is a number only where Kazakh makes it one: before a unit ("он жеті") or an
// age word ("он жаста", "он айлық").
const isKazakhTenAlone = (next: Word | undefined): boolean => next !== undefined && /^(жас|ай$|айда$|айлык)/.test(next.form);

/** The number some words starting at `i` spell, and how many words it takes. */
function numberAt(text: string, words: Word[], i: number): { value: number; count: number } | null {
  const word = words[i];
  if (!word) return null;
  const next = words[i + 1];
  const nextJoined = joined(text, word, next);
  if (HUNDREDS[word.form] !== undefined) return { value: 100, count: 1 };
  // "one hundred", "бір жүз".
  if (UNITS[word.form] === 1 && nextJoined && HUNDREDS[next.form] !== undefined) return { value: 100, count: 2 };
  const tens = TENS[word.form];
  if (tens !== undefined) {
    const unit = nextJoined ? UNITS[next.form] : undefined;
    if (unit !== undefined && unit > 0) return { value: tens + unit, count: 2 };
    if (word.form === 'он' && !isKazakhTenAlone(nextJoined ? next : undefined)) return null;
    return { value: tens, count: 1 };
  }
  const single = TEENS[word.form] ?? UNITS[word.form];
  return single === undefined ? null : { value: single, count: 1 };
}

// A half after a number: "3 с половиной года", "3 жарым жаста", "3 and a half years"; and half a
// year, a baby's age ("ему полгода") as much as a time ("полгода назад").
const AND_A_HALF_WORDS = '(?:с половиной|жарым|and a half)(?!\\p{L})';
const AND_A_HALF = new RegExp(`(?<![\\d.,])(\\d{1,3})\\s+${AND_A_HALF_WORDS}`, 'giu');
const HALF_AFTER = new RegExp(`^\\s+${AND_A_HALF_WORDS}`, 'iu');
// "Полгода", "полгодика", "пол года", "half a year".
const HALF_A_YEAR = /(?<!\p{L})(?:пол ?год(?:а|ика)|half a year)(?!\p{L})/giu;

/**
 * A spelled number that counts something is left a word, so it does not stand next to the age as
 * a second one: people ("два сына", "екі балам", "two kids"), and "one" anything but years or
 * months: "один", "бір" and "one" are articles as often as numbers ("бір балам 7 жаста", "one
 * thing", "у меня один сын"). Before a unit ("один год", "бір жас"), at the end of its part of
 * the sentence ("one", "мне двадцать пять") or before any other word, a number is written as digits.
 */
function isCount(text: string, value: number, last: Word, next: Word | undefined): boolean {
  if (!joined(text, last, next) || unitAfter([next.form]) !== null) return false;
  // "Бір жарым жаста", "one and a half years": the half needs its number.
  if (HALF_AFTER.test(text.slice(last.end))) return false;
  return value === 1 || isPersonWord(next.form);
}

// A number and its unit in one Russian word: "пятилетний", "семилетняя", "трёхмесячный",
// "годовалый" (a year old), "полуторагодовалый". The number is the genitive that starts it.
const COMPOUND = /^(\p{L}*?)(летн|месячн|годовал)\p{L}*$/u;
const COMPOUND_UNITS: Readonly<Record<string, string>> = { летн: 'летний', месячн: 'месячный', годовал: 'годовалый' };
const COMPOUND_NUMBERS: Readonly<Record<string, number>> = { одно: 1, полу: 0.5, полутора: 1.5, девяносто: 90, сто: 100 };

/** "Пятилетний" as "5 летний", "годовалый" as "1 годовалый"; null for other words ("летний лагерь"). */
function compoundAge(form: string): string | null {
  const [, head = '', stem = ''] = COMPOUND.exec(form) ?? [];
  const value = head === '' && stem === 'годовал' ? 1 : (COMPOUND_NUMBERS[head] ?? UNITS[head] ?? TEENS[head] ?? TENS[head]);
  return value === undefined || !stem ? null : `${String(value)} ${COMPOUND_UNITS[stem] ?? ''}`;
}

/** The text with the numbers spelled in words written as digits: "мне двадцать пять" → "мне 25". */
export function spelledNumbersAsDigits(text: string): string {
  return wordsAsDigits(text).replace(AND_A_HALF, '$1.5').replace(HALF_A_YEAR, '6 месяцев');
}

function wordsAsDigits(text: string): string {
  const words = wordsWithPlaces(text);
  let out = '';
  let copied = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const compound = compoundAge(word.form);
    if (compound !== null) {
      out += `${text.slice(copied, word.start)}${compound}`;
      copied = word.end;
      continue;
    }
    const half = HALVES[word.form];
    const number = half === undefined ? numberAt(text, words, i) : { value: half, count: 1 };
    if (!number) continue;
    const last = words[i + number.count - 1]!;
    if (isCount(text, number.value, last, words[i + number.count])) continue;
    out += `${text.slice(copied, word.start)}${String(number.value)}`;
    copied = last.end;
    i += number.count - 1;
  }
  return out + text.slice(copied);
}

/**
 * The number a text spells and nothing else ("два", "two", "екі", "eki"), or null: a number the
 * caller may read as a button's number as well as an age.
 */
export function numberSpelledAlone(typed: string): number | null {
  const spelled = [typed, latinKazakhToCyrillic(typed)].map((text) => spelledNumbersAsDigits(text).trim());
  const alone = /\p{L}/u.test(typed) ? spelled.find((text) => /^\d+$/.test(text)) : undefined;
  return alone === undefined ? null : Number(alone);
}
