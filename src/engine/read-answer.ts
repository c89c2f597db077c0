import type { ZodType } from 'zod';
import { normalizePhone } from '../domain/phone.js';
import { matchRegion } from '../domain/regions.js';
import { parseKzDateTime } from '../domain/kz-time.js';
import { cleanText } from '../domain/text.js';
import { buttonStepId, parseCallback } from './callback-data.js';
import { choiceErrorKey, inOtherLanguages, matchTyped, matchTypedMany, OPTION_BUTTONS_MAX, typedCandidates, type ShownOption } from './options.js';
import { optionInSentence } from './sentence-options.js';
import { suggestionOf } from './suggest.js';
import type { Input, SceneState, StepContext, StepDef } from './types.js';
import { LISTENED_MEDIA } from '../telegram/types.js';

/** The longest text any step reads; longer messages are turned down before any schema runs. */
export const MAX_TEXT = 2000;
/** The longest text one Telegram message can carry. */
const TELEGRAM_TEXT_MAX = 4096;

export type ReadResult =
  /** `located`: the option was read from a shared location, and the person is told which it is. */
  | { ok: true; value: unknown; picked?: ShownOption; located?: boolean }
  | { ok: false; errorKey: string; params?: Record<string, unknown> }
  /** A multi-choice toggle: the selection changed, no answer yet. */
  | { ok: 'toggled'; selection: string[] };

const fail = (errorKey: string, params?: Record<string, unknown>): ReadResult => ({ ok: false, errorKey, params });

/** Zod issue messages are i18n keys; anything else falls back to the step's generic error. */
function fromSchema(schema: ZodType<unknown>, value: unknown): ReadResult {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const key = issue?.message && /^[a-z-]+:[\w.-]+$/.test(issue.message) ? issue.message : 'errors:invalid';
  const params: Record<string, unknown> = {};
  // Plural-aware messages take {{count}}; "at least 2" and "at most 100" both read it.
  if (issue && 'minimum' in issue) params.min = params.count = Number(issue.minimum);
  if (issue && 'maximum' in issue) params.max = params.count = Number(issue.maximum);
  return fail(key, params);
}

