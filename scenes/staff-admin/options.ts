import { z } from 'zod';
import type { ChoiceOption, ChoiceStep, StepContext } from '../../src/engine/types.js';
import { REGION_KEYS, regionKeysByName, regionName } from '../../src/domain/regions.js';
import { INQUIRY_TOPICS, STAFF_ROLES } from '../../src/app/access.js';

/** Choices and wording shared by the staff screens (invites and the staff list). */

export const ALL = 'all';

/** A multi-choice of regions or topics ("all" among them means no limit). */
export const regionScope = z.array(z.union([z.literal(ALL), z.enum(REGION_KEYS)]));
export const topicScope = z.array(z.union([z.literal(ALL), z.enum(INQUIRY_TOPICS)]));

export const roleOptions: ChoiceOption[] = STAFF_ROLES.map((role) => ({ value: role, labelKey: `staff:role.${role}` }));

export function regionOptions(ctx: StepContext): ChoiceOption[] {
  return [
    { value: ALL, labelKey: 'staff:scope.all-regions' },
    ...regionKeysByName(ctx.locale).map((key) => ({ value: key, label: regionName(key, ctx.locale) })),
  ];
}

export const topicOptions: ChoiceOption[] = [
  { value: ALL, labelKey: 'staff:scope.all-topics' },
  ...INQUIRY_TOPICS.map((topic) => ({ value: topic, labelKey: `staff:topic.${topic}` })),
];

/** A multi-choice answer as a scope: "all" (or nothing) means no limit. */
export function scopeOf(value: unknown): string[] | null {
  const list = Array.isArray(value) ? value.map(String) : [];
  return list.length === 0 || list.includes(ALL) ? null : list;
}

export { accessText, regionsText, topicsText } from '../../src/features/staff-admin/access-text.js';
import { regionsText, topicsText } from '../../src/features/staff-admin/access-text.js';

/** Which regions a member works in: one or more, one per row (long names are not cut in half). */
export function regionsStep<A>(prompt: string, when: (a: Partial<A>) => boolean, summaryKey?: string): ChoiceStep<A> {
  return {
    id: 'regions',
    kind: 'choice',
    prompt,
    ...(summaryKey ? { summaryKey } : {}),
    when,
    multi: { min: 1 },
    columns: 1,
    options: (_a, ctx) => regionOptions(ctx),
    summarize: (value, _a, ctx) => regionsText(ctx, scopeOf(value)),
  };
}

/** Which topics of citizens' questions an operator answers: one or more. */
export function topicsStep<A>(prompt: string, when: (a: Partial<A>) => boolean, summaryKey?: string): ChoiceStep<A> {
  return {
    id: 'topics',
    kind: 'choice',
    prompt,
    ...(summaryKey ? { summaryKey } : {}),
    when,
    multi: { min: 1 },
    options: topicOptions,
    summarize: (value, _a, ctx) => topicsText(ctx, scopeOf(value)),
  };
}
