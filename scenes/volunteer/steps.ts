import { z } from 'zod';
import type { ChoiceOption, SentenceRules, StepDef, StepContext } from '../../src/engine/types.js';
import { consentAnswer } from '../../src/engine/answers.js';
import type { Reply } from '../../src/telegram/types.js';
import { isMeaningfulName } from '../../src/domain/text.js';
import { REGION_KEYS } from '../../src/domain/regions.js';
import { regionChoiceOptions, regionFromLocation, typedRegion } from '../common/regions.js';
import { ADULT_AGE, AVAILABILITY, MAX_AGE, MIN_AGE, SKILLS, VOLUNTEER_AREAS } from '../../src/features/volunteer/volunteer-options.js';

// Steps shared by the sign-up form and the "change one answer" branch of the volunteer's page,
// so both check answers exactly the same way.

/** The volunteer's answers as both forms store them (the page asks one of them at a time). */
export const volunteerFields = {
  name: z.string(),
  age: z.number().int(),
  /** A teenager's "my parent or guardian knows and agrees". */
  guardian: consentAnswer.optional(),
  phone: z.string(),
  region: z.enum(REGION_KEYS),
  areas: z.array(z.enum(VOLUNTEER_AREAS)),
  availability: z.array(z.enum(AVAILABILITY)),
  skills: z.array(z.enum([...SKILLS, 'none'])),
};

type When<A> = ((answers: Partial<A>) => boolean) | undefined;
const withWhen = <A>(step: StepDef<A>, when: When<A>): StepDef<A> => (when ? { ...step, when } : step);

export const isMinorAge = (age: unknown): boolean => typeof age === 'number' && age >= MIN_AGE && age < ADULT_AGE;

// How the three steps read a typed sentence (SentenceRules): the label words that fit more than
// their own option name nothing alone. "Protection" is of nature as much as of animals ("защита
// природы"), "ситуации"/"жағдай" of emergencies are any situation ("в трудной ситуации"),
// "образование"/"білім" (education) of medical training is any training, "жұмыс" of "Жұмыс
// күндері" is any work ("демалыс күндері жұмыс істеймін" is no weekday).
export const AREA_SENTENCES: SentenceRules = {
  vague: ['protection', 'conservation', 'защита', 'охрана', 'қорғау', 'ситуации', 'жағдайлар'],
};
export const TIME_SENTENCES: SentenceRules = { times: true, vague: ['жұмыс'] };
export const SKILL_SENTENCES: SentenceRules = { vague: ['training', 'образование', 'білім'] };

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
  (value: unknown, _answers: unknown, ctx: StepContext): string => {
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

export const nameStep = <A>(when?: When<A>): StepDef<A> =>
  withWhen({ id: 'name', kind: 'text', prompt: 'volunteer:name.prompt', schema: nameSchema }, when);

/**
 * `underAge: 'end'` (sign-up): under 14 the law asks for written consent the bot cannot take, so
 * the form says where else to help and stores nothing. `'ask'` (the volunteer page): the answer is
 * kept, and the page asks whether to delete a profile the list cannot keep (see the page).
 */
export const ageStep = <A>(when?: When<A>, underAge14: 'end' | 'ask' = 'end'): StepDef<A> =>
  withWhen(
    {
      id: 'age',
      kind: 'number',
      prompt: 'volunteer:age.prompt',
      schema: ageSchema,
      ...(underAge14 === 'end'
        ? { check: (value: unknown, _answers: Partial<A>, ctx: StepContext) => (Number(value) < MIN_AGE ? { end: underAge(ctx) } : undefined) }
        : {}),
    },
    when,
  );

export const guardianStep = <A extends { age?: number }>(when: When<A> = (a) => isMinorAge(a.age)): StepDef<A> => ({
  id: 'guardian',
  kind: 'consent',
  prompt: 'volunteer:guardian.prompt',
  declinedKey: 'volunteer:guardian.declined',
  // The teenager answers for the parent: "Yes, they know and agree", not "I agree".
  agreeKey: 'volunteer:guardian.agree',
  declineKey: 'volunteer:guardian.decline',
  when,
});

/**
 * The same question on the volunteer page, where "no" does not end the form: the profile is
 * already on the list, so the page goes on to ask whether to delete it.
 */
export const guardianChoiceStep = <A extends { age?: number }>(when: When<A>): StepDef<A> => ({
  id: 'guardian',
  kind: 'choice',
  prompt: 'volunteer:guardian.prompt',
  options: [
    { value: 'yes', labelKey: 'volunteer:guardian.agree' },
    { value: 'no', labelKey: 'volunteer:guardian.decline' },
  ],
  when,
});

/** An age the volunteer list cannot keep: under 14, or 14-17 without a parent's consent. */
export const isAgeRefused = (age: unknown, guardian: unknown): boolean =>
  typeof age === 'number' && (age < MIN_AGE || (isMinorAge(age) && guardian !== 'yes'));

export const phoneStep = <A>(when?: When<A>): StepDef<A> => withWhen({ id: 'phone', kind: 'phone', prompt: 'volunteer:phone.prompt' }, when);

export const regionStep = <A>(when?: When<A>): StepDef<A> =>
  withWhen(
    { id: 'region', kind: 'choice', prompt: 'volunteer:region.prompt', columns: 1, options: (_a, ctx) => regionChoiceOptions(ctx), typed: typedRegion, located: regionFromLocation },
    when,
  );

export const areasStep = <A>(when?: When<A>): StepDef<A> =>
  withWhen({ id: 'areas', kind: 'choice', prompt: 'volunteer:areas.prompt', multi: { min: 1 }, sentences: AREA_SENTENCES, options: areaChoices }, when);

export const availabilityStep = <A>(when?: When<A>): StepDef<A> =>
  withWhen({ id: 'availability', kind: 'choice', prompt: 'volunteer:availability.prompt', multi: { min: 1 }, sentences: TIME_SENTENCES, options: availabilityChoices }, when);

export const skillsStep = <A>(when?: When<A>): StepDef<A> =>
  withWhen(
    { id: 'skills', kind: 'choice', prompt: 'volunteer:skills.prompt', multi: { min: 1 }, sentences: SKILL_SENTENCES, options: skillChoices, summarize: summarizeSkills('volunteer:skills.none') },
    when,
  );
