// What a person types at "who needs help" when it is no age and no button: how the one who needs
// help is ("ему за 2 года стало хуже", "over the last 2 years he got worse", "соңғы 2 жылда
// нашарлады", "сын не ходит", "ұлым сөйлемейді") or who the parent is ("я мама двоих детей",
// "I am a mother of 2", "мен 3 баланың анасымын"). That is an answer to the question, though not
// one the step can take, and no question for the knowledge base: a search would find an entry
// that shares a word with it ("years", "ребёнок") and answer something nobody asked. A text that
// asks ("?", "как…", "қалай…", "…ма") is a question all the same. Words as normalizeForMatch
// leaves them (see typed-age-words.ts).

import { normalizeForMatch } from './text.js';
import { countsChildren } from './typed-age-counts.js';
import { spelledNumbersAsDigits } from './typed-age-numbers.js';
import { startsWithAny } from './typed-age-words.js';

// Getting worse or better, ill, a diagnosis: "стало хуже", "ухудшилось", "болеет", "ДЦП",
// "нашарлады", "ауырады", "церебральды сал", "got worse", "autism", "after a stroke".
const isConditionWord = startsWithAny([
  ...['хуже', 'ухудш', 'улучш', 'болеет', 'болеем', 'болею', 'болен', 'больна', 'дцп', 'аутизм', 'аутист'],
  ...['эпилеп', 'инсульт', 'паралич', 'парализ', 'лежач', 'незряч', 'слепо', 'глухо', 'синдром'],
  ...['нашарла', 'ауырад', 'ауырып', 'аурулы', 'церебрал', 'журмейд', 'сойлемейд', 'кормейд', 'естимейд'],
  ...['worse', 'deteriorat', 'autism', 'autistic', 'cerebral', 'palsy', 'stroke', 'paraly', 'epilep', 'bedridden'],
]);
const CONDITION_WORDS = new Set(['болел', 'болела', 'ауру', 'ауруы', 'ill', 'sick', 'blind', 'deaf']);
// What someone cannot do, said with the verb: "не ходит", "плохо говорит", "жүре алмайды", "can't
// walk", "does not talk", "unable to walk".
const CANNOT = new Set(['не', 'плохо', 'cant', 'cannot', 'not', 'unable', 'doesnt', 'barely']);
const isAbility = startsWithAny([
  ...['ходит', 'ходят', 'говорит', 'разговарива', 'видит', 'слышит', 'сидит', 'встает', 'держит'],
  ...['walk', 'talk', 'speak', 'see', 'hear', 'sit', 'stand'],
]);
const cannot = (words: string[], i: number): boolean => {
  const word = words[i] ?? '';
  const next = words[i + 1] === 'to' ? words[i + 2] : words[i + 1];
  return (CANNOT.has(word) && next !== undefined && isAbility(next)) || (word === 'алмайды' && i > 0);
};

/** The text says how the one who needs help is, or how many children the parent typing has. */
export function saysHowThePersonIs(typed: string): boolean {
  const words = normalizeForMatch(spelledNumbersAsDigits(typed)).split(' ').filter(Boolean);
  return words.some((word, i) => isConditionWord(word) || CONDITION_WORDS.has(word) || cannot(words, i)) || countsChildren(words);
}

// A question word first: "как оформить…", "где…", "қалай…", "қайда…", "how do I…", "can I…".
// Not the Kazakh "не" (what): it is the Russian "not" too ("не ходит").
const QUESTION_FIRST = new Set([
  ...['как', 'где', 'куда', 'откуда', 'что', 'чем', 'чего', 'зачем', 'почему', 'когда', 'сколько', 'кто', 'кому'],
  ...['какой', 'какая', 'какое', 'какие', 'каких', 'какую', 'каким', 'можно'],
  ...['калай', 'кайда', 'кайдан', 'кашан', 'кандай', 'канша', 'неше', 'неге', 'ким', 'кимге', 'кай'],
  ...['how', 'where', 'what', 'when', 'which', 'who', 'whom', 'why', 'can', 'could', 'is', 'are', 'am'],
  ...['do', 'does', 'did', 'should', 'will', 'would', 'may'],
]);
// Kazakh asks with a particle at the end, often without a question mark: "…ала ма", "…бола ма екен".
const KAZAKH_PARTICLES = new Set(['ма', 'ме', 'ба', 'бе', 'па', 'пе']);

// Asking what to do, often after saying how the person is and without a question mark: "сын не
// ходит, что делать", "нашарлады, не істеу керек", "he got worse, what should I do".
const ASKS_WHAT_TO_DO = [
  ...['что делать', 'что нам делать', 'что мне делать', 'как быть', 'куда обращаться', 'куда обратиться', 'куда идти'],
  ...['не истеу керек', 'не истеймиз', 'не истеймин', 'кайда бару керек', 'кайда баруга', 'кайда хабарласу'],
  ...['what to do', 'what should', 'what can', 'where to go', 'who to contact'],
];

/**
 * The text asks something: a question mark, a question word first, "ли", a Kazakh particle last,
 * or words that ask what to do anywhere in it.
 */
export function isClearlyAQuestion(typed: string): boolean {
  if (/[?？]/.test(typed)) return true;
  const normalized = normalizeForMatch(typed);
  if (ASKS_WHAT_TO_DO.some((phrase) => ` ${normalized} `.includes(` ${phrase} `))) return true;
  const words = normalized.split(' ').filter(Boolean);
  const [first, second] = words;
  // "Does not walk", "is not walking" say how someone is.
  if (first !== undefined && QUESTION_FIRST.has(first) && second !== 'not') return true;
  const last = words.at(-1) === 'екен' ? words.at(-2) : words.at(-1);
  return words.includes('ли') || (words.length > 1 && last !== undefined && KAZAKH_PARTICLES.has(last));
}
