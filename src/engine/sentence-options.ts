import { namesOtherTime, saysBusyAt } from '../domain/typed-busy.js';
import { isCondition, isDoubtAt, isNegationAt, isWithout } from '../domain/typed-negation.js';
import { isClearlyAQuestion } from '../domain/typed-question.js';
import { wordKeys } from '../domain/word-keys.js';
import type { ShownOption } from './options.js';
import { keysOf, labelKeys, labelSaysNot, vagueKeys, wordsOf } from './sentence-keys.js';
import type { SentenceRules } from './types.js';

/**
 * More words than this tell a story rather than answer the step: an option's word in it may be
 * about anything. The longest answer people write to "when can you help" is about a dozen words
 * ("I work during the week so I can usually help on weekends").
 */
const MAX_WORDS = 20;
/** Past this many characters the words are not even looked at (a pasted page, 10,000 letters). */
const MAX_CHARS = 600;

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

const textsOf = (option: ShownOption): string[] => [option.label, ...(option.aliases ?? [])];

// "Наверное", "может быть", "maybe", "probably", "мүмкін", "шамасы", "бәлкім" with one option
// named are taken as that option, as a person at a desk would write it down: the doubt is about
// the person's own plans (every answer to "when can you help" is a guess at the future), not
// about which button they mean. Asking again would get the same "maybe" back or force a
// certainty they do not have, and the answer can be changed later like any other. A doubt about
// the answer itself ("не знаю", "not sure", "idk") or a hedged "not" ("наверное не смогу")
// is a negation and asks again.

/**
 * The one option whose own words a typed sentence uses ("могу помогать по выходным", "I can help
 * on weekends", "демалыс күндері көмектесе аламын"), in any of the three languages and the forms
 * words take in a sentence. A word counts only if no other option shown has it: "күндері" is in
 * both "Жұмыс күндері" and "Демалыс күндері", so only "демалыс" tells them apart. Null for a
 * text that asks (the knowledge base takes it), names no option or two ("weekends and
 * evenings"), or is too long to be an answer. A "not" or an "if" the option's own words do not
 * have ("No special skills" has its "no") leaves the answer unclear.
 */
export function optionInSentence(typed: string, shown: ShownOption[], rules: SentenceRules = {}): SentenceReading | null {
  if (typed.length > MAX_CHARS) return null;
  const words = wordsOf(typed);
  if (words.length === 0 || words.length > MAX_WORDS || isClearlyAQuestion(typed)) return null;
  const typedKeys = new Set(keysOf(words, vagueKeys(rules.vague)).flat());
  const optionWords = shown.map((option) => textsOf(option).flatMap((text) => labelKeys(text, rules.vague)));
  const optionKeys = optionWords.map((keys) => new Set(keys.flat()));
  // A word of the option's own: none of its keys is another option's ("жастан" of "18 жастан
  // бастап" has the Kazakh stem of "18 жасқа дейін", though not its Russian one).
  const own = (keys: string[], index: number) => keys.every((key) => optionKeys.every((other, j) => j === index || !other.has(key)));
  // "No special skills" is named only by a sentence with a "not": "у меня есть навыки" (I have
  // skills) has its "навыки" and says the opposite.
  const saysNot = () => words.some((word, index) => isNegationAt(words, index) || isWithout(word));
  const negative = (option: ShownOption) => textsOf(option).some(labelSaysNot);
  const named = shown.filter(
    (option, index) => optionWords[index]!.some((keys) => own(keys, index) && keys.some((key) => typedKeys.has(key))) && (!negative(option) || saysNot()),
  );
  if (named.length !== 1) return null;
  const option = named[0]!;
  const ownWords = new Set(textsOf(option).flatMap(wordsOf));
  const keys = optionKeys[shown.indexOf(option)]!;
  // "без водительских прав", "without a driving licence": the option is what the person lacks.
  const lacks = (index: number) => isWithout(words[index]!) && words.slice(index + 1, index + 3).some((word) => wordKeys(word).some((key) => keys.has(key)));
  // "2 - по выходным" where button 2 is the evenings: the number and the words disagree.
  const otherNumber = /^\d+$/.test(words[0]!) && Number(words[0]) >= 1 && Number(words[0]) <= shown.length && shown[Number(words[0]) - 1] !== option;
  const busy = rules.times === true && busyAtOption(typed, keys, rules);
  // An option that says "not" itself is named with a "not": "особых навыков не имею", "без
  // особых навыков", "ешқандай арнайы дағдым жоқ", "I don't have any special skills" say it in
  // other words than the label's, "any" with it ("don't have any"). Only a doubt ("не знаю",
  // "not sure") leaves it unclear then.
  const says = negative(option)
    ? (_word: string, index: number) => isDoubtAt(words, index)
    : (word: string, index: number) => isNegationAt(words, index) || lacks(index) || ANY.has(word);
  const unclear = otherNumber || busy || words.some((word, index) => (says(word, index) || isCondition(word)) && !ownWords.has(word));
  return { option, unclear };
}

// Where a sentence's clauses part: "по вечерам, днём работаю" is two of them, and so is
// "weekends because I work during the week" (a "because" or a "so" starts a clause of its own).
const CLAUSE_BREAK = /[,;:.!?…\n()–—]+|\s-\s/u;
const CLAUSE_WORDS = new Set([
  ...['because', 'cause', 'cuz', 'coz', 'since', 'so', 'therefore'],
  ...['потому', 'поскольку', 'ведь', 'поэтому', 'себеби', 'ойткени', 'сондыктан', 'sebebi', 'oitkeni', 'sondyqtan', 'sondyktan'],
]);

/** The words of each clause of a sentence. */
function clausesOf(typed: string): string[][] {
  const clauses: string[][] = [];
  for (const part of typed.split(CLAUSE_BREAK)) {
    let clause: string[] = [];
    for (const word of wordsOf(part)) {
      if (CLAUSE_WORDS.has(word) && clause.length > 0) {
        clauses.push(clause);
        clause = [];
      }
      clause.push(word);
    }
    clauses.push(clause);
  }
  return clauses;
}

/**
 * The person works, studies or is on shift at the time the option names. Work in a clause of its
 * own that names its own time is the reason for the time picked ("по вечерам, днём работаю",
 * "evenings, I work during the day", "кешке, күндіз жұмыстамын", "вечером, работаю до 6"); in
 * the clause naming the option ("по выходным работаю", "I work on weekends") or with no time of
 * its own ("on weekends, I work") it is work then.
 */
function busyAtOption(typed: string, optionKeys: ReadonlySet<string>, rules: SentenceRules): boolean {
  return clausesOf(typed).some((words) => {
    if (!words.some((_word, index) => saysBusyAt(words, index))) return false;
    const namesOption = keysOf(words, vagueKeys(rules.vague)).some((keys) => keys.some((key) => optionKeys.has(key)));
    return namesOption || !words.some(namesOtherTime);
  });
}
