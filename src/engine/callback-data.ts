import type { StepDef } from './types.js';

/**
 * Callback data the engine and router understand. Kept short: Telegram allows 64 bytes.
 * Answers carry the step id, so a tap on an old question cannot answer the current one.
 */
export const CB = {
  answer: (stepId: string, index: number) => `a:${stepId}:${index}`,
  toggle: (stepId: string, index: number) => `t:${stepId}:${index}`,
  done: (stepId: string) => `d:${stepId}`,
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
  if (prefix === 'a' || prefix === 't') {
    const cut = rest.lastIndexOf(':');
    const index = Number(rest.slice(cut + 1));
    if (cut > 0 && Number.isInteger(index)) {
      return { type: prefix === 'a' ? 'answer' : 'toggle', stepId: rest.slice(0, cut), index };
    }
  }
  if (prefix === 'd' && rest) return { type: 'done', stepId: rest };
  return { type: 'other', prefix, rest };
}

/** The step id a step's buttons carry: with the step's tag, when it has one (see callbackTag). */
export function buttonStepId<A>(step: StepDef<A>, answers: Partial<A>): string {
  const tag = step.kind === 'choice' ? step.callbackTag?.(answers) : undefined;
  return tag ? `${step.id}.${tag}` : step.id;
}
