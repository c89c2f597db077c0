// Whether a typed text asks something, though it may have no question mark: people on phones
// leave it out, and Kazakh asks with a particle instead. Used where a form wants a tap and gets
// words: a question goes to the knowledge base (src/app/router.ts), an answer to the step.
// Words as normalizeForMatch leaves them.

import { normalizeForMatch } from './text.js';

// A question word first: "как оформить…", "где…", "қалай…", "қайда…", "how do I…", "can I…".
// Not the Kazakh "не" (what): it is the Russian "not" too ("не ходит").
const QUESTION_FIRST = new Set([
  ...['как', 'где', 'куда', 'откуда', 'что', 'чем', 'чего', 'зачем', 'почему', 'когда', 'сколько', 'кто', 'кому'],
  ...['какой', 'какая', 'какое', 'какие', 'каких', 'какую', 'каким', 'можно'],
  ...['калай', 'кайда', 'кайдан', 'кашан', 'кандай', 'канша', 'неше', 'неге', 'ким', 'кимге', 'кай'],
  ...['how', 'where', 'what', 'when', 'which', 'who', 'whom', 'why'],
]);
// English asks with an auxiliary before its subject ("can I…", "is it…"); without one after it the
// auxiliary says something: "can drive", "is ok", "will do", at a step asking what someone can do.
const AUXILIARIES = new Set(['can', 'could', 'is', 'are', 'am', 'do', 'does', 'did', 'should', 'will', 'would', 'may']);
const SUBJECTS = new Set([
  ...['i', 'you', 'he', 'she', 'it', 'we', 'they', 'my', 'your', 'his', 'her', 'our', 'their', 'there', 'this', 'that'],
  ...['these', 'those', 'the', 'a', 'an', 'someone', 'anyone', 'somebody', 'anybody', 'parents', 'children', 'people'],
]);
// A question word made "any" by the word after it is an answer: "кто угодно", "как получится",
// "қалай болса да" (however it is), "when possible", "where needed".
const MADE_ANY_BY = new Set([
  ...['угодно', 'нибудь', 'либо', 'попало', 'удобно', 'получится'],
  ...['болса', 'болсын'],
  ...['possible', 'needed', 'necessary', 'convenient', 'ever'],
]);
// Whole short answers that start with a question word: "как есть" (as it is).
const ANSWERS = new Set(['как есть']);
// Kazakh asks with a particle at the end, often without a question mark: "…ала ма", "…бола ма екен".
const KAZAKH_PARTICLES = new Set(['ма', 'ме', 'ба', 'бе', 'па', 'пе']);

// Asking what to do, often after saying how the person is and without a question mark: "сын не
// ходит, что делать", "нашарлады, не істеу керек", "he got worse, what should I do".
const ASKS_WHAT_TO_DO = [
  ...['что делать', 'что нам делать', 'что мне делать', 'как быть', 'куда обращаться', 'куда обратиться', 'куда идти'],
  ...['не истеу керек', 'не истеймиз', 'не истеймин', 'кайда бару керек', 'кайда баруга', 'кайда хабарласу'],
  ...['what to do', 'what should', 'what can', 'where to go', 'who to contact'],
  // "What is X", "what does X need" in Kazakh ask with "не" after the thing: "грант деген не",
  // "грант алу үшін не керек". The Russian "не" comes before its verb, never before "керек".
  ...['деген не', 'дегенимиз не', 'деген кандай', 'не керек', 'не кажет', 'не истеу'],
  // Asking to be told: "расскажите про грант", "хочу узнать про микрокредит", "tell me about…".
  ...['расскажите', 'расскажи', 'подскажите', 'подскажи', 'объясните', 'объясни', 'хочу узнать', 'хотел узнать', 'хотела узнать'],
  ...['айтынызшы', 'айтып бериниз', 'айтып бериниздерши', 'тусиндириниз', 'тусиндирип бериниз', 'билгим келеди', 'туралы акпарат'],
  ...['tell me', 'explain', 'i want to know', 'i would like to know', 'id like to know', 'more about', 'information about', 'info about'],
];
// Kazakh puts its question word before the verb, after what it asks about: "микрокредитті кім
// алады", "грантты қайдан алуға болады". Anywhere in the text, unless "any" follows ("кім болса да").
const KAZAKH_QUESTION_WORDS = new Set(['калай', 'кайда', 'кайдан', 'кашан', 'кандай', 'канша', 'неше', 'неге', 'ким', 'кимге', 'кимнин']);

/**
 * The text asks something: a question mark, a question word first, "ли", a Kazakh particle last,
 * or words that ask what to do anywhere in it.
 */
export function isClearlyAQuestion(typed: string): boolean {
  if (/[?？]/.test(typed)) return true;
  const normalized = normalizeForMatch(typed);
  if (ASKS_WHAT_TO_DO.some((phrase) => ` ${normalized} `.includes(` ${phrase} `))) return true;
  if (ANSWERS.has(normalized)) return false;
  const words = normalized.split(' ').filter(Boolean);
  const [first, second] = words;
  if (words.some((word, i) => KAZAKH_QUESTION_WORDS.has(word) && !MADE_ANY_BY.has(words[i + 1] ?? ''))) return true;
  if (first !== undefined && QUESTION_FIRST.has(first) && !(second !== undefined && MADE_ANY_BY.has(second))) return true;
  // "Does not walk", "is not walking", "can drive" say how someone is or what they can do.
  if (first !== undefined && AUXILIARIES.has(first) && second !== undefined && SUBJECTS.has(second)) return true;
  const last = words.at(-1) === 'екен' ? words.at(-2) : words.at(-1);
  return words.includes('ли') || (words.length > 1 && last !== undefined && KAZAKH_PARTICLES.has(last));
}
