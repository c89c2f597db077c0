// What a person types at "who needs help" when it is no age and no button: how the one who needs
// help is ("ему за 2 года стало хуже", "over the last 2 years he got worse", "соңғы 2 жылда
// нашарлады", "сын не ходит", "ұлым сөйлемейді") or who the parent is ("я мама двоих детей",
// "I am a mother of 2", "мен 3 баланың анасымын"). That is an answer to the question, though not
// one the step can take, and no question for the knowledge base: a search would find an entry
// that shares a word with it ("years", "ребёнок") and answer something nobody asked. A text that
// asks ("?", "как…", "қалай…", "…ма"; typed-question.ts) is a question all the same. Words as
// normalizeForMatch leaves them (see typed-age-words.ts).

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
