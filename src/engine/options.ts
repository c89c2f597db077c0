import { latinSkeleton, normalizeForMatch } from '../domain/text.js';
import { byKeyWords, saysOtherwise } from './key-words.js';
import type { Translate } from '../i18n/index.js';
import { LOCALES } from '../telegram/types.js';
import type { ChoiceOption, ChoiceStep, StepContext } from './types.js';

export interface ShownOption {
  value: string;
  label: string;
  aliases?: string[];
  /**
   * The option's text in Kazakh, when it has one: Kazakh puts the verb last («Барлық деректерімді
   * жою»), so any of its words typed alone may name the option (see byKeyWord).
   */
  kazakh?: string;
}

export function labelOf(option: ChoiceOption, t: Translate): string {
  if (option.label !== undefined) return option.label;
  if (option.labelKey) return t(option.labelKey);
  return option.value;
}

/**
 * A text in the two languages the person does not use: typed, it answers as the label does (a
 * Kazakh speaker typing "Микрокредит", or the first language's words after a change mid-form).
 */
export function inOtherLanguages(key: string, ctx: StepContext): string[] {
  return LOCALES.filter((locale) => locale !== ctx.locale).map((locale) => ctx.tIn(locale)(key));
}

/** A text in Kazakh, whatever language the person uses: its words beyond the first answer too. */
export function inKazakh(key: string, ctx: StepContext): string | undefined {
  const text = ctx.tIn('kk')(key);
  return text === key ? undefined : text;
}

export async function resolveOptions<A>(step: ChoiceStep<A>, answers: Partial<A>, ctx: StepContext): Promise<ShownOption[]> {
  const options = typeof step.options === 'function' ? await step.options(answers, ctx) : step.options;
  return options.map((option) => {
    const keyed = option.label === undefined && option.labelKey ? option.labelKey : undefined;
    const translated = keyed ? inOtherLanguages(keyed, ctx) : [];
    const aliases = [...(option.aliases ?? []), ...translated];
    const kazakh = keyed ? inKazakh(keyed, ctx) : undefined;
    return { value: option.value, label: labelOf(option, ctx.t), ...(aliases.length ? { aliases } : {}), ...(kazakh ? { kazakh } : {}) };
  });
}

/**
 * The longest text of a button alone in its row, numbering and tick included: what fits on one
 * line of a 360-dp phone without being cut (docs/style-guide.md). Two buttons in a row get half
 * of it each; test/i18n/button-length.test.ts renders every button against these limits.
 */
export const BUTTON_MAX = 35;

/** Room left for a label in a one-column list of up to 99 numbered options ("12. "). */
export const LABEL_MAX = BUTTON_MAX - 4;

/** The longest button text in a row of `buttons`: half a row each, less the gap between them. */
export const buttonMax = (buttons: number): number => (buttons <= 1 ? BUTTON_MAX : Math.floor((BUTTON_MAX - 3 * (buttons - 1)) / buttons));

