// "By the way, I work then": a time named in an answer to "when can you help" with the person's
// work, studies or shift ("по выходным работаю", "I work on weekends", "демалыс күндері жұмыс
// істеймін") is when they are NOT free. Words as normalizeForMatch leaves them (Kazakh letters
// folded onto Russian ones: "жұмыс" is "жумыс"). Read only at steps whose options are times: "I
// work in IT" answers "which sector" and "работаю с животными" answers "what would you help with".

import { foldKazakh } from './kk-stemmer.js';
import { latinKazakhToCyrillic } from './kk-latin.js';

// Said of oneself now, not "могу работать" (I can work: the volunteering) nor "после работы".
const RUSSIAN_BUSY = new Set([
  ...['работаю', 'работаем', 'работает', 'работают', 'работа', 'работе', 'подрабатываю', 'тружусь'],
  ...['учусь', 'учимся', 'учится', 'учатся', 'учеба', 'учебе', 'пары', 'парах', 'лекции', 'уроки'],
  ...['смена', 'смене', 'дежурю', 'дежурим', 'дежурство', 'дежурстве'],
]);
const ENGLISH_BUSY = new Set([
  ...['work', 'works', 'working', 'job', 'office', 'shift', 'shifts', 'duty', 'occupied'],
  ...['study', 'studies', 'studying', 'school', 'college', 'university', 'uni', 'class', 'classes', 'lectures'],
]);
// Before the word, the time is free after all: "after work", "free from work", "I could work on
// weekends", "happy to work" (the volunteering is the work), "после работы" has its own case.
const FREE_BEFORE = new Set([
  ...['after', 'before', 'from', 'off', 'outside', 'besides', 'can', 'could', 'will', 'll', 'would', 'able', 'free'],
  ...['want', 'ready', 'happy', 'glad', 'willing', 'like', 'love', 'после', 'до', 'кроме', 'без', 'вне'],
]);

// Kazakh, in Cyrillic or in Latin letters turned Cyrillic: "жұмыстамын" (I am at work),
// "жұмыстамн" typed short, "оқимын" (I study), "оқып жүрмін", "оқудамын", "сабақтамын" (I am in
// class), "кезекшілікте" (on duty), "сменадамын". Not "жұмыстан кейін" (after work).
const KAZAKH_BUSY = /^(?:жумыста(?:мын|мн|м|мыз|пын)?|окимын|окимин|окимн|окимыз|окып|окудамын|сабактамын|сабакта|сабактамыз|кезекшиликте|кезекшимин|сменада|сменадамын)$/;
// "жұмыс істеймін", "жұмыс жасаймын" (I work): the verb alone is "I do", so only after "жұмыс".
const KAZAKH_WORK_VERB = /^(?:исте[йиы]|жаса[йиы])(?:мын|мин|мн|м|мыз|миз|ды|ди|д)$/;

const asFoldedKazakh = (word: string): string => foldKazakh(latinKazakhToCyrillic(word));

/** The word at `index` says the person works, studies or is on shift: the time named is not free. */
export function saysBusyAt(words: readonly string[], index: number): boolean {
  const word = words[index] ?? '';
  const before = words.slice(Math.max(0, index - 2), index);
  if (before.some((earlier) => FREE_BEFORE.has(earlier))) return false;
  if (RUSSIAN_BUSY.has(word) || ENGLISH_BUSY.has(word)) return true;
  const kazakh = asFoldedKazakh(word);
  if (KAZAKH_BUSY.test(kazakh)) return true;
  return KAZAKH_WORK_VERB.test(kazakh) && index > 0 && asFoldedKazakh(words[index - 1]!) === 'жумыс';
}

// A time of the day or the week that is no option of the step: "днём", "утром", "на неделе",
// "during the day", "mornings", "күндіз", "таңертең", "аптада", a clock time ("до 6", "9 to 5").
// Work said with one of these is work at that time ("по вечерам, днём работаю").
const RUSSIAN_TIMES = /^(?:днем|днями|день|дня|утром|утра|утро|ночью|ночь|ночам|обеда|обед|недел[еиюя]|неделям|понедельник\p{L}*|вторник\p{L}*|сред[уаы]|средам|четверг\p{L}*|пятниц\p{L}*)$/u;
const ENGLISH_TIMES = new Set([
  ...['day', 'days', 'daytime', 'daily', 'morning', 'mornings', 'afternoon', 'afternoons', 'night', 'nights', 'week', 'am', 'pm'],
  ...['monday', 'mondays', 'tuesday', 'tuesdays', 'wednesday', 'wednesdays', 'thursday', 'thursdays', 'friday', 'fridays'],
]);
const KAZAKH_TIMES = /^(?:кундиз|танертен\p{L}*|тусте|тустен|тунде|апта\p{L}*|дуйсенби\p{L}*|сейсенби\p{L}*|сарсенби\p{L}*|бейсенби\p{L}*|жума\p{L}*|сагат\p{L}*)$/u;

/** The word names a time of its own (not the step's options): the work beside it is then. */
export function namesOtherTime(word: string): boolean {
  return /\d/.test(word) || RUSSIAN_TIMES.test(word) || ENGLISH_TIMES.has(word) || KAZAKH_TIMES.test(asFoldedKazakh(word));
}
