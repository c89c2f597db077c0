import { z } from 'zod';
import type { ChoiceOption, StepContext } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import type { Reply } from '../../src/telegram/types.js';
import { normalizePhone } from '../../src/domain/phone.js';
import { missionsAndHoursText, profileText } from '../../src/features/volunteer/volunteer-texts.js';
import {
  ageStep,
  areasStep,
  availabilityStep,
  cleanSkills,
  guardianChoiceStep,
  isAgeRefused,
  isMinorAge,
  nameStep,
  phoneStep,
  regionStep,
  skillsStep,
  volunteerFields,
  withOpenMissions,
} from './steps.js';
import { missionListText, missionOptionLabel } from '../../src/features/volunteer/mission-texts.js';
import { answerFields, answerSteps, checkWaiting, completeAnswer, waitingOptions } from './answers.js';

const FIELDS = ['name', 'age', 'phone', 'region', 'areas', 'availability', 'skills'] as const;
type Field = (typeof FIELDS)[number];
const MATCH_FIELDS = new Set<Field>(['age', 'region', 'areas', 'skills']);

const ACTIONS = ['invitations', 'reminders', 'missions', 'cancel-mission', 'edit', 'pause', 'resume', 'leave'] as const;
const yesNo = z.enum(['yes', 'no']);

const answers = z.object({
  action: z.enum(ACTIONS),
  ...answerFields,
  mission: z.string().optional(),
  cancelConfirm: yesNo.optional(),
  field: z.enum(FIELDS).optional(),
  // One of them, when the volunteer changes an answer.
  ...z.object(volunteerFields).partial().shape,
  // On the page a parent's "no" is an answer too (it leads to ageLeave).
  guardian: yesNo.optional(),
  /** Delete the profile after an age the list cannot keep ("no": it was a typing mistake). */
  ageLeave: yesNo.optional(),
  leaveConfirm: yesNo.optional(),
});
type Answers = Partial<z.output<typeof answers>>;

const editing = (field: Field) => (a: Answers) => a.action === 'edit' && a.field === field;

async function upcoming(ctx: StepContext) {
  return ctx.deps.services.missions.upcomingFor(ctx.meta.userId);
}

/**
 * The volunteer's own page. Every action is an answer to a question, so it can be typed as
 * well as tapped: answer invitations and reminders, see missions and hours, cancel a mission,
 * change one answer, pause, leave.
 */