/** A label cut to `max` characters with "…", for names and titles people typed (centres, missions). */
export function fitLabel(text: string, max = LABEL_MAX): string {
  const chars = [...text.trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** Numbered labels ("1. Astana") so every button can also be answered by typing its number. */
export const numbered = (index: number, label: string) => `${index + 1}. ${label}`;

/**
 * More options than this are listed in the message and answered by typing their numbers: Telegram
 * refuses an inline keyboard of over 100 buttons (or of over about 10 kB), and a mission's team of
 * up to 500 is one list (who came). 60 buttons of 35 Cyrillic letters stay well inside both.
 */
export const OPTION_BUTTONS_MAX = 60;

/**
 * The options a typed answer may mean: the one its number names, else those whose label or alias
 * it is, else those whose label it begins (three letters at least; two when they are its whole
 * first word), else those whose Kazakh text has its words (Kazakh puts the verb last).
 */
export function typedCandidates(typed: string, shown: ShownOption[]): ShownOption[] {
  const trimmed = typed.trim().replace(/[.)]$/, '');
  const wanted = normalizeForMatch(trimmed);
  // "2", and the number with signs but no letters around it: "2️⃣" (a keycap emoji), "№2", "(2)".
  const number = /^\d{1,3}$/.test(trimmed) ? trimmed : /^\d{1,3}$/.test(wanted) && !/\p{L}/u.test(trimmed) ? wanted : null;
  if (number !== null) {
    const byNumber = shown[Number(number) - 1];
    return byNumber ? [byNumber] : [];
  }
  if (!wanted) return [];
  const exact = shown.filter(
    (option) =>
      normalizeForMatch(option.label) === wanted || option.aliases?.some((alias) => normalizeForMatch(alias) === wanted),
  );
  if (exact.length > 0) return exact;
  const found = byWords(shown, wanted, normalizeForMatch);
  if (found.length > 0) return found;
  // Kazakh typed in Latin letters ("Kelisemin", "Artqa"), read against the Cyrillic words.
  const latin = latinSkeleton(trimmed);
  if (!latin) return [];
  const sameLatin = shown.filter((option) => textsOf(option).some((text) => latinSkeleton(text) === latin));
  if (sameLatin.length > 0) return sameLatin;
  const begun = byWords(shown, latin, latinSkeleton);
  if (begun.length > 0) return begun;
  // A word of the option's Kazakh text other than its first («жою» of «Барлық деректерімді жою»).
  const keyed = byKeyWords(shown, trimmed);
  if (keyed.length > 0) return keyed;
  // A slip of the finger in a label's words ("ask a qestion", "задать вапрос", "rehabilitaton").
  const slipped = byNearWords(shown, trimmed, normalizeForMatch);
  return slipped.length > 0 ? slipped : byNearWords(shown, trimmed, latinSkeleton);
}

/**
 * Options whose words are the typed words with one letter wrong, missing, extra or two swapped
 * (two such slips from ten letters on): the whole label from five letters, its first words from
 * eight ("rehabilitaton"). No digits: "12 years" is not a slip of "13 years" but another answer;
 * and no fewer letters, counted as typed: "Меню" is not a slip of «Менің …»; and no "not" added
 * or taken away: «мақұлдамау» (not approve) is no slip of «Мақұлдау» (approve).
 */
function byNearWords(shown: ShownOption[], typed: string, form: (text: string) => string): ShownOption[] {
  const letters = normalizeForMatch(typed).replace(/ /g, '').length;
  const wanted = form(typed);
  if (letters < 5 || /\d/.test(wanted)) return [];
  const slips = letters >= 10 ? 2 : 1;
  const words = wanted.split(' ').length;
  return shown.filter(
    (option) =>
      !saysOtherwise(typed, option.kazakh) &&
      textsOf(option).some((text) => {
        const all = form(text).split(' ');
        return (all.length <= words || letters >= 8) && withinSlips(wanted, all.slice(0, words).join(' '), slips);
      }),
  );
}

/** Whether `a` becomes `b` with at most `max` letters changed, added, removed or two neighbours swapped. */
function withinSlips(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  // Optimal string alignment distance, row by row, given up once a whole row is past `max`.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
    }
    if (Math.min(...current) > max) return false;
    before = previous;
    previous = current;
  }
  return previous[b.length]! <= max;
}

const textsOf = (option: ShownOption): string[] => [option.label, ...(option.aliases ?? [])];

/**
 * Two letters are too few to guess a beginning from, but "да", "иә" or "no" that is the whole
 * first word of "Да, удалить всё" (or of its words in another language) is no guess; from three
 * letters on, the beginning of a label.
 */
function byWords(shown: ShownOption[], wanted: string, form: (text: string) => string): ShownOption[] {
  if (wanted.length === 2) return shown.filter((option) => textsOf(option).some((text) => form(text).split(' ')[0] === wanted));
  if (wanted.length < 3) return [];
  return shown.filter((option) => form(option.label).startsWith(wanted));
}

/**
 * Maps a typed answer to an option: its number, its label, an alias, or a beginning of a label,
 * when only one option fits. "Алм" is not enough when Almaty and Almaty Region both start so,
 * nor a weekly mission's title or two missions' shared start: guessing would pick one the
 * person did not mean, so they are asked for the number instead.
 */
export function matchTyped(typed: string, shown: ShownOption[]): ShownOption | null {
  const candidates = typedCandidates(typed, shown);
  return candidates.length === 1 ? candidates[0]! : null;
}

/** "1, 3 5" or "first label, second label" for multi-choice steps typed in one message. */
export function matchTypedMany(typed: string, shown: ShownOption[]): ShownOption[] | null {
  const parts = typed
    .split(/[,;\n]+|\s+(?=\d)/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return null;
  const picked: ShownOption[] = [];
  for (const part of parts) {
    const option = matchTyped(part, shown);
    if (!option) return null;
    if (!picked.includes(option)) picked.push(option);
  }
  return picked;
}

/**
 * The "tap a button or type its number" message for `count` options. One option has its own: the
 * range "from 1 to 1" read oddly ("от 1 до 1"), and Russian's "one" plural form serves 21 and 31 too.
 */
export const choiceErrorKey = (count: number): string => (count === 1 ? 'errors:choice-single' : 'errors:choice');
