import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ChoiceOption, StepContext } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import type { Reply } from '../../src/telegram/types.js';
import { formatKzDateTime } from '../../src/domain/kz-time.js';
import { formatPhone } from '../../src/domain/phone.js';
import { chunkLines } from '../../src/features/volunteer/volunteer-texts.js';
import { fitLabel, LABEL_MAX } from '../../src/engine/options.js';
import type { Roster, RosterEntry } from '../../src/features/volunteer/missions.service.js';
import { regionsFor } from '../../src/app/access.js';
import type { MissionRecord } from '../../src/features/volunteer/mission.model.js';
import { missionStaffCallbacks } from '../../src/features/volunteer/callbacks.js';
import { MISSION_EDIT_SCENE } from './mission-edit.js';

/** Missions of the coordinator's regions (all for unlimited coordinators and admins). */
async function myMissions(ctx: StepContext) {
  return ctx.deps.services.missions.listForStaff(undefined, regionsFor(await ctx.access(), 'missions.manage'));
}

async function missionOf(ctx: StepContext, id: string | undefined) {
  return id ? ctx.deps.services.missions.get(id) : null;
}

/** The list line: open, held for confirmation, cancelled, or cancelled with the volunteers not told. */
function itemKey(m: MissionRecord): string {
  if (m.status === 'cancelled') return m.cancelNotice ? 'volunteer:manage.item-cancelled-untold' : 'volunteer:manage.item-cancelled';
  return m.inviteHold ? 'volunteer:manage.item-held' : 'volunteer:manage.item';
}

/** Names of those marked as came already that the attendance question repeats. */
const MARKED_SHOWN = 30;

const answers = z.object({
  /** The mission's id. */
  mission: z.string(),
  action: z.enum(['roster', 'edit', 'cancel', 'attendance', 'tell', 'confirm']),
  cancelConfirm: z.enum(['yes', 'no']).optional(),
  /** User ids (as text) of the volunteers who came, or "nobody". */
  came: z.array(z.string()).optional(),
  /**
   * This screen's own token, given when it opens: the attendance save run again by the mailbox
   * (a failure past its writes, a killed process) is the same save, reported and audited once.
   * Absent in a screen opened before it was given.
   */
  token: z.string().optional(),
});

function reminderWord(ctx: StepContext, answer: string | undefined): string {
  return ctx.t(answer === 'yes' ? 'volunteer:roster.coming' : answer === 'no' ? 'volunteer:roster.not-coming' : 'volunteer:roster.no-answer');
}

function rosterReplies(ctx: StepContext, roster: Roster): Reply[] {
  const m = roster.mission;
  const acceptedLine = (e: RosterEntry, i: number) =>
    ctx.t('volunteer:roster.accepted-line', {
      n: i + 1,
      name: e.name,
      phone: e.phone ? formatPhone(e.phone) : '—',
      r24: reminderWord(ctx, e.reminder24),
      r2: reminderWord(ctx, e.reminder2),
      attended: e.attended === true ? ctx.t('volunteer:roster.came') : e.attended === false ? ctx.t('volunteer:roster.did-not-come') : '',
    }).trim();
  const lines = [
    ctx.t('volunteer:roster.header', {
      title: m.title,
      start: formatKzDateTime(new Date(m.startsAt), ctx.locale),
      accepted: m.acceptedCount,
      slots: m.slots,
      status: ctx.t(m.status === 'cancelled' ? 'volunteer:roster.status-cancelled' : 'volunteer:roster.status-open'),
    }),
    '',
    roster.accepted.length ? ctx.t('volunteer:roster.accepted-title') : ctx.t('volunteer:roster.accepted-none'),
    ...roster.accepted.map(acceptedLine),
  ];
  if (roster.waiting.length) {
    lines.push('', ctx.t('volunteer:roster.waiting-title'));
    lines.push(...roster.waiting.map((e) => ctx.t('volunteer:roster.waiting-line', { n: e.position, name: e.name })));
  }
  lines.push('', ctx.t('volunteer:roster.declined', { count: roster.declined }));
  const replies: Reply[] = chunkLines(lines).map((text) => ({ kind: 'text' as const, text }));
  const last = replies[replies.length - 1];
  // Changing the details is one tap from the team it concerns (also "Change details" on the mission's screen).
  if (last?.kind === 'text' && m.status === 'open' && !ctx.deps.services.missions.hasStarted(m)) {
    last.buttons = [[{ text: ctx.t('volunteer:manage.edit'), data: missionStaffCallbacks.encode.edit({ missionId: String(m._id) }) }]];
  }
  return replies;
}