export const volunteerPageScene = defineScene(answers, {
  id: 'volunteer-page',
  version: 3,
  namespace: 'volunteer',
  titleKey: 'volunteer:page.title',
  inactivitySeconds: 15 * 60,
  async enter(ctx) {
    if (!(await ctx.deps.services.volunteers.isVolunteer(ctx.meta.userId))) {
      return { refuse: [{ kind: 'text', text: ctx.t('volunteer:page.not-volunteer') }] };
    }
    return { answers: {} };
  },
  steps: [
    {
      id: 'action',
      kind: 'choice',
      prompt: 'volunteer:page.prompt',
      promptParams: async (_a, ctx) => {
        const profile = await ctx.deps.services.volunteers.get(ctx.meta.userId);
        return { profile: profile ? profileText(ctx.t, ctx.locale, profile) : '' };
      },
      options: async (_a, ctx) => {
        const profile = await ctx.deps.services.volunteers.get(ctx.meta.userId);
        // What waits for an answer comes first: it is the most urgent.
        const options: ChoiceOption[] = [...(await waitingOptions(ctx)), { value: 'missions', labelKey: 'volunteer:page.missions' }];
        if ((await upcoming(ctx)).length > 0) options.push({ value: 'cancel-mission', labelKey: 'volunteer:page.cancel-mission' });
        options.push({ value: 'edit', labelKey: 'volunteer:page.edit' });
        options.push(
          profile?.paused ? { value: 'resume', labelKey: 'volunteer:page.resume' } : { value: 'pause', labelKey: 'volunteer:page.pause' },
        );
        options.push({ value: 'leave', labelKey: 'volunteer:page.leave' });
        return options;
      },
      check: (value, _a, ctx) => checkWaiting(value, ctx),
    },
    ...answerSteps<z.output<typeof answers>>(),
    {
      id: 'mission',
      kind: 'choice',
      prompt: 'volunteer:page.pick-mission',
      when: (a) => a.action === 'cancel-mission',
      // The full titles are in the text; the buttons say when (docs/style-guide.md, Buttons).
      promptParams: async (_a, ctx) => ({ list: missionListText(ctx.t, ctx.locale, (await upcoming(ctx)).map((m) => m.mission)) }),
      options: async (_a, ctx) =>
        (await upcoming(ctx)).map((m) => ({ value: String(m.mission._id), label: missionOptionLabel(m.mission, ctx.locale), aliases: [m.mission.title] })),
    },
    {
      id: 'cancelConfirm',
      kind: 'choice',
      prompt: 'volunteer:page.cancel-confirm',
      when: (a) => a.action === 'cancel-mission' && a.mission !== undefined,
      options: [
        { value: 'yes', labelKey: 'volunteer:page.cancel-yes' },
        { value: 'no', labelKey: 'volunteer:page.cancel-no' },
      ],
    },
    {
      id: 'field',
      kind: 'choice',
      prompt: 'volunteer:page.pick-field',
      when: (a) => a.action === 'edit',
      options: FIELDS.map((f) => ({ value: f, labelKey: `volunteer:${f}.summary` })),
    },
    nameStep(editing('name')),
    ageStep(editing('age'), 'ask'),
    guardianChoiceStep((a) => editing('age')(a) && isMinorAge(a.age)),
    {
      id: 'ageLeave',
      kind: 'choice',
      prompt: 'volunteer:page.age-leave',
      when: (a) => editing('age')(a) && isAgeRefused(a.age, a.guardian),
      promptParams: (a, ctx) => ({
        reason: ctx.t(isMinorAge(a.age) ? 'volunteer:page.age-leave-guardian' : 'volunteer:page.age-leave-under-14'),
      }),
      options: [
        { value: 'yes', labelKey: 'volunteer:page.age-leave-yes' },
        { value: 'no', labelKey: 'volunteer:page.age-leave-no' },
      ],
    },
    phoneStep(editing('phone')),
    regionStep(editing('region')),
    areasStep(editing('areas')),
    availabilityStep(editing('availability')),
    skillsStep(editing('skills')),
    {
      id: 'leaveConfirm',
      kind: 'choice',
      prompt: 'volunteer:page.leave-confirm',
      when: (a) => a.action === 'leave',
      options: [
        { value: 'yes', labelKey: 'volunteer:page.leave-yes' },
        { value: 'no', labelKey: 'volunteer:page.leave-no' },
      ],
    },
  ],
  async complete(answers, ctx) {
    const { volunteers, missions } = ctx.deps.services;
    const userId = ctx.meta.userId;
    const say = (text: string): { replies: Reply[] } => ({ replies: [{ kind: 'text', text }] });
    // Places given up (and passed on), the profile deleted; hours of past missions kept without the name.
    const leaveList = async (): Promise<string> => {
      const kept = await missions.eraseVolunteer(userId);
      await volunteers.remove(userId);
      const extra = kept.keptMissions > 0 ? `\n\n${ctx.t('volunteer:mydata.kept', { count: kept.keptHours })}` : '';
      return `${ctx.t('volunteer:page.left')}${extra}`;
    };
    switch (answers.action) {
      case 'invitations':
      case 'reminders':
        return completeAnswer(answers, ctx);
      case 'missions': {
        const [list, hours] = await Promise.all([missions.upcomingFor(userId), missions.hours(userId)]);
        return say(missionsAndHoursText(ctx.t, ctx.locale, list, hours));
      }
      case 'cancel-mission': {
        if (answers.cancelConfirm !== 'yes') return say(ctx.t('volunteer:page.cancel-kept'));
        if (!answers.mission) return say(ctx.t('errors:internal'));
        const result = await missions.cancelByVolunteer(answers.mission, userId);
        return say(ctx.t(result === 'released' ? 'volunteer:page.cancel-done' : result === 'started' ? 'volunteer:mission-answer.started' : 'volunteer:page.cancel-none'));
      }
      case 'pause':
        await volunteers.setPaused(userId, true);
        return say(ctx.t('volunteer:page.paused'));
      case 'resume': {
        await volunteers.setPaused(userId, false);
        // Missions published while invitations were paused.
        return say(withOpenMissions(ctx, ctx.t('volunteer:page.resumed'), await missions.inviteToOpenMissions(userId)));
      }
      case 'leave': {
        if (answers.leaveConfirm !== 'yes') return say(ctx.t('volunteer:page.leave-kept'));
        return say(await leaveList());
      }
      case 'edit': {
        const field = answers.field;
        if (!field) return say(ctx.t('errors:internal'));
        // An age the list cannot keep is never stored: the profile goes, or stays as it was.
        if (field === 'age' && isAgeRefused(answers.age, answers.guardian)) {
          return say(answers.ageLeave === 'yes' ? await leaveList() : ctx.t('volunteer:page.age-kept'));
        }
        const given = answers[field];
        const value = field === 'phone' && typeof given === 'string' ? normalizePhone(given) : field === 'skills' ? cleanSkills(given) : given;
        if (value === null || value === undefined) return say(ctx.t('errors:internal'));
        await volunteers.updateField(userId, field === 'name' ? 'fullName' : field, value, { guardianConsent: answers.guardian === 'yes' });
        // Law 42-VI: a 14-17-year-old takes part only in missions open to their age, also those accepted before.
        const left = field === 'age' && isMinorAge(value) ? await missions.leaveAdultsOnly(userId) : [];
        const saved = left.length
          ? `${ctx.t('volunteer:page.saved')}\n\n${ctx.t('volunteer:page.adults-only-left', { list: missionListText(ctx.t, ctx.locale, left) })}`
          : ctx.t('volunteer:page.saved');
        // A new region, area, skill or age can fit missions that are already open.
        const invited = MATCH_FIELDS.has(field) ? await missions.inviteToOpenMissions(userId) : 0;
        return say(withOpenMissions(ctx, saved, invited));
      }
      default:
        return say(ctx.t('errors:internal'));
    }
  },
});
