// The words around a number that tell typed-age.ts whether it is someone's age now. Spelled as
// normalizeForMatch leaves them: lowercase, Kazakh letters folded (қ→к, ғ→г, і→и, ұ→у, ү→у),
// punctuation gone ("г.р." is the two words "г р", "2-я" is "2 я"). Words of a time other than
// now are in typed-age-time-words.ts.

import { normalizeForMatch } from './text.js';

export type Unit = 'years' | 'months';

// The word after the number: Russian "лет", "год", "года", "годик", "7-летний"; Kazakh "жас",
// "жаста", "жасар", "жасқа"; English "years", "year-old", "yrs", "y.o."; and Russian cut to a
// letter, as parents type in a hurry: "3г", "3 г.", "5л", "10 л.".
const YEAR_STEMS = ['год', 'лет', 'жас', 'year', 'yr'];
const YEAR_WORDS = new Set(['y', 'yo', 'г', 'л']);
// A baby's age: "8 месяцев", "8 мес", "8 ай", "8 айлық", "8 months", "8 mo".
const MONTH_STEMS = ['мес', 'month', 'айлык'];
// "8 ai", "8 ay": Kazakh typed in Latin letters, read letter by letter (kk-latin.ts).
const MONTH_WORDS = new Set(['ай', 'айда', 'mo', 'mos', 'аи', 'аы']);
// Russian endings written after a number before the unit: "7-ми лет", "5-ти лет", "30-ть лет".
const NUMBER_ENDINGS = new Set(['ми', 'ти', 'ть', 'х']);

function unitOf(word: string | undefined): Unit | null {
  if (word === undefined) return null;
  if (YEAR_WORDS.has(word) || YEAR_STEMS.some((stem) => word.startsWith(stem))) return 'years';
  if (MONTH_WORDS.has(word) || MONTH_STEMS.some((stem) => word.startsWith(stem))) return 'months';
  return null;
}

/** The unit the words after a number give it: "лет", "-ти лет", "months"; null for none. */
export function unitAfter([first, second]: string[]): Unit | null {
  return unitOf(first) ?? (first !== undefined && NUMBER_ENDINGS.has(first) ? unitOf(second) : null);
}

/** "1 год 6 месяцев", "1 year and 6 months": the words between the two numbers. */
export const isYearsAndMonthsJoint = ([unit, ...joint]: string[]): boolean =>
  unitOf(unit) === 'years' && joint.length <= 1 && joint.every((word) => ['и', 'and', 'жане'].includes(word));

// Words that make a number in a sentence someone's age without a unit: "мне 45", "my daughter is
// 12", "сыну 7", "ұлым 7", "жасы 70". Whole words, and stems for Russian nouns that take case
// endings (сын, сыну, сына, сынок).
const PERSON_WORDS = new Set([
  ...['i', 'im', 'me', 'my', 'he', 'she', 'hes', 'shes', 'him', 'her', 'age', 'aged'],
  ...['son', 'daughter', 'child', 'kid', 'boy', 'girl', 'baby', 'husband', 'wife', 'mother', 'mom', 'mum'],
  ...['father', 'dad', 'grandmother', 'grandfather', 'grandma', 'grandpa', 'granny', 'brother', 'sister'],
  ...['grandson', 'granddaughter'],
  ...['я', 'мне', 'мой', 'моя', 'моему', 'моей', 'моего', 'он', 'она', 'ему', 'ей', 'его', 'ее', 'муж', 'мужу', 'жена', 'жене'],
  ...['мать', 'матери', 'отец', 'отцу', 'исполнилось'],
  // Which of the children: "мама двоих, младшему 5", "the youngest is 5", "кішісі 5 жаста".
  ...['младший', 'младшему', 'младшая', 'младшей', 'старший', 'старшему', 'старшая', 'старшей', 'youngest', 'oldest', 'eldest'],
  ...['кишиси', 'кишисине', 'улкени', 'улкенине'],
  ...['мен', 'маган', 'менин', 'ол', 'оган', 'оны', 'улым', 'улыма', 'улымыз', 'кызым', 'кызыма', 'кызымыз'],
  ...['анам', 'анама', 'акем', 'акеме', 'ажем', 'ажеме', 'атам', 'атама', 'апам', 'апама', 'агам', 'агама', 'иним', 'инима'],
  ...['апкем', 'апкеме', 'карындасым', 'карындасыма'],
  ...['синлим', 'синлиме', 'бауырым', 'бауырыма', 'куйеуим', 'куйеуиме', 'айелим', 'айелиме', 'жубайым'],
]);
const PERSON_STEMS = [
  ...['сын', 'доч', 'ребен', 'малыш', 'мальчик', 'девоч', 'внук', 'внучк', 'бабушк', 'дедушк', 'мам', 'пап'],
  ...['брат', 'сестр', 'возраст', 'бала', 'немере', 'жас'],
];

