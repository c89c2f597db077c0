// Text helpers shared by region matching, the scene engine (typed answers vs button labels)
// and profile validation. Pure functions, no locale data beyond the letter tables below.

/** The bot's three interface languages; domain formatters take it so callers need not branch. */
export type Locale = 'kk' | 'ru' | 'en';

// People type Kazakh words on Russian keyboards (and vice versa), so "Ақтөбе" often arrives as
// "Актобе". Folding the Kazakh-specific letters onto their nearest Russian ones lets both match.
// ё→е because most Russian text drops the diaeresis; ı (Latin dotless i) for Kazakh Latin script.
const LETTER_FOLD: Readonly<Record<string, string>> = {
  'ә': 'а',
  'ғ': 'г',
  'қ': 'к',
  'ң': 'н',
  'ө': 'о',
  'ұ': 'у',
  'ү': 'у',
  'һ': 'х',
  'і': 'и',
  'ё': 'е',
  'ı': 'i',
};
const FOLDABLE = /[әғқңөұүһіёı]/g;

// Latin letters that look like Cyrillic ones, as they arrive inside Cyrillic words: phones
// without a Kazakh keyboard give the Latin i for і ("Келiсемiн"), and a keyboard switched
// mid-word gives a Latin a, e or o ("Отмeна"). Case matters: a capital H is Н, a small h is һ.
// Schwa and barred o (ə, ɵ) are how ә and ө were typed before Kazakh fonts were common.
const LATIN_LOOK_ALIKE: Readonly<Record<string, string>> = {
  A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', I: 'І', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'У',
  a: 'а', c: 'с', e: 'е', h: 'һ', i: 'і', k: 'к', o: 'о', p: 'р', x: 'х', y: 'у',
  Ə: 'Ә', ə: 'ә', Ɵ: 'Ө', ɵ: 'ө',
};
const LOOK_ALIKE = /[ABCEHIKMOPTXYacehikopxyƏəƟɵ]/g;
// A word with at least one Cyrillic letter: only there is a Latin letter a look-alike. English
// and Kazakh Latin words ("Shymkent", "Qaragandy") have no Cyrillic letter and stay as typed.
const CYRILLIC_WORD = /[\p{L}\p{M}]*\p{Script=Cyrillic}[\p{L}\p{M}]*/gu;

// Apostrophes are removed rather than turned into spaces so "Ust'-Kamenogorsk" and
// "Ust-Kamenogorsk" (and O'Brien / OBrien) normalise the same way.
const APOSTROPHES = /['’ʼ‘`´]/g;

/**
 * Canonical form for comparing what a user typed with a known label: Latin look-alikes inside
 * Cyrillic words made Cyrillic, lowercase, Kazakh letters folded to Russian, ё→е, Latin
 * diacritics and stress marks dropped, punctuation and emoji turned into spaces, spaces
 * collapsed. Not for display.
 */
export function normalizeForMatch(s: string): string {
  return (
    s
      .normalize('NFC')
      .replace(CYRILLIC_WORD, (word) => word.replace(LOOK_ALIKE, (c) => LATIN_LOOK_ALIKE[c] ?? c))
      .toLowerCase()
      .replace(FOLDABLE, (c) => LETTER_FOLD[c] ?? c)
      // Decompose only Latin letters: "Öskemen"→"oskemen". Cyrillic stays composed so й is kept.
      .replace(/\p{Script=Latin}/gu, (c) => c.normalize('NFD'))
      // Combining marks: Latin diacritics from the step above, Russian stress accents ("Алма́ты").
      .replace(/\p{M}/gu, '')
      .replace(APOSTROPHES, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

// Cyrillic letters (after normalizeForMatch's folding) in the Latin letters Kazakh is typed with.
const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'sh', ъ: '', ы: 'i', ь: '', э: 'e', ю: 'iu', я: 'ia',
};

/**
 * A coarse Latin form for comparing Kazakh typed in Latin letters with a Cyrillic label: "Artqa"
 * and "Артқа", "Kelisemin" and "Келісемін", "Joq" and "Жоқ" come out the same. The spellings the
 * alphabets and people differ on are merged (q/k, j/zh, y/ı/і/и/ы, w/u, kh/h), so it is coarser than
 * normalizeForMatch and is only tried after it found nothing.
 */
export function latinSkeleton(s: string): string {
  return normalizeForMatch(s)
    .replace(/[а-яё]/g, (c) => CYRILLIC_TO_LATIN[c] ?? c)
    .replace(/kh/g, 'h')
    .replace(/q/g, 'k')
    .replace(/zh|j/g, 'zh')
    .replace(/y/g, 'i')
    .replace(/w/g, 'u');
}

// Invisible characters that arrive from copy-paste (web pages, other messengers) and break
// comparisons and storage: zero-width space/non-joiner, word joiner, BOM, Mongolian vowel
// separator, soft hyphen, bidi marks and embeddings/isolates.
const INVISIBLE = /[\u200B\u200C\u2060\uFEFF\u180E\u00AD\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// Zero-width joiner is kept only inside emoji sequences (👨‍👩‍👧), where removing it would change
// what the user wrote; anywhere else it is noise.
const STRAY_ZWJ =
  /(?<!\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
// Control characters other than tab and newline (handled as whitespace below).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * Tidies free text before it is stored or shown to staff: trims, removes control and zero-width
 * characters, collapses whitespace runs to one space, and any run containing a line break to a
 * single newline (so paragraphs survive but blank-line padding does not).
 */
export function cleanText(s: string): string {
  return s
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(CONTROL, '')
    .replace(INVISIBLE, '')
    .replace(STRAY_ZWJ, '')
    // A run of spaces becomes one space; line breaks survive, and a blank line between
    // paragraphs (announcements, a business idea) is kept, but never more than one.
    .replace(/\s+/g, (run) => {
      const breaks = run.split('\n').length - 1;
      return breaks === 0 ? ' ' : breaks === 1 ? '\n' : '\n\n';
    })
    .trim();
}

// Letters we accept in a person's name: Cyrillic (Russian and Kazakh letters are all in the
// Cyrillic script) and Latin. Checked per character because the script property alone would
// also admit Cyrillic signs that are not letters.
function isNameLetter(c: string): boolean {
  return /\p{L}/u.test(c) && /\p{Script=Cyrillic}|\p{Script=Latin}/u.test(c);
}
const NAME_SEPARATORS = new Set([' ', '-', '\u2010', "'", '’', 'ʼ', '.']);

/**
 * Plausibility check for a full name typed by an applicant ("Әлібек Нұрланұлы", "Anna-Maria
 * O'Neil", "Иванов И. И."). Rejects digits, emoji and stray symbols so that a mistyped phone
 * number or "/start" is not saved as a name. Does not judge whether the name is real.
 */
export function isMeaningfulName(s: string): boolean {
  const name = cleanText(s);
  if (name.length < 2 || name.length > 100 || name.includes('\n')) return false;
  const chars = [...name];
  // Must start with a letter: ".-" or "'Ann" are typing slips, not names.
  if (!isNameLetter(chars[0] ?? '')) return false;
  let letters = 0;
  for (const c of chars) {
    if (isNameLetter(c)) letters++;
    else if (!NAME_SEPARATORS.has(c)) return false;
  }
  return letters >= 2;
}

/** Digits with no word around them ("3", "3.", "№3", "2️⃣"): a pick by number, or a number given as an answer. */
export const isNumberAlone = (text: string): boolean => /\d/.test(text) && !/\p{L}/u.test(text);
