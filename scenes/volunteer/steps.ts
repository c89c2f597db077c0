import { z } from 'zod';
import type { Answers, ChoiceOption, StepDef, StepContext } from '../../src/engine/types.js';
import type { Reply } from '../../src/telegram/types.js';
import { isMeaningfulName } from '../../src/domain/text.js';
import { regionChoiceOptions } from '../shared/regions.js';
import { ADULT_AGE, AVAILABILITY, MAX_AGE, MIN_AGE, SKILLS, VOLUNTEER_AREAS } from '../../src/features/volunteer/volunteer-options.js';

// Steps shared by the sign-up form and the "change one answer" branch of the volunteer's page,
// so both check answers exactly the same way.

type When = ((answers: Answers) => boolean) | undefined;
const withWhen = <T extends StepDef>(step: T, when: When): T => (when ? { ...step, when } : step);

export const isMinorAge = (age: unknown): boolean => typeof age === 'number' && age >= MIN_AGE && age < ADULT_AGE;

export const areaChoices: ChoiceOption[] = VOLUNTEER_AREAS.map((a) => ({ value: a, labelKey: `volunteer:areas.${a}` }));
export const availabilityChoices: ChoiceOption[] = AVAILABILITY.map((a) => ({ value: a, labelKey: `volunteer:availability-options.${a}` }));
/** "None" is an answer of its own so that it can be typed, not only tapped as an empty "Done". */
export const skillChoices: ChoiceOption[] = [
  ...SKILLS.map((s) => ({ value: s, labelKey: `volunteer:skills.${s}` })),
  { value: 'none', labelKey: 'volunteer:skills.none' },
];

/** "none" with real skills picked by mistake means the real skills. */
export const cleanSkills = (value: unknown): string[] => (Array.isArray(value) ? value.map(String).filter((s) => s !== 'none') : []);

/** The summary shows the skills as they will be stored, never "First aid, No special skills". */
export const summarizeSkills =
  (noneKey: string) =>
  (value: unknown, _answers: Answers, ctx: StepContext): string => {
    const skills = cleanSkills(value);
    return skills.length ? skills.map((s) => ctx.t(`volunteer:skills.${s}`)).join(', ') : ctx.t(noneKey);
  };

// refine rather than min/max: those would pass a {{count}} that these messages do not use.
const nameSchema = z
  .string()
  .refine((s) => s.length <= 100, 'volunteer:name.too-long')
  .refine((s) => isMeaningfulName(s), 'volunteer:name.invalid');

const ageSchema = z.number().refine((n) => Number.isInteger(n) && n >= 1 && n <= MAX_AGE, 'volunteer:age.invalid');

/** Adds "N open missions fit you, invitations follow" when joining or widening a profile invited someone. */
export function withOpenMissions(ctx: StepContext, text: string, invited: number): string {
  return invited > 0 ? `${text}\n\n${ctx.t('volunteer:signup.open-missions', { count: invited })}` : text;
}

function underAge(ctx: StepContext): Reply[] {
  return [{ kind: 'text', text: ctx.t('volunteer:age.under-14'), keyboard: 'remove' }];
}

export const nameStep = (when?: When): StepDef =>
  withWhen({ id: 'name', kind: 'text', prompt: 'volunteer:name.prompt', schema: nameSchema }, when);

export const ageStep = (when?: When): StepDef =>
  withWhen(
    {
      id: 'age',
      kind: 'number',
      prompt: 'volunteer:age.prompt',
      schema: ageSchema,
      // Under 14 the law asks for written consent the bot cannot take: say where else to help, store nothing.
      check: (value, _answers, ctx) => (Number(value) < MIN_AGE ? { end: underAge(ctx) } : undefined),
    },
    when,
  );

export const guardianStep = (when: When = (a) => isMinorAge(a.age)): StepDef => ({
  id: 'guardian',
  kind: 'consent',
  prompt: 'volunteer:guardian.prompt',
  declinedKey: 'volunteer:guardian.declined',
  // The teenager answers for the parent: "Yes, they know and agree", not "I agree".
  agreeKey: 'volunteer:guardian.agree',
  declineKey: 'volunteer:guardian.decline',
  when,
});

export const phoneStep = (when?: When): StepDef => withWhen({ id: 'phone', kind: 'phone', prompt: 'volunteer:phone.prompt' }, when);

export const regionStep = (when?: When): StepDef =>
  withWhen({ id: 'region', kind: 'choice', prompt: 'volunteer:region.prompt', columns: 1, options: (_a, ctx) => regionChoiceOptions(ctx) }, when);

export const areasStep = (when?: When): StepDef =>
  withWhen({ id: 'areas', kind: 'choice', prompt: 'volunteer:areas.prompt', multi: { min: 1 }, options: areaChoices }, when);

export const availabilityStep = (when?: When): StepDef =>
  withWhen({ id: 'availability', kind: 'choice', prompt: 'volunteer:availability.prompt', multi: { min: 1 }, options: availabilityChoices }, when);

export const skillsStep = (when?: When): StepDef =>
  withWhen(
    { id: 'skills', kind: 'choice', prompt: 'volunteer:skills.prompt', multi: { min: 1 }, options: skillChoices, summarize: summarizeSkills('volunteer:skills.none') },
    when,
  );
