import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { StepContext } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { dateAnswer, locationAnswer } from '../../src/engine/answers.js';
import { REGION_KEYS } from '../../src/domain/regions.js';
import { areaChoices, cleanSkills, summarizeSkills } from './steps.js';
import { regionChoiceOptions, typedRegion } from '../common/regions.js';
import { SKILLS, VOLUNTEER_AREAS } from '../../src/features/volunteer/volunteer-options.js';
import { regionsFor } from '../../src/app/access.js';
import {
  missionDescriptionStep,
  missionDurationStep,
  missionFormKeys,
  missionLocationStep,
  missionPlaceStep,
  missionSlotsStep,
  missionStartStep,
  missionTitleStep,
} from './mission-steps.js';

const requiredSkills = [
  ...SKILLS.map((s) => ({ value: s, labelKey: `volunteer:skills.${s}` })),
  { value: 'none', labelKey: 'volunteer:mission-form.skills.none' },
];

const answers = z.object({
  title: z.string(),
  description: z.string(),
  area: z.enum(VOLUNTEER_AREAS),
  region: z.enum(REGION_KEYS),
  place: z.string(),
  location: locationAnswer,
  start: dateAnswer,
  duration: z.number().int(),
  slots: z.number().int(),
  skills: z.array(z.enum([...SKILLS, 'none'])),
  minors: z.enum(['no', 'yes']),
  /**
   * This screen's own token, given when it opens: «Publish» run again (the mailbox retries a tap
   * after a passing failure or a killed process; the coordinator taps again after an error)
   * finds the mission it wrote. Screens opened before it had one go without.
   */
  token: z.string().optional(),
});
type Answers = z.output<typeof answers>;

function criteria(a: Pick<Answers, 'region' | 'area' | 'skills' | 'minors'>) {
  return { region: a.region, area: a.area, skills: cleanSkills(a.skills), minorsAllowed: a.minors === 'yes' };
}

const key = missionFormKeys;

/** Staff publish a mission; the summary says how many volunteers will be invited. */
export const missionCreateScene = defineScene(answers, {
  id: 'mission-create',
  version: 2,
  namespace: 'volunteer',
  titleKey: 'volunteer:mission-form.scene-title',
  permission: 'missions.manage',
  // A coordinator publishes only in their regions, checked on every input once a region is chosen.
  scope: (a) => (a.region ? { region: a.region } : undefined),
  inactivitySeconds: 60 * 60,
  async enter() {
    return { answers: { token: randomBytes(8).toString('hex') } };
  },
  steps: [
    missionTitleStep(),
    missionDescriptionStep(),
    { id: 'area', kind: 'choice', ...key('area'), options: areaChoices },
    {
      id: 'region',
      kind: 'choice',
      ...key('region'),
      columns: 1,
      typed: typedRegion,
      async options(_a, ctx) {
        const regions = regionsFor(await ctx.access(), 'missions.manage');
        return regions === null ? regionChoiceOptions(ctx) : regionChoiceOptions(ctx).filter((o) => regions.includes(o.value));
      },
    },
    missionPlaceStep(),
    missionLocationStep(),
    missionStartStep(),
    missionDurationStep(),
    missionSlotsStep(),
    {
      id: 'skills',
      kind: 'choice',
      ...key('skills'),
      multi: { min: 0 },
      options: requiredSkills,
      summarize: summarizeSkills('volunteer:mission-form.skills.none'),
    },
    {
      // Law 42-VI lets 14-17-year-olds take part only in work suited to their age; staff decide per mission.
      id: 'minors',
      kind: 'choice',
      ...key('minors'),
      options: [
        { value: 'no', labelKey: 'volunteer:mission-form.minors.no' },
        { value: 'yes', labelKey: 'volunteer:mission-form.minors.yes' },
      ],
    },
    {
      id: 'confirm',
      kind: 'confirm',
      prompt: 'volunteer:mission-form.confirm.prompt',
      submitKey: 'volunteer:mission-form.confirm.submit',
      promptParams: async (a: Partial<Answers>, ctx: StepContext) => {
        const { region, area, skills = [], minors } = a;
        // The summary comes after every answer, so all of these are there.
        return { count: region && area && minors ? await ctx.deps.services.missions.countMatching(criteria({ region, area, skills, minors })) : 0 };
      },
    },
  ],
  async complete(a, ctx) {
    const start = new Date(a.start);
    if (start.getTime() <= ctx.deps.now().getTime()) {
      return { replies: [{ kind: 'text', text: ctx.t('volunteer:mission-form.start.past') }] };
    }
    const { location } = a;
    const { invited } = await ctx.deps.services.missions.publish(
      {
        title: a.title,
        description: a.description,
        ...criteria(a),
        place: a.place,
        ...(location?.type === 'point' ? { latitude: location.latitude, longitude: location.longitude } : {}),
        startsAt: start,
        durationHours: a.duration,
        slots: a.slots,
      },
      ctx.meta.userId,
      a.token,
    );
    return { replies: [{ kind: 'text', text: ctx.t('volunteer:mission-form.published', { count: invited }) }] };
  },
});
