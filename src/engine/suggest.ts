import type { ShownOption } from './options.js';
import type { StepContext, TextStep } from './types.js';

/** The value of the "Keep this text" option; never a text anyone would type as an answer. */
export const KEEP = '__keep';

/** "оставить, как есть" → the words one by one. */
const words = (list: string): string[] =>
  list
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

export interface Suggestion {
  text: string;
  /** The one option shown with it: its button, number, label and words keep the text. */
  keep: ShownOption;
}

/**
 * The text a text step offers as its answer, with the option that keeps it; null when the step
 * offers none. Rendering and reading both call this, so what is kept is what was shown.
 */
export function suggestionOf<A>(step: TextStep<A>, answers: Partial<A>, ctx: StepContext): Suggestion | null {
  const text = step.suggest?.(answers, ctx)?.trim();
  if (!text) return null;
  return { text, keep: { value: KEEP, label: ctx.t('common:suggest.keep'), aliases: words(ctx.t('common:suggest.keep-words')) } };
}
