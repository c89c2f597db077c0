import { z } from 'zod';
import { REGION_KEYS } from '../domain/regions.js';

/**
 * Answers as the session keeps them while a scene is in progress (JSON). Each one passed its
 * step's check when it was stored, but nothing in the session is trusted as typed until it has
 * passed the scene's schema again (below).
 */
export type StoredAnswers = Record<string, unknown>;

/**
 * Reads stored answers through a scene's zod object. The session is JSON kept between updates
 * (and across deploys), so nothing in it is trusted as typed until it has passed the schema:
 * the answers so far as a `Partial<A>` for the step hooks, all of them as `A` for `complete`.
 */
export interface AnswerCheck<A> {
  /** The answers so far; any that no longer pass are left out (their questions come again). */
  draft(stored: StoredAnswers): Partial<A>;
  /** The complete answers, or the names of those that do not pass. */
  complete(stored: StoredAnswers): { ok: true; answers: A } | { ok: false; invalid: string[] };
}

function issueKeys(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((issue) => String(issue.path[0] ?? '')))];
}

export function answerCheck<S extends z.ZodRawShape>(schema: z.ZodObject<S>): AnswerCheck<z.output<z.ZodObject<S>>> {
  type A = z.output<z.ZodObject<S>>;
  const partial = schema.partial();
  // A guard, not a cast: the stored object itself is handed on only after it passed.
  const isDraft = (value: StoredAnswers): value is Partial<A> => partial.safeParse(value).success;
  // The engine reads the same (never mutated) answers object several times per input: check it once.
  const checked = new WeakMap<StoredAnswers, Partial<A>>();
  return {
    draft(stored) {
      const known = checked.get(stored);
      if (known) return known;
      const draft = readDraft(stored);
      checked.set(stored, draft);
      return draft;
    },
    complete(stored) {
      const parsed = schema.safeParse(stored);
      return parsed.success ? { ok: true, answers: parsed.data } : { ok: false, invalid: issueKeys(parsed.error) };
    },
  };

  function readDraft(stored: StoredAnswers): Partial<A> {
    if (isDraft(stored)) return stored;
    const parsed = partial.safeParse(stored);
    const invalid = new Set(parsed.success ? [] : issueKeys(parsed.error));
    const kept = Object.fromEntries(Object.entries(stored).filter(([key]) => !invalid.has(key)));
    return isDraft(kept) ? kept : {};
  }
}

/** The answer of a location step. */
export const locationAnswer = z.union([
  z.object({ type: z.literal('point'), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
  z.object({ type: z.literal('region'), region: z.enum(REGION_KEYS) }),
  z.null(),
]);

/** The answer of a date step: an ISO date-time string. */
export const dateAnswer = z.iso.datetime();

/** The answer of a consent step (a "no" ends the scene, so a stored one is always yes). */
export const consentAnswer = z.literal('yes');

export type LocationAnswer = z.output<typeof locationAnswer>;
