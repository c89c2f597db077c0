// Words around a number that make it a time other than now, not someone's age: "3 года назад",
// "3 жыл бұрын", "уже 2 года болеет", "за 2 года стало хуже", "over 2 years he got worse". Spelled
// as normalizeForMatch leaves them (see typed-age-words.ts).

import { ANOTHER_TIME_BEFORE, BOUND_ABOVE, BOUND_BELOW, boundBefore, isPersonWord, startsWithAny, unitAfter } from './typed-age-words.js';

const isBoundWord = (word: string): boolean => BOUND_BELOW.has(word) || BOUND_ABOVE.has(word);
const isAgeAdjective = (word: string): boolean => ['old', 'yo'].includes(word) || startsWithAny(['летн', 'месячн', 'годовал', 'жасар'])(word);
// The age said as an adjective of a person ("с 7-летним сыном"), not of an age, which is a time
// ("с 5-летнего возраста болеет" is since then).
const saysAgeAsAdjective = (clauseAfter: string[]): boolean =>
  clauseAfter.slice(0, 3).some(isAgeAdjective) && !clauseAfter.slice(0, 3).some(startsWithAny(['возраст']));
// In the same part of the sentence, after the number: "3 года назад", "3 years ago", "3 жыл бұрын".
const AGO_AFTER = new Set(['ago', 'назад', 'тому', 'бурын']);
// Right after the number or its unit: "3 жастан бері", "3 жасынан бастап", "3 жыл бойы", "2 жыл
// ішінде" (within). Further on they belong to another word: "7 жаста туғаннан бері" is 7, ill
// "since birth".
const SINCE_AFTER = new Set(['бери', 'бастап', 'бойы', 'ишинде']);
// Being ill for a time: "уже 2 года болеет", "болеет 2 года", "болеем с 3 лет", "ауырып жүр".
// "Ему уже 2 года" stays an age: "уже" alone says nothing.
const isIllnessVerb = startsWithAny(['болеет', 'болеем', 'болею', 'болел', 'страда', 'ауырад', 'ауырып']);
// Kazakh forms only an age takes: "7 жаста", "45 жастамын", "7 жастағы" (not "3 жастан", from 3).
const isKazakhAgeForm = (word: string): boolean => word === 'жаста' || /^жаста[мсг]/.test(word);

// "Я 2 года болею", "он 3 года болеет", "ол 3 жыл ауырады": the one who is ill, then how long.
const SUBJECT_PRONOUNS = new Set(['я', 'он', 'она', 'мы', 'i', 'he', 'she', 'we', 'мен', 'ол', 'биз']);

/**
 * Said as someone's age: a person right before the number ("сын 7 лет", "мне 60") or a form only
 * an age takes right after it ("7 жаста", "7-летний"). An illness next to it is what they have,
 * not for how long: "ребенок 5 лет болеет аутизмом", "ұлым 7 жаста ауырады".
 */
function saidAsAge(clauseBefore: string[], clauseAfter: string[]): boolean {
  const previous = clauseBefore.at(-1);
  const person = previous !== undefined && isPersonWord(previous) && !SUBJECT_PRONOUNS.has(previous);
  return person || clauseAfter.slice(0, 3).some(isKazakhAgeForm) || saysAgeAsAdjective(clauseAfter);
}

/**
 * The number is a time ago, a duration or a bound: words right before it, or in its part of the
 * sentence (up to a comma or full stop) before or after it.
 */
export function isAnotherTime(clauseBefore: string[], clauseAfter: string[]): boolean {
  const previous = clauseBefore.at(-1);
  const timeBefore = previous !== undefined && (ANOTHER_TIME_BEFORE.has(previous) || isBoundWord(previous)) && !boundBefore(clauseBefore);
  if (timeBefore && !saysAgeAsAdjective(clauseAfter)) return true;
  if (changedOverTime(clauseBefore, clauseAfter)) return true;
  if (clauseAfter.some((word) => AGO_AFTER.has(word)) || clauseAfter.slice(0, 2).some((word) => SINCE_AFTER.has(word))) return true;
  return [...clauseBefore, ...clauseAfter].some(isIllnessVerb) && !saidAsAge(clauseBefore, clauseAfter);
}

// What happened over the time: "ему за 2 года стало хуже", "over 2 years he got worse" (Kazakh
// says "2 жыл ішінде", which SINCE_AFTER has). Said with "за" or "over" and no change, a number of
// years after a person is a bound ("ему за 70 лет").
const isChangeWord = startsWithAny([
  ...['стал', 'ухудш', 'улучш', 'хуже', 'лучше', 'измени', 'похуд', 'вырос', 'переста', 'начал', 'потерял', 'набрал'],
  ...['нашарла', 'жаксар', 'озгер'],
  ...['got', 'get', 'became', 'become', 'worse', 'better', 'deteriorat', 'improv', 'grew', 'lost', 'gained', 'started', 'stopped', 'changed'],
]);

/** "За 2 года" or "over 2 years" with a change in its part of the sentence: how long, not an age. */
function changedOverTime(clauseBefore: string[], clauseAfter: string[]): boolean {
  const previous = clauseBefore.at(-1);
  return (previous === 'за' || previous === 'over') && unitAfter(clauseAfter) !== null && [...clauseBefore, ...clauseAfter].some(isChangeWord);
}
