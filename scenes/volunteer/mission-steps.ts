import { z } from 'zod';
import type { StepDef, StepContext } from '../../src/engine/types.js';
import { MISSION_TITLE_MAX } from '../../src/features/volunteer/volunteer-options.js';

// The questions about a mission's details, shared by publishing a mission (mission-create) and
// changing one already published (mission-edit), so a changed value is checked exactly as a new
// one: the same limits, the same messages.

type When<A> = ((answers: Partial<A>) => boolean) | undefined;
const withWhen = <A>(step: StepDef<A>, when: When<A>): StepDef<A> => (when ? { ...step, when } : step);

const text = (min: number, max: number) => z.string().min(min, 'errors:text.too-short').max(max, 'errors:text.too-long');

/** Missions are published (and moved) at most a year ahead. */
const MAX_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;

export const missionFormKeys = (id: string) => ({ prompt: `volunteer:mission-form.${id}.prompt`, summaryKey: `volunteer:mission-form.${id}.summary` });

export const DURATION_MAX = 24;
export const SLOTS_MAX = 500;

export const missionTitleStep = <A>(when?: When<A>): StepDef<A> =>
  withWhen({ id: 'title', kind: 'text', ...missionFormKeys('title'), schema: text(3, MISSION_TITLE_MAX) }, when);

export const missionDescriptionStep = <A>(when?: When<A>): StepDef<A> =>
  withWhen({ id: 'description', kind: 'text', ...missionFormKeys('description'), schema: text(10, 1000) }, when);

export const missionPlaceStep = <A>(when?: When<A>): StepDef<A> =>
  withWhen({ id: 'place', kind: 'text', ...missionFormKeys('place'), schema: text(3, 200) }, when);

export const missionLocationStep = <A>(when?: When<A>): StepDef<A> =>
  withWhen({ id: 'location', kind: 'location', ...missionFormKeys('location'), allowRegion: false, optional: true }, when);

/** In the future and not more than a year ahead: the same rule when the start is moved. */
export function startProblem(value: unknown, ctx: Pick<StepContext, 'deps'>): string | undefined {
  const start = typeof value === 'string' ? new Date(value).getTime() : NaN;
  const now = ctx.deps.now().getTime();
  if (!(start > now)) return 'volunteer:mission-form.start.past';
  // A mistyped year (2062 for 2026) would invite volunteers to a mission decades ahead.
  return start - now > MAX_AHEAD_MS ? 'volunteer:mission-form.start.too-far' : undefined;
}

export const missionStartStep = <A>(when?: When<A>): StepDef<A> =>
  withWhen(
    {
      id: 'start',
      kind: 'date',
      ...missionFormKeys('start'),
      withTime: true,
      check: (value, _a, ctx) => {
        const errorKey = startProblem(value, ctx);
        return errorKey ? { errorKey } : undefined;
      },
    },
    when,
  );

export const missionDurationStep = <A>(when?: When<A>): StepDef<A> =>
  withWhen(
    {
      id: 'duration',
      kind: 'number',
      ...missionFormKeys('duration'),
      schema: z.number().refine((n) => Number.isInteger(n) && n >= 1 && n <= DURATION_MAX, 'volunteer:mission-form.duration.range'),
    },
    when,
  );

/** `check`: a further rule of the form using it (changing a mission: not below the places taken). */
export const missionSlotsStep = <A>(when?: When<A>, check?: StepDef<A>['check']): StepDef<A> =>
  withWhen(
    {
      id: 'slots',
      kind: 'number',
      ...missionFormKeys('slots'),
      schema: z.number().refine((n) => Number.isInteger(n) && n >= 1 && n <= SLOTS_MAX, 'volunteer:mission-form.slots.range'),
      ...(check ? { check } : {}),
    },
    when,
  );