export const isPersonWord = (word: string): boolean => PERSON_WORDS.has(word) || PERSON_STEMS.some((stem) => word.startsWith(stem));

export const startsWithAny = (stems: string[]) => (word: string) => stems.some((stem) => word.startsWith(stem));

// A disability group: "2 группа", "группа 2", "2-я группа", "group 2", "мүгедектігі 2 топ", "тобы 2".
// Groups are numbered 1 to 3, as ages are, so the number says nothing; the word next to it does.
// "Гр." after a group's number ("3 гр."); after four digits it is "г.р." (saysBorn reads that first).
const isGroupWord = (word: string): boolean => word === 'гр' || startsWithAny(['групп', 'group', 'топ', 'тоб'])(word);
// Ordinal endings between a group's number and the word: "2-я", "2-ой", "2nd", "2-ші".
const ORDINAL_ENDINGS = new Set(['я', 'ая', 'й', 'ий', 'ой', 'nd', 'st', 'rd', 'th', 'ши', 'шы', 'инши', 'ыншы']);

/**
 * A number with "group" right before or right after it (the words next to it, without others).
 * With a unit after it, "group" before it is another number's: "инвалид 1 группы 45 лет" is 45.
 */
export function isGroupNumber(before: string[], after: string[]): boolean {
  const next = after[0] !== undefined && ORDINAL_ENDINGS.has(after[0]) ? after[1] : after[0];
  const previous = unitAfter(after) === null ? before.at(-1) : undefined;
  return [previous, next].some((word) => word !== undefined && isGroupWord(word));
}

// Right before a number, a word that makes it an age at another time, not the age now: "с 3 лет",
// "от 3 лет", "в 2 года заболел", "до 18", "за 2 года", "for 2 years", "since 2015", "за последние
// 2 года", "in the last 2 years", "соңғы 2 жылда". Unless the age is said as an adjective: "с
// 7-летним сыном", "for a 7 year old".
export const ANOTHER_TIME_BEFORE = new Set([
  ...['с', 'со', 'от', 'в', 'во', 'до', 'после', 'через', 'за', 'последние', 'последних', 'сонгы'],
  ...['for', 'since', 'from', 'in', 'at', 'after', 'during', 'within', 'last', 'past'],
]);
// Right before a number, a bound that still tells which side of 18 someone is: "почти 7 лет",
// "более 60 лет", "старше 18", "under 18", "almost 18". Not after a word of time: "for over 2
// years", "уже более 2 лет" is how long, as "за 2 года" is. "За" is a bound after a word about a
// person: "мне за 60", "ему за 70".
export const BOUND_BELOW = new Set(['почти', 'младше', 'менее', 'меньше', 'under', 'almost', 'nearly']);
export const BOUND_ABOVE = new Set(['старше', 'более', 'больше', 'over']);
const TIME_WORDS = new Set([...ANOTHER_TIME_BEFORE, 'уже', 'already']);

