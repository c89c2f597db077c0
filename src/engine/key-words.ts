import { latinKazakhToCyrillic } from '../domain/kk-latin.js';
import { stemKazakhFolded } from '../domain/kk-stemmer.js';
import { normalizeForMatch } from '../domain/text.js';

// Kazakh puts the verb last: «Барлық деректерімді жою» (delete all my data), «Рұқсатты қайтарып
// алу» (revoke access), «Миссияны болдырмау» (cancel the mission). The word a person types for
// such a button is its last, not the beginning the other rules read; here any word of an option's
// Kazakh text names it, in the forms it takes ("жіберемін" of «жіберу») when typed in Cyrillic,
// as the text has it when typed in Latin letters ("jiberu", "qaytaryp alu").

/** More words than this are a sentence, which the sentence reader (sentence-options.ts) reads. */
const MAX_WORDS = 3;
/** Shorter words say too little ("не", "да" are words of their own in both languages). */
const MIN_LETTERS = 3;

/**
 * The first word of an answer to a yes-or-no question: «Иә, барлығын жою» answers by its "иә" (as
 * "Да, удалить всё" and "Yes, delete everything" do), and the verb typed at "Delete everything?"
 * is asked again, as in Russian and English, rather than taken as a yes that cannot be undone.
 */
const YES_OR_NO = new Set(['иә', 'жоқ'].map(normalizeForMatch));

/**
 * Words of a label that name nothing alone: joining words, and «барлар» (those who have) of
 * «Қарттар мен мүгедектігі барлар», whose stem is that of "бар" (there is, I have) and "бәрі"
 * (all): "бәрі" would pick the elderly and disabled. As sentence-keys.ts leaves them out.
 */
const NAMES_NOTHING = new Set(['бар', 'барлар', 'мен', 'бен', 'пен', 'және', 'үшін', 'дейін', 'бастап'].map(normalizeForMatch));

/**
 * A "not" (-ма/-ме/-ба/-бе/-па/-пе) where the stem ends, or past the suffix that makes a verb of
 * a noun, which the stemmer takes off with it: «мақұл-да-ма-у» (not approve), «қабыл-да-ма-у»
 * (reject), «қабыл-дан-ба-ды» (was not accepted) against «мақұлдау», «қабылдау».
 */
const NOT_PAST_STEM = /^(?:[дтл][ае]н?)?[мбп][ае]/;

/**
 * A word's key: its Kazakh stem, with the letters phones and Latin spellings confuse merged ("ы",
 * "і", "й" and "и": "qaytaryp" comes as «қаытарып»), marked when a "not" (-ма/-ме/-ба/-бе/-па/-пе)
 * follows the stem: the stemmer takes it off, and «өзгертпеймін» (I will not change) is no
 * «өзгерту» (change), while «болдырмау» (cancel) meets itself.
 */
function keyOf(word: string): string {
  const stem = stemKazakhFolded(word);
  const negated = NOT_PAST_STEM.test(word.slice(stem.length));
  return `${stem.replace(/[ыйі]/g, 'и')}${negated ? '¬' : ''}`;
}

/**
 * «алмаймын» (I cannot) after a verb: «Миссияға бара алмаймын» (I cannot go to the mission) says
 * "not" to its «бара», and «барамын» (I will go) does not name it; its «алмаймын» does. (The
 * stemmer keeps three letters, and «алмаймын» has the key «алм».)
 */
const CANNOT = new Set(['ал¬', 'алм']);

/**
 * A word as it is written, the same letters merged: the key of a word typed in Latin letters. Read
 * as Kazakh, English words meet Kazakh stems ("sure" «сұрау», "day" «дайын», "menu" «менің»,
 * "base" «бас»): a word in Latin letters names an option only as the option has it.
 */
const asWritten = (word: string): string => `=${word.replace(/[ыйі]/g, 'и')}`;

/** The words of a text, Latin Kazakh read as Cyrillic; null when one is too short or no Cyrillic word. */
function wordsOf(text: string): string[] | null {
  const words = normalizeForMatch(latinKazakhToCyrillic(text)).split(' ').filter(Boolean);
  return words.some((word) => word.length < MIN_LETTERS || !/^[а-яё]+$/.test(word)) ? null : words;
}

/** The keys of the typed words: by their stems, or as written when typed in Latin letters. */
function keysOf(text: string, latinAsWritten = false): string[] | null {
  const words = wordsOf(text);
  return words && words.map(latinAsWritten && /[a-z]/i.test(text) ? asWritten : keyOf);
}

const labelKeysKept = new Map<string, ReadonlySet<string> | null>();
const LABEL_KEYS_KEPT = 2000;

/** The keys of a Kazakh label's words (by stem and as written); null for an answer to a yes-or-no question. Kept: the labels are few. */
function labelKeys(kazakh: string): ReadonlySet<string> | null {
  const kept = labelKeysKept.get(kazakh);
  if (kept !== undefined) return kept;
  if (labelKeysKept.size >= LABEL_KEYS_KEPT) labelKeysKept.clear();
  const words = normalizeForMatch(kazakh).split(' ').filter(Boolean);
  const keys = YES_OR_NO.has(words[0] ?? '') ? null : new Set(words.filter((word) => word.length >= MIN_LETTERS && !NAMES_NOTHING.has(word)).flatMap((word) => [keyOf(word), asWritten(word)]));
  labelKeysKept.set(kazakh, keys);
  return keys;
}

/**
 * Options whose Kazakh text has every typed word (one to three of them), in any order and form.
 * The caller takes one only when it is alone: «өзгерту» at a list of three "change …" buttons
 * names none of them.
 */
export function byKeyWords<T extends { kazakh?: string }>(shown: T[], typed: string): T[] {
  const typedKeys = keysOf(typed, true);
  if (!typedKeys || typedKeys.length === 0 || typedKeys.length > MAX_WORDS) return [];
  const saysNot = (keysOf(typed) ?? []).some((key) => key.endsWith('¬') || CANNOT.has(key));
  return shown.filter((option) => {
    const keys = option.kazakh === undefined ? null : labelKeys(option.kazakh);
    if (keys === null || (!saysNot && [...CANNOT].some((key) => keys.has(key)))) return false;
    return typedKeys.every((key) => keys.has(key));
  });
}

/**
 * Whether the typed words say "not" to a word of the option's Kazakh text, or the text says it to
 * theirs: «мақұлдамау» (not approve) is two letters from «Мақұлдау» (approve), no slip of it.
 */
export function saysOtherwise(typed: string, kazakh: string | undefined): boolean {
  const typedKeys = kazakh === undefined ? null : keysOf(typed);
  const keys = typedKeys && labelKeys(kazakh!);
  if (!typedKeys || !keys) return false;
  const flipped = (key: string) => (key.endsWith('¬') ? key.slice(0, -1) : `${key}¬`);
  return typedKeys.some((key) => keys.has(flipped(key)));
}