/** Staff pick a mission, then see the roster, cancel it, or (after the end) mark who came. */
export const missionManageScene = defineScene(answers, {
  id: 'mission-manage',
  version: 1,
  namespace: 'volunteer',
  titleKey: 'volunteer:manage.title',
  permission: 'missions.manage',
  // The picked mission's region must stay in the coordinator's regions on every input.
  async scope(a, ctx) {
    if (!a.mission) return undefined;
    const mission = await missionOf(ctx, a.mission);
    return mission ? { region: String(mission.region) } : undefined;
  },
  inactivitySeconds: 30 * 60,
  async enter(ctx) {
    const list = await myMissions(ctx);
    if (list.length === 0) return { refuse: [{ kind: 'text', text: ctx.t('volunteer:manage.empty') }] };
    return { answers: { token: randomBytes(8).toString('hex') } };
  },
  steps: [
    {
      id: 'mission',
      kind: 'choice',
      prompt: 'volunteer:manage.pick',
      // Start, title and places in the text, read out in full; the buttons carry the title only.
      promptParams: async (_a, ctx) => ({
        list: (await myMissions(ctx))
          .map((m, index) =>
            `${index + 1}. ${ctx.t(itemKey(m), {
              start: formatKzDateTime(new Date(m.startsAt), ctx.locale),
              title: m.title,
              accepted: m.acceptedCount,
              slots: m.slots,
            })}`,
          )
          .join('\n'),
      }),
      options: async (_a, ctx) =>
        (await myMissions(ctx)).map((m) => {
          // Places taken tell apart missions with the same title.
          const places = ctx.t('volunteer:manage.places', { accepted: m.acceptedCount, slots: m.slots });
          return { value: String(m._id), label: `${fitLabel(m.title, LABEL_MAX - [...places].length - 1)} ${places}`, aliases: [m.title] };
        }),
    },
    {
      id: 'action',
      kind: 'choice',
      prompt: 'volunteer:manage.action',
      options: async (a, ctx) => {
        const mission = await missionOf(ctx, a.mission);
        const options: ChoiceOption[] = [{ value: 'roster', labelKey: 'volunteer:manage.roster' }];
        // Told by another coordinator than the one whose notices were withheld (mission-roster.ts).
        if (mission?.status === 'cancelled' && mission.cancelNotice && mission.cancelNotice.by !== ctx.meta.userId) options.unshift({ value: 'tell', labelKey: 'volunteer:manage.tell' });
        // Confirmed by another coordinator than the one whose invitations were withheld (mission-invite-hold.ts).
        if (mission?.status === 'open' && mission.inviteHold && mission.inviteHold.by !== ctx.meta.userId && !ctx.deps.services.missions.hasStarted(mission)) {
          options.unshift({ value: 'confirm', labelKey: 'volunteer:manage.confirm-invites' });
        }
        if (mission?.status === 'open' && !ctx.deps.services.missions.hasStarted(mission)) {
          options.push({ value: 'edit', labelKey: 'volunteer:manage.edit' });
          options.push({ value: 'cancel', labelKey: 'volunteer:manage.cancel' });
        }
        if (mission?.status === 'open' && ctx.deps.services.missions.hasEnded(mission)) {
          options.push({ value: 'attendance', labelKey: 'volunteer:manage.attendance' });
        }
        return options;
      },
    },
    {
      id: 'cancelConfirm',
      kind: 'choice',
      prompt: 'volunteer:manage.cancel-confirm',
      when: (a) => a.action === 'cancel',
      options: [
        { value: 'yes', labelKey: 'volunteer:manage.cancel-yes' },
        { value: 'no', labelKey: 'volunteer:manage.cancel-no' },
      ],
    },
    {
      id: 'came',
      kind: 'choice',
      prompt: 'volunteer:manage.came',
      when: (a) => a.action === 'attendance',
      // "Nobody came" is an answer of its own: "Done" on nothing would save "nobody" by mistake,
      // and the saved list replaces the last one (taking away the hours of those not chosen again).
      multi: { min: 1 },
      promptParams: async (a, ctx) => {
        const roster = a.mission ? await ctx.deps.services.missions.roster(a.mission) : null;
        const marked = (roster?.accepted ?? []).filter((e) => e.attended === true).map((e) => e.name);
        // A few names say whom the list holds; a team of hundreds would not fit one message.
        const list = marked.length > MARKED_SHOWN ? `${marked.slice(0, MARKED_SHOWN).join('; ')}; …` : marked.join('; ');
        return marked.length ? { promptKey: 'volunteer:manage.came-again', list } : {};
      },
      options: async (a, ctx) => {
        const roster = a.mission ? await ctx.deps.services.missions.roster(a.mission) : null;
        return [
          // Multi-choice: "✓ 12. " comes before the name.
          ...(roster?.accepted ?? []).map((e) => ({ value: String(e.userId), label: fitLabel(e.name, LABEL_MAX - 2), aliases: [e.name] })),
          { value: 'nobody', labelKey: 'volunteer:manage.nobody' },
        ];
      },
    },
  ],
  async complete(a, ctx) {
    const missions = ctx.deps.services.missions;
    const id = a.mission;
    const say = (text: string) => ({ replies: [{ kind: 'text' as const, text }] });
    if (a.action === 'roster') {
      const roster = await missions.roster(id, ctx.meta.userId);
      return roster ? { replies: rosterReplies(ctx, roster) } : say(ctx.t('volunteer:manage.gone'));
    }
    if (a.action === 'edit') return { replies: [], next: { scene: MISSION_EDIT_SCENE, seed: { mission: id } } };
    if (a.action === 'cancel') {
      if (a.cancelConfirm !== 'yes') return say(ctx.t('volunteer:manage.cancel-kept'));
      const result = await missions.cancelMission(id, ctx.meta.userId);
      if (result === 'started') return say(ctx.t('volunteer:manage.cancel-started'));
      return say(result ? ctx.t('volunteer:manage.cancelled', { count: result.told }) : ctx.t('volunteer:manage.gone'));
    }
    if (a.action === 'tell') {
      const result = await missions.confirmCancellation(id, ctx.meta.userId);
      return say(result ? ctx.t('volunteer:manage.told', { count: result.told }) : ctx.t('volunteer:manage.gone'));
    }
    if (a.action === 'confirm') {
      const result = await missions.confirmInvitations(id, ctx.meta.userId);
      return say(result ? ctx.t('volunteer:manage.invites-confirmed', { count: result.invited }) : ctx.t('volunteer:manage.gone'));
    }
    const came = (a.came ?? []).filter((v) => v !== 'nobody').map(Number);
    const result = await missions.saveAttendance(id, came, ctx.meta.userId, a.token);
    if (result === 'not-ended') return say(ctx.t('volunteer:manage.not-ended'));
    if (result === 'not-found') return say(ctx.t('volunteer:manage.gone'));
    return say(ctx.t('volunteer:manage.attendance-saved', { count: result.attended, credited: result.credited }));
  },
});