/** A bound right before the number: 'below' ("almost 18") or 'above' ("за 60"); null for none. */
export function boundBefore(clauseBefore: string[]): 'below' | 'above' | null {
  const previous = clauseBefore.at(-1);
  const beforeThat = clauseBefore.at(-2);
  // "Не младше 18", "not over 18" turn the bound round: too rare an answer to read, so no age.
  if (previous === undefined || (beforeThat !== undefined && (TIME_WORDS.has(beforeThat) || ['не', 'not'].includes(beforeThat)))) return null;
  if (BOUND_BELOW.has(previous)) return 'below';
  if (BOUND_ABOVE.has(previous) || (previous === 'за' && clauseBefore.slice(0, -1).some(isPersonWord))) return 'above';
  return null;
}
// Not yet the number: "ему ещё нет 18", "ей не исполнилось 18", "сыну скоро 18", "в мае будет 18",
// "he will be 18", "not yet 18", "18 жасқа толмаған", "18 жас толады", "18 years old next month".
// Said around 18 most of all, so read as just below it, as "почти 18" is. "Не" only before the
// number: after it, it belongs to another verb ("мне 18 лет не работаю").
const NOT_YET_BEFORE = new Set(['нет', 'не', 'будет', 'исполнится', 'скоро', 'not', 'will', 'soon', 'turning', 'turns', 'yet']);
const NOT_YET_AFTER = new Set(['будет', 'исполнится', 'next', 'soon']);
const isKazakhNotYet = startsWithAny(['толмаг', 'толмад', 'толмай', 'жетпег', 'жетпед', 'толад', 'толмак']);

/** Words right around a number that say the person has not reached it yet. */
export function notYetReached(clauseBefore: string[], clauseAfter: string[]): boolean {
  const [beforeThat, previous] = clauseBefore.slice(-2);
  // "he'll be 18", "she'll be 18" (the apostrophe is gone: "hell be").
  if (previous === 'be' && beforeThat?.endsWith('ll')) return true;
  if (clauseBefore.slice(-2).some((word) => NOT_YET_BEFORE.has(word))) return true;
  // "18 ещё нет", "18 лет нет": only as the end of its part of the sentence ("18 лет нет работы" is not).
  if (clauseAfter.at(-1) === 'нет' && clauseAfter.length <= 3) return true;
  return clauseAfter.slice(0, 3).some((word) => NOT_YET_AFTER.has(word) || isKazakhNotYet(word));
}
// A year of birth: "2015 года рождения", "родился в 2015", "born in 2015", "2015 жылы туған",
// "2015 жылы туылған", and the short forms "2015 г.р.", "2015 гр", "2015 ж.т.".
const isBirthWord = startsWithAny(['рожд', 'родил', 'родивш', 'born', 'туган', 'туыл']);
const BIRTH_SHORT = new Set(['р', 'гр', 'т']);

/** Words next to a number that make it a year of birth (the caller checks it has four digits). */
export const saysBorn = (clauseBefore: string[], clauseAfter: string[]): boolean =>
  [...clauseBefore.slice(-2), ...clauseAfter.slice(0, 3)].some(isBirthWord) || clauseAfter.slice(0, 2).some((word) => BIRTH_SHORT.has(word));

// Words that say the number is not exact, and change nothing about it: "около 60", "примерно 7",
// "где-то 7", "шамамен 7 жаста", "about 7", "around 60".
const APPROXIMATELY = new Set(['около', 'примерно', 'приблизительно', 'шамамен', 'шамасы', 'шамалы', 'about', 'around', 'approximately', 'approx', 'roughly']);

/** The words of a text as normalizeForMatch leaves them, without the words of an approximation. */
export const approximationsLeftOut = (text: string): string[] =>
  normalizeForMatch(text)
    .replace(/(^| )где то(?= |$)/g, '$1')
    .split(' ')
    .filter((word) => word && !APPROXIMATELY.has(word));

// After a date of birth, the words of its year: "12.05.2015 г.", "12 мамыр 2015 ж.", "DOB 12.05.2015".
const DATE_MARKERS = new Set(['г', 'гг', 'год', 'года', 'ж', 'жыл', 'жылы', 'year', 'dob', 'др']);
export const isDateMarker = (word: string): boolean => DATE_MARKERS.has(word);
