// Words that turn a typed answer round or make it depend on something: "не могу по выходным",
// "I can't help on weekends", "демалыс күндері көмектесе алмаймын", "if needed, evenings". An
// option named in such a sentence is not what the person picked, or not plainly: the step asks
// again instead of guessing. Words as normalizeForMatch leaves them (apostrophes dropped, so
// "can't" is "cant"; Kazakh letters folded, so "жоқ" is "жок"). typed-about-person.ts and
// typed-age-words.ts read "не ходит" and "not yet" for their own questions.

const NEGATIONS = new Set([
  ...['не', 'нет', 'ни', 'нету', 'неа', 'нельзя', 'никогда', 'никак', 'некогда'],
  ...['емес', 'жок', 'ешкашан', 'ешкандай', 'ешбир', 'ешкайсысы', 'jok', 'joq', 'zhok', 'zhoq'],
  ...['not', 'no', 'never', 'nope', 'neither', 'nor', 'cannot', 'cant', 'dont', 'doesnt', 'didnt', 'wont', 'isnt'],
  ...['arent', 'wasnt', 'werent', 'couldnt', 'wouldnt', 'shouldnt', 'unable', 'hardly'],
]);

// Kazakh says "not" inside the verb, before its person ending: "алмаймын" (I cannot),
// "көмектеспеймін" (I do not help), "бармайды", "болмайсыз"; and "емес" takes endings too
// ("емеспін", "емессіз"). Only these forms: a past "-мады" would also take "табады" (finds).
const KAZAKH_NOT = /(?:ма|ме|ба|бе|па|пе)й(?:мын|мин|мыз|миз|сын|син|сыз|сиз|ды|ди|тын|тин)$|^емес/;
// The same typed in Latin letters: "almaimyn", "komektespeimin", "emespin".
const KAZAKH_NOT_LATIN = /(?:ma|me|ba|be|pa|pe)[iy](?:myn|min|myz|miz|syn|sin|syz|siz|dy|di)$|^emes/;

// An answer on a condition, or with an exception or a "but": "если получится", "кроме выходных",
// "егер уақытым болса", "unless it rains", "weekends but not always".
const CONDITIONS = new Set([
  ...['если', 'кроме', 'но', 'однако', 'разве'],
  ...['егер', 'болса', 'болмаса', 'айтпесе', 'бирак', 'eger', 'bolsa', 'birak', 'biraq'],
  ...['if', 'unless', 'except', 'but', 'however'],
]);

/** The word says "not": "не", "нет", "емес", "жоқ", "алмаймын", "not", "can't". */
export const isNegation = (word: string): boolean => NEGATIONS.has(word) || KAZAKH_NOT.test(word) || KAZAKH_NOT_LATIN.test(word);

/** The word makes what follows or goes before it depend on something: "если", "егер", "but". */
export const isCondition = (word: string): boolean => CONDITIONS.has(word);