// Thousands grouped by a space, comma, underscore or apostrophe: "1 500", "1,500", "10'000". A
// separator anywhere else is not grouping: "1,5" is a decimal comma (one and a half hours), "1, 2"
// two answers, "3 0" a slip; read as 15, 12 or 30 they would be stored as answers never given.
const GROUPED_INTEGER = /^-?\d{1,3}(?:[\s\u00a0\u202f,_']\d{3})+$/;

// A unit after the number, as people say it: "25 лет", "25 жаста", "25 years old", "2024 г.",
// "6 человек", "3 часа". Only these words: "5 млн" or "2 дня" (for hours) is no such number.
const UNIT_WORDS = new Set([
  ...['лет', 'год', 'года', 'году', 'г', 'гг', 'жас', 'жаста', 'жыл', 'жылы', 'ж', 'years', 'year', 'old', 'yo'],
  ...['человек', 'чел', 'адам', 'people', 'persons', 'детей', 'ребенка', 'ребенок', 'дети', 'бала', 'children', 'kids'],
  ...['час', 'часа', 'часов', 'ч', 'сағат', 'hours', 'hour', 'h'],
  ...['волонтеров', 'волонтера', 'волонтер', 'волонтерлер', 'еріктілер', 'volunteers'],
]);
/** What follows the last digit: letters, dots and spaces only, or it is no unit. */
const UNIT_TAIL = /^[\p{L}.\s]*$/u;
const MAX_UNIT_WORDS = 3;

/** The whole number a number step reads by default; a step's own `parse` may build on it. */
export function parseInteger(typed: string): number | null {
  // Split at the last digit rather than by one pattern: nested repeats over a long run of
  // letters would take seconds to fail (a 2,000-letter message is a few milliseconds this way).
  const lastDigit = typed.search(/\d[^\d]*$/);
  const tail = lastDigit < 0 ? '' : typed.slice(lastDigit + 1);
  if (!UNIT_TAIL.test(tail)) return null;
  const words = tail.toLowerCase().replace(/ё/g, 'е').split(/[\s.]+/).filter(Boolean);
  if (words.length > MAX_UNIT_WORDS || !words.every((word) => UNIT_WORDS.has(word))) return null;
  const text = typed.slice(0, lastDigit + 1).trimEnd();
  if (!/^-?\d{1,15}$/.test(text) && !GROUPED_INTEGER.test(text)) return null;
  const compact = text.replace(/[\s\u00a0\u202f,_']/g, '');
  return /^-?\d{1,15}$/.test(compact) ? Number(compact) : null;
}

function unexpected(input: Input, max = MAX_TEXT): ReadResult {
  if (input.kind === 'unsupported') return fail('errors:unsupported-media');
  if (input.kind === 'text' && input.text.length > max) return fail('errors:too-long', { count: max });
  return fail('errors:unexpected-input');
}

function readChoice<A>(step: StepDef<A>, state: SceneState, answers: Partial<A>, input: Input, ctx: StepContext): ReadResult {
  const shown = state.shown ?? [];
  const count = shown.length;
  if (input.kind === 'callback') {
    const cb = parseCallback(input.data);
    const id = buttonStepId(state, step, answers, shown);
    if (cb.type === 'answer' && cb.stepId === id && shown[cb.index]) return { ok: true, value: shown[cb.index]!.value, picked: shown[cb.index] };
    if (step.kind === 'choice' && step.multi) {
      if (cb.type === 'toggle' && cb.stepId === id && shown[cb.index]) {
        const value = shown[cb.index]!.value;
        const current = state.selection ?? [];
        const selection = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
        return { ok: 'toggled', selection };
      }
      if (cb.type === 'done' && cb.stepId === id) return checkMulti(step, state.selection ?? []);
    }
    return fail('errors:stale-button');
  }
  if (input.kind === 'location' && step.kind === 'choice' && step.located && !step.multi) {
    const found = step.located({ latitude: input.latitude, longitude: input.longitude });
    if ('errorKey' in found) return fail(found.errorKey);
    const picked = shown.find((option) => option.value === found.value);
    return picked ? { ok: true, value: picked.value, picked, located: true } : fail(choiceErrorKey(count), { count });
  }
  // A typed list of many numbers (who came, of a team of up to 500: "1, 2, … 500" is about 2,400
  // characters) must fit whole: it replaces the earlier list, so it cannot come in two messages.
  const longest = step.kind === 'choice' && step.multi ? TELEGRAM_TEXT_MAX : MAX_TEXT;
  if (input.kind === 'text' && input.text.length <= longest) {
    if (step.kind === 'choice' && step.multi) {
      const picked = matchTypedMany(input.text, shown);
      if (picked) return checkMulti(step, picked.map((p) => p.value));
      // "Done" typed, as its button: the options ticked so far are the answer.
      if (typedDone(input.text, shown, ctx)) return checkMulti(step, state.selection ?? []);
      const named = typedCandidates(input.text, shown).length === 0 ? readSentence(step, input.text, shown) : null;
      if (!named) return fail('errors:choice-many', { count });
      // Options tapped already, or kept from the earlier answer when it is being changed: a
      // sentence ("и по выходным тоже") adds its option to them and the step shows the choice for
      // Done, rather than storing the one option and dropping the others unseen.
      const selection = state.selection ?? [];
      if (selection.some((value) => value !== named.value)) {
        return { ok: 'toggled', selection: selection.includes(named.value) ? selection : [...selection, named.value] };
      }
      return checkMulti(step, [named.value]);
    }
    const candidates = typedCandidates(input.text, shown);
    if (candidates.length === 1) return { ok: true, value: candidates[0]!.value, picked: candidates[0] };
    const typed = readTyped(step, input.text, shown, ctx.deps.now());
    if (typed) return typed;
    // Several options begun by the text ("Алм") are asked for by number, not guessed from words.
    const named = candidates.length === 0 ? readSentence(step, input.text, shown) : null;
    return named ? { ok: true, value: named.value, picked: named } : fail(choiceErrorKey(count), { count });
  }
  return input.kind === 'text' ? unexpected(input) : fail(choiceErrorKey(count), { count });
}

/**
 * "Done" (its word in any of the three languages) at a multi-choice step that shows the button: a
 * list too long for buttons has none, and its typed list is the whole answer.
 */
function typedDone(text: string, shown: ShownOption[], ctx: StepContext): boolean {
  if (shown.length > OPTION_BUTTONS_MAX) return false;
  const done = { value: 'done', label: ctx.t('common:multi.done'), aliases: inOtherLanguages('common:multi.done', ctx) };
  return matchTyped(text, [done]) !== null;
}

/**
 * The option a choice step's own reader finds in a typed answer, if it is among those shown, or
 * the reader's reason to turn the answer down. Null when the reader finds nothing in it.
 */
function readTyped<A>(step: StepDef<A>, text: string, shown: ShownOption[], now: Date): ReadResult | null {
  if (step.kind !== 'choice' || !step.typed) return null;
  const read = step.typed(text, now);
  if (read === null) return null;
  if (typeof read !== 'string') return fail(read.errorKey, { count: shown.length, ...read.params });
  const picked = shown.find((option) => option.value === read);
  return picked ? { ok: true, value: picked.value, picked } : null;
}

/**
 * The option a sentence names at a step that reads sentences ("могу помогать по выходным"). Null
 * when it names none or two, and when it names one with a "not" or an "if": the step asks again.
 */
function readSentence<A>(step: StepDef<A>, text: string, shown: ShownOption[]): ShownOption | null {
  if (step.kind !== 'choice' || !step.sentences) return null;
  const reading = optionInSentence(text, shown, step.sentences === true ? {} : step.sentences);
  return reading && !reading.unclear ? reading.option : null;
}

/**
 * "Keep this text" on a step that offers one: its button (this step's, not an earlier question's),
 * or its number, label or words typed. Null when the input is the person's own text.
 */
function readKeep<A>(form: SceneState, step: StepDef<A>, keep: ShownOption, input: Input): ReadResult | null {
  if (input.kind === 'callback') {
    const cb = parseCallback(input.data);
    return cb.type === 'answer' && cb.stepId === buttonStepId(form, step, {}) && cb.index === 0 ? { ok: true, value: keep.value, picked: keep } : fail('errors:stale-button');
  }
  return input.kind === 'text' && matchTyped(input.text, [keep]) ? { ok: true, value: keep.value, picked: keep } : null;
}

function checkMulti<A>(step: Extract<StepDef<A>, { kind: 'choice' }>, selection: string[]): ReadResult {
  const min = step.multi?.min ?? 1;
  const max = step.multi?.max ?? Infinity;
  if (selection.length < min) return fail('errors:choice-min', { count: min });
  if (selection.length > max) return fail('errors:choice-max', { count: max });
  return { ok: true, value: selection };
}

/**
 * Reads the user's input as an answer to the current step. Pure: no I/O, and nothing is
 * stored unless the result is ok.
 */
export function readAnswer<A>(step: StepDef<A>, state: SceneState, answers: Partial<A>, input: Input, ctx: StepContext): ReadResult {
  const suggestion = step.kind === 'text' ? suggestionOf(step, answers, ctx) : null;
  const takesButtons = step.kind === 'choice' || step.kind === 'consent' || step.kind === 'confirm' || step.kind === 'location' || suggestion !== null;
  // Said plainly for what a person hears or watches: the bot cannot listen, so type (or tap).
  if (input.kind === 'unsupported' && LISTENED_MEDIA.has(input.media)) return fail(takesButtons ? 'errors:voice-tap' : 'errors:voice-type');
  // A step that takes only typing has no answer buttons to point to (the phone step has its Share button).
  if (input.kind === 'unsupported') return takesButtons || step.kind === 'phone' ? unexpected(input) : fail('errors:unsupported-media-type');
  if (input.kind === 'callback' && !takesButtons) return fail('errors:stale-button');
  switch (step.kind) {
    case 'choice':
    case 'consent':
    case 'confirm':
      return readChoice(step, state, answers, input, ctx);
    case 'text': {
      const kept = suggestion ? readKeep(state, step, suggestion.keep, input) : null;
      if (kept?.ok === true && suggestion) {
        // The offered text is checked as a typed one would be: a draft may still need changes.
        const read = fromSchema(step.schema, cleanText(suggestion.text));
        return read.ok === true ? { ...read, picked: suggestion.keep } : read;
      }
      if (kept) return kept;
      const max = step.maxLength ?? MAX_TEXT;
      if (input.kind !== 'text' || input.text.length > max) return unexpected(input, max);
      return fromSchema(step.schema, cleanText(input.text));
    }
    case 'number': {
      if (input.kind !== 'text' || input.text.length > MAX_TEXT) return unexpected(input);
      const value = (step.parse ?? parseInteger)(input.text.trim());
      return value === null ? fail(step.invalidKey ?? 'errors:number') : fromSchema(step.schema, value);
    }
    case 'phone': {
      if (input.kind === 'contact') {
        if (!input.ownContact) return fail('errors:phone-not-own');
        const phone = normalizePhone(input.phone);
        return phone ? { ok: true, value: phone } : fail('errors:phone');
      }
      if (input.kind !== 'text' || input.text.length > MAX_TEXT) return unexpected(input);
      const phone = normalizePhone(input.text);
      return phone ? { ok: true, value: phone } : fail('errors:phone');
    }
    case 'location': {
      if (input.kind === 'location') return { ok: true, value: { type: 'point', latitude: input.latitude, longitude: input.longitude } };
      if (input.kind === 'callback') {
        const result = readChoice(step, state, answers, input, ctx);
        if (result.ok !== true) return result;
        return { ...result, value: result.value === '__skip' ? null : { type: 'region', region: result.value } };
      }
      if (input.kind !== 'text' || input.text.length > MAX_TEXT) return unexpected(input);
      if (step.allowRegion) {
        const region = matchRegion(input.text);
        if (region) return { ok: true, value: { type: 'region', region } };
        const typed = matchTyped(input.text, state.shown ?? []);
        if (typed) return { ok: true, value: typed.value === '__skip' ? null : { type: 'region', region: typed.value }, picked: typed };
        return fail('errors:location-or-region');
      }
      const typed = matchTyped(input.text, state.shown ?? []);
      if (typed?.value === '__skip') return { ok: true, value: null, picked: typed };
      return fail('errors:location');
    }
    case 'date': {
      if (input.kind !== 'text' || input.text.length > MAX_TEXT) return unexpected(input);
      const date = parseKzDateTime(input.text, ctx.deps.now());
      if (!date) return fail(step.withTime ? 'errors:datetime' : 'errors:date');
      return step.schema ? fromSchema(step.schema, date.toISOString()) : { ok: true, value: date.toISOString() };
    }
  }
}
