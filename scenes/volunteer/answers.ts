import { z } from 'zod';
import type { ChoiceOption, ChoiceStep, SceneResult, StepCheck, StepContext } from '../../src/engine/types.js';
import type { MissionRecord } from '../../src/features/volunteer/mission.model.js';
import { formatKzDateTime } from '../../src/domain/kz-time.js';
import { missionDetailsText, missionListText, missionOptionLabel } from '../../src/features/volunteer/mission-texts.js';
import { answerMission, type MissionAnswer } from '../../src/features/volunteer/volunteer-answers.js';

// Invitations and "still coming?" reminders arrive with buttons only. On the volunteer page the
// same answers are questions of the scene, so they can be typed ("1", "accept", "қабылдау").
// No answer word may be a navigation word of any language ("Бас тарту" is Cancel in Kazakh).

/** The answer words of the user's language, as extra typed forms of an option. */
const words = (ctx: StepContext, key: string): string[] =>
  ctx
    .t(key)
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

/** The button says when; the message lists what and where in full, and a typed title also picks it. */
const missionOption = (ctx: StepContext, m: MissionRecord, value: string): ChoiceOption => ({ value, label: missionOptionLabel(m, ctx.locale), aliases: [m.title] });

/** Entries of the page's first question, shown only while something waits for an answer. */
export async function waitingOptions(ctx: StepContext): Promise<ChoiceOption[]> {
  const { missions } = ctx.deps.services;
  const [invitations, reminders] = await Promise.all([missions.pendingInvitations(ctx.meta.userId), missions.pendingReminders(ctx.meta.userId)]);
  const options: ChoiceOption[] = [];
  if (invitations.length > 0) options.push({ value: 'invitations', label: ctx.t('volunteer:page.invitations', { n: invitations.length }) });
  if (reminders.length > 0) options.push({ value: 'reminders', label: ctx.t('volunteer:page.reminders', { n: reminders.length }) });
  return options;
}

/** The entry was on screen, but everything in it was answered meanwhile (e.g. by a button). */
export async function checkWaiting(value: unknown, ctx: StepContext): Promise<StepCheck> {
  const { missions } = ctx.deps.services;
  const left =
    value === 'invitations'
      ? (await missions.pendingInvitations(ctx.meta.userId)).length
      : value === 'reminders'
        ? (await missions.pendingReminders(ctx.meta.userId)).length
        : 1;
  return left > 0 ? undefined : { end: [{ kind: 'text', text: ctx.t('volunteer:respond.none') }] };
}

/** A reminder is picked as "<hours>-<missionId>": the answer belongs to that reminder. */
function parseReminder(value: unknown): { hours: number; missionId: string } | null {
  const match = /^(24|2)-([0-9a-f]{24})$/.exec(String(value));
  return match ? { hours: Number(match[1]), missionId: match[2]! } : null;
}

/** The answers of the steps below, as fields of the page's schema. */
export const answerFields = {
  invitation: z.string().optional(),
  invitationAnswer: z.enum(['accept', 'decline']).optional(),
  reminder: z.string().optional(),
  reminderAnswer: z.enum(['yes', 'no']).optional(),
};
interface AnswerFields {
  action?: string;
  invitation?: string;
  invitationAnswer?: 'accept' | 'decline';
  reminder?: string;
  reminderAnswer?: 'yes' | 'no';
}

export const answerSteps = <A extends AnswerFields>(): Array<ChoiceStep<A>> => [
  {
    id: 'invitation',
    kind: 'choice',
    prompt: 'volunteer:respond.pick-invitation',
    when: (a) => a.action === 'invitations',
    promptParams: async (_a, ctx) => ({ list: missionListText(ctx.t, ctx.locale, await ctx.deps.services.missions.pendingInvitations(ctx.meta.userId)) }),
    options: async (_a, ctx) => (await ctx.deps.services.missions.pendingInvitations(ctx.meta.userId)).map((m) => missionOption(ctx, m, String(m._id))),
  },
  {
    id: 'invitationAnswer',
    kind: 'choice',
    prompt: 'volunteer:respond.invitation-prompt',
    when: (a) => a.action === 'invitations',
    promptParams: async (a, ctx) => {
      const mission = a.invitation ? await ctx.deps.services.missions.get(a.invitation) : null;
      return { details: mission ? missionDetailsText(ctx.t, ctx.locale, mission) : '' };
    },
    options: (_a, ctx) => [
      { value: 'accept', labelKey: 'volunteer:invite.accept', aliases: words(ctx, 'volunteer:respond.accept-words') },
      { value: 'decline', labelKey: 'volunteer:invite.decline', aliases: words(ctx, 'volunteer:respond.decline-words') },
    ],
  },
  {
    id: 'reminder',
    kind: 'choice',
    prompt: 'volunteer:respond.pick-reminder',
    when: (a) => a.action === 'reminders',
    promptParams: async (_a, ctx) => ({
      list: missionListText(ctx.t, ctx.locale, (await ctx.deps.services.missions.pendingReminders(ctx.meta.userId)).map((r) => r.mission)),
    }),
    options: async (_a, ctx) =>
      (await ctx.deps.services.missions.pendingReminders(ctx.meta.userId)).map((r) => missionOption(ctx, r.mission, `${r.hours}-${String(r.mission._id)}`)),
  },
  {
    id: 'reminderAnswer',
    kind: 'choice',
    prompt: 'volunteer:respond.reminder-prompt',
    when: (a) => a.action === 'reminders',
    promptParams: async (a, ctx) => {
      const mission = await ctx.deps.services.missions.get(parseReminder(a.reminder)?.missionId ?? '');
      if (!mission) return { title: '', start: '', place: '' };
      return { title: mission.title, start: formatKzDateTime(new Date(mission.startsAt), ctx.locale), place: mission.place };
    },
    options: (_a, ctx) => [
      { value: 'yes', labelKey: 'volunteer:reminder.yes', aliases: words(ctx, 'volunteer:respond.yes-words') },
      { value: 'no', labelKey: 'volunteer:reminder.no', aliases: words(ctx, 'volunteer:respond.no-words') },
    ],
  },
];

/** Sends the typed answer through the same service calls as the buttons, with the same message. */
export async function completeAnswer(answers: AnswerFields, ctx: StepContext): Promise<SceneResult> {
  let missionId: string;
  let answer: MissionAnswer;
  if (answers.action === 'invitations') {
    if (!answers.invitation) return { replies: [{ kind: 'text', text: ctx.t('errors:internal') }] };
    missionId = answers.invitation;
    answer = answers.invitationAnswer === 'accept' ? { kind: 'accept' } : { kind: 'decline' };
  } else {
    const picked = parseReminder(answers.reminder);
    if (!picked) return { replies: [{ kind: 'text', text: ctx.t('errors:internal') }] };
    missionId = picked.missionId;
    answer = { kind: 'reminder', hours: picked.hours, coming: answers.reminderAnswer === 'yes' };
  }
  const { key, params } = await answerMission(ctx.deps.services.missions, missionId, ctx.meta.userId, answer);
  return { replies: [{ kind: 'text', text: ctx.t(key, params) }] };
}
