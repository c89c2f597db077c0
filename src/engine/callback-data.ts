import type { StepDef } from './types.js';
import { defineCallbacks, field } from './callback-codec.js';

/** A step's id on its buttons (with its tag, see buttonStepId), and the option's position. */
const stepId = field.text(/^[\w.-]{1,48}$/, 'x'.repeat(48));
const index = field.int(0, 999);

/** The engine's own buttons: pick an option, tick one of several, "Done" with the ticked ones. */
export const stepCallbacks = [
  defineCallbacks('a', { answer: { tag: '', fields: { stepId, index } } }),
  defineCallbacks('t', { toggle: { tag: '', fields: { stepId, index } } }),
  defineCallbacks('d', { done: { tag: '', fields: { stepId } } }),
] as const;
const [answerCodec, toggleCodec, doneCodec] = stepCallbacks;

/**
 * Callback data the engine and router understand. Kept short: Telegram allows 64 bytes.
 * Answers carry the step id, so a tap on an old question cannot answer the current one.
 */
export const CB = {
  answer: (stepId: string, index: number) => answerCodec.encode.answer({ stepId, index }),
  toggle: (stepId: string, index: number) => toggleCodec.encode.toggle({ stepId, index }),
  done: (stepId: string) => doneCodec.encode.done({ stepId }),
  nav: (action: 'back' | 'cancel' | 'menu' | 'language') => `n:${action}`,
  language: (locale: string) => `lang:${locale}`,
  menu: (entryId: string) => `m:${entryId}`,
  resume: (choice: 'continue' | 'restart') => `r:${choice}`,
} as const;

export type ParsedCallback =
  | { type: 'answer'; stepId: string; index: number }
  | { type: 'toggle'; stepId: string; index: number }
  | { type: 'done'; stepId: string }
  | { type: 'other'; prefix: string; rest: string };

export function parseCallback(data: string): ParsedCallback {
  const [prefix = '', ...restParts] = data.split(':');
  const rest = restParts.join(':');
  const step = prefix === 'a' ? answerCodec.decode(rest) : prefix === 't' ? toggleCodec.decode(rest) : prefix === 'd' ? doneCodec.decode(rest) : null;
  if (!step) return { type: 'other', prefix, rest };
  return step.action === 'done' ? { type: 'done', stepId: step.stepId } : { type: step.action, stepId: step.stepId, index: step.index };
}

/** FNV-1a, 32 bits, in base 36 (up to 7 characters): short marks that carry no data of their own. */
function fnv36(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * A short, stable mark of a scene (4-7 characters of an FNV-1a hash of its id). Every form has
 * steps named alike ("confirm", "region"), so the buttons carry it: Publish under an abandoned
 * knowledge-base form must not submit the broadcast summary open now. Marks of the registered
 * scenes are checked to differ (test/architecture/callback-codecs.test.ts).
 */
export function sceneMark(sceneId: string): string {
  return fnv36(sceneId);
}

/**
 * The mark of a choice's option list (3 characters of a hash of its values): a list that depends
 * on an earlier answer (the kinds of help for a child or an adult) is another list after Back and
 * a different answer, and a tap on the earlier list's buttons must not pick what now has its place.
 */
export function optionsMark(shown: ReadonlyArray<{ value: string }>): string {
  return fnv36(shown.map((option) => option.value).join('\n')).slice(-3);
}

/** The run of a form: the last 3 base-36 digits of when it started (changes every millisecond, repeats after 46.7 s). */
const runMark = (startedAt: number): string => (Math.abs(Math.trunc(startedAt)) % 46_656).toString(36).padStart(3, '0');

/** What a form's buttons carry before the step id: which form, and which time it was opened. */
export function formMark(form: { id: string; startedAt: number }): string {
  return `${sceneMark(form.id)}-${runMark(form.startedAt)}`;
}

/** The tag of the summary's "which answer to change?" list: its field buttons sit where the summary has Submit. */
const PICK_TAG = 'pick';

/**
 * The step id a step's buttons carry: the form's mark (which form, which run of it), the step's
 * id and its tag, when it has one (see callbackTag). A tap on an old question of this or another
 * form, or on Save under a form left open and started again, cannot answer the current one. The
 * summary's list of answers to change has a tag of its own: its first field, tapped once the
 * summary is back (the field was typed), must not be read as Submit. A choice without a tag of its
 * own carries the mark of the options it shows (`shown`: the list rendered, and read back from
 * the state), so buttons of an option list shown before are stale once the list is another.
 */
export function buttonStepId<A>(
  form: { id: string; startedAt: number; pickingEdit?: boolean },
  step: StepDef<A>,
  answers: Partial<A>,
  shown?: ReadonlyArray<{ value: string }>,
): string {
  const tag =
    step.kind === 'choice'
      ? (step.callbackTag?.(answers) ?? (shown ? optionsMark(shown) : undefined))
      : step.kind === 'confirm' && form.pickingEdit
        ? PICK_TAG
        : undefined;
  const id = `${formMark(form)}.${step.id}`;
  return tag ? `${id}.${tag}` : id;
}
