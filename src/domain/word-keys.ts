// One key for the forms a word takes in a sentence, so "по выходным" meets the button "В
// выходные", "on weekends" meets "Weekends" and "демалыста" meets "Демалыс күндері". Words as
// normalizeForMatch leaves them (Kazakh letters folded onto Russian ones). The stemmers are the
// knowledge base's (src/features/inquiries/faq-search.ts): Snowball for Russian and English, the
// light Kazakh suffix stripper for Kazakh.

import { newStemmer } from 'snowball-stemmers';
import { latinKazakhToCyrillic } from './kk-latin.js';
import { stemKazakhFolded } from './kk-stemmer.js';

const russian = newStemmer('russian');
const english = newStemmer('english');

/** Shorter words say too little ("it" is a pronoun before it is the IT sector). */
const MIN_LETTERS = 3;
/** Longer "words" are no words: a run of letters pasted in, not worth stemming. */
const MAX_LETTERS = 40;

/**
 * The keys of one word: for a Cyrillic one both its Russian and its Kazakh stem, since a Kazakh
 * speaker may answer in Russian and the other way round; for a Latin one its English stem, and the
 * Kazakh stem of it read as Kazakh typed in Latin letters ("demalys kunderi"). Each key says which
 * stemmer made it, so a Russian stem meets only Russian stems. None for numbers, short words and
 * mixed scripts.
 */
export function wordKeys(word: string): string[] {
  if (word.length < MIN_LETTERS || word.length > MAX_LETTERS) return [];
  if (/^[a-z]+$/.test(word)) return [`en:${english.stem(word)}`, `kk:${stemKazakhFolded(latinKazakhToCyrillic(word))}`];
  if (/^[а-яё]+$/.test(word)) return [`ru:${russian.stem(word)}`, `kk:${stemKazakhFolded(word)}`];
  return [];
}
