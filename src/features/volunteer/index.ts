import { cancelledConfirmsMark, inviteConfirmsMark, parseMissionRef } from './mission-texts.js';
import type { Feature, HandlerContext, PersonalDataSection } from '../../app/types.js';
import { allows } from '../../app/access.js';
import type { Reply } from '../../telegram/types.js';
import type { DeliveryGuard } from '../../delivery/types.js';
import { volunteerSignupScene } from '../../../scenes/volunteer/signup.js';
import { volunteerPageScene } from '../../../scenes/volunteer/page.js';
import { missionCreateScene } from '../../../scenes/volunteer/mission-create.js';
import { missionManageScene } from '../../../scenes/volunteer/mission-manage.js';
import { MISSION_EDIT_SCENE, missionEditScene } from '../../../scenes/volunteer/mission-edit.js';
import { inviteButtons, missionDetailsText } from './mission-texts.js';
import { missionCallbacks, missionStaffCallbacks } from './callbacks.js';
import { missionsAndHoursText, profileText, upcomingText } from './volunteer-texts.js';
import { backfillVolunteerFlags, backfillVolunteerGroupRegions, backfillVolunteerRegions } from './volunteer-flags.js';
import { startUpMatching } from './match-start-up.js';
import { answerMission, type MissionAnswer } from './volunteer-answers.js';

async function openVolunteer(ctx: HandlerContext): Promise<void> {
  const isVolunteer = await ctx.deps.services.volunteers.isVolunteer(ctx.meta.userId);
  await ctx.startScene(isVolunteer ? 'volunteer-page' : 'volunteer-signup');
}

async function myHours(ctx: HandlerContext): Promise<void> {
  const { missions } = ctx.deps.services;
  const [upcoming, hours] = await Promise.all([missions.upcomingFor(ctx.meta.userId), missions.hours(ctx.meta.userId)]);
  ctx.reply({ kind: 'text', text: missionsAndHoursText(ctx.t, ctx.locale, upcoming, hours) });
  await ctx.showMenu();
}

/**
 * Buttons on invitations and reminders (they arrive outside any scene). The tapped message is
 * rewritten with the answer and without buttons, so an old button cannot be tapped again.
 */
async function missionButton(ctx: HandlerContext, rest: string, messageId: number | undefined): Promise<void> {
  const tapped = missionCallbacks.decode(rest);
  if (!tapped) {
    ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
    return;
  }
  const { missionId } = tapped;
  const { missions } = ctx.deps.services;
  if ((tapped.action === 'accept' || tapped.action === 'acceptAt') && (await missions.invitationOutdated(missionId, 'version' in tapped ? tapped.version : 0, ctx.meta.userId))) {
    await showChangedInvitation(ctx, missionId, messageId);
    return;
  }
  const answer: MissionAnswer =
    tapped.action === 'accept' || tapped.action === 'acceptAt'
      ? { kind: 'accept' }
      : tapped.action === 'decline'
        ? { kind: 'decline' }
        : {
            kind: 'reminder',
            hours: tapped.hours,
            coming: tapped.action === 'stillComing' || tapped.action === 'stillComingAt',
            version: 'version' in tapped ? tapped.version : 0,
          };
  // Not settled: another tap is still at work on this answer, so the buttons stay to tap again.
  const { key, params, settled } = await answerMission(missions, missionId, ctx.meta.userId, answer);
  const mission = await missions.get(missionId);
  const text = ctx.t(key, params);
  const replies: Reply[] = [{ kind: 'toast', text: text.split('\n')[0]!.slice(0, 190) }];
  // A button forged by someone the mission is not for: told only the answer, not what the mission is.
  if (settled && messageId !== undefined && mission && (await missions.isFor(missionId, ctx.meta.userId))) {
    replies.push({ kind: 'edit', messageId, text: `${missionDetailsText(ctx.t, ctx.locale, mission)}\n\n${text}` });
  } else {
    replies.push({ kind: 'text', text });
  }
  ctx.reply(...replies);
}

/**
 * Accept on an invitation whose mission changed since (time, place, what to do): the volunteer
 * decides on what is true now, so the mission is shown as it is, with buttons for this version.
 */
async function showChangedInvitation(ctx: HandlerContext, missionId: string, messageId: number | undefined): Promise<void> {
  const mission = await ctx.deps.services.missions.get(missionId);
  if (!mission) return;
  const text = ctx.t('volunteer:invite.changed', { details: missionDetailsText(ctx.t, ctx.locale, mission) });
  const buttons = inviteButtons(ctx.t, missionId, mission.version ?? 0);
  ctx.reply({ kind: 'toast', text: ctx.t('volunteer:invite.changed-toast') });
  ctx.reply(messageId !== undefined ? { kind: 'edit', messageId, text, buttons } : { kind: 'text', text, buttons });
}

/**
 * "Change details" under a mission's team. A forged or stale button is only a toast; a
 * mission of a region the tapper does not manage is refused and audited (the scene checks again).
 */
async function missionStaffButton(ctx: HandlerContext, rest: string): Promise<void> {
  const tapped = missionStaffCallbacks.decode(rest);
  if (!tapped) {
    ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
    return;
  }
  // Refused here with the mission named in the audit line (the scene's own check would name only the scene).
  const mission = await ctx.deps.services.missions.get(tapped.missionId);
  if (mission && !allows(await ctx.access(), 'missions.manage', { region: String(mission.region) })) {
    await ctx.deps.services.access.recordDenied(ctx.meta.userId, 'missions.manage', `mission:${tapped.missionId}`, { action: 'edit', button: 'edit' });
    ctx.reply({ kind: 'text', text: ctx.t('volunteer:mission-edit.no-access') });
    return ctx.showMenu();
  }
  await ctx.startScene(MISSION_EDIT_SCENE, { mission: tapped.missionId });
}

const volunteerData: PersonalDataSection = {
  id: 'volunteer',
  async describe(ctx) {
    const profile = await ctx.deps.services.volunteers.get(ctx.meta.userId);
    if (!profile) return [];
    const { missions } = ctx.deps.services;
    const [hours, upcoming, declined, missed, invitations] = await Promise.all([
      missions.hours(ctx.meta.userId),
      missions.upcomingFor(ctx.meta.userId),
      missions.declinedCount(ctx.meta.userId),
      missions.missedCount(ctx.meta.userId),
      missions.pendingInvitations(ctx.meta.userId),
    ]);
    // Every answer the bot keeps: places ahead (team, waiting list) and the "no"s, besides the
    // hours; and what it keeps that others said or sent: the organisers' "did not come" marks
    // and the invitations not answered yet.
    return [
      ctx.t('volunteer:mydata.profile', { profile: profileText(ctx.t, ctx.locale, profile) }),
      ...(upcoming.length ? [`• ${upcomingText(ctx.t, ctx.locale, upcoming)}`] : []),
      ctx.t('volunteer:mydata.hours', { count: hours.total, missions: hours.missions.length }),
      ...(declined > 0 ? [ctx.t('volunteer:mydata.declined', { n: declined })] : []),
      ...(missed > 0 ? [ctx.t('volunteer:mydata.missed', { n: missed })] : []),
      ...(invitations.length > 0 ? [ctx.t('volunteer:mydata.invited', { n: invitations.length })] : []),
    ];
  },
  async erase(ctx) {
    const kept = await ctx.deps.services.missions.eraseVolunteer(ctx.meta.userId);
    await ctx.deps.services.volunteers.remove(ctx.meta.userId);
    return { keptByLaw: kept.keptMissions > 0 ? [ctx.t('volunteer:mydata.kept', { count: kept.keptHours })] : [], notDeleted: [] };
  },
};

/** Volunteers sign up and answer missions; staff publish missions, see rosters and mark attendance. */
export const volunteerFeature: Feature = {
  startUp: [
    { name: 'volunteer audience flags', run: backfillVolunteerFlags },
    // After the flags: it looks for volunteers' records (flag set) without a region.
    { name: 'volunteer announcement regions', run: backfillVolunteerRegions },
    { name: 'volunteer group regions', run: backfillVolunteerGroupRegions },
    // Match keys of records from before them (or of an older format), changes a crash left
    // unfinished, and the match lists, built in one pass when there are none.
    ...startUpMatching,
  ],
  id: 'volunteer',
  scenes: [volunteerSignupScene, volunteerPageScene, missionCreateScene, missionManageScene, missionEditScene],
  menu: [{ id: 'volunteer', labelKey: 'volunteer:menu.entry', order: 20, run: openVolunteer }],
  staffMenu: [
    { id: 'mission-create', labelKey: 'volunteer:menu.mission-create', order: 200, permission: 'missions.manage', scene: 'mission-create' },
    { id: 'mission-manage', labelKey: 'volunteer:menu.mission-manage', order: 210, permission: 'missions.manage', scene: 'mission-manage' },
  ],
  commands: [{ command: 'myhours', descriptionKey: 'volunteer:commands.myhours', run: myHours }],
  callbacks: [
    { prefix: missionCallbacks.prefix, run: missionButton },
    { prefix: missionStaffCallbacks.prefix, run: missionStaffButton },
  ],
  personalData: [volunteerData],
  delivery: {
    // With the delivery worker (one per process that sends): a volunteer change whose match-list
    // update failed (a database blip) is finished within a minute or two, not at the next restart.
    start: ({ services, logger }) => {
      const log = logger.child({ component: 'match-repair' });
      const timer = setInterval(() => {
        services.volunteers.repairStuckMatches().then(
          (repaired) => {
            if (repaired > 0) log.info({ repaired }, 'volunteer changes carried into the match lists');
          },
          (err: unknown) => log.warn({ err }, 'match repair failed; tried again next minute'),
        );
      }, 60_000);
      timer.unref();
      return { close: async () => clearInterval(timer) };
    },
    // Invitations, reminders and notices are dropped when the mission or the volunteer's place is gone.
    guards: (services, base) => {
      const mission: DeliveryGuard = async (job) => (await base(job)) && services.missions.isDeliveryWanted(job);
      return { 'mission-invite': mission, 'mission-reminder': mission, 'mission-notice': mission };
    },
    // A withheld cancellation notice or invitation (its coordinator lost access first) waits for another coordinator.
    withheld: ({ services }) => ({
      'mission-invite': async (job) => {
        const ref = parseMissionRef(job.ref);
        if (ref && job.actedBy) await services.missions.invitationWithheld(ref.missionId, ref.userId, job.actedBy.userId, inviteConfirmsMark(job.id));
      },
      'mission-notice': async (job) => {
        const ref = parseMissionRef(job.ref);
        if (ref && job.actedBy && job.id.startsWith('mc-')) await services.missions.markCancellationWithheld(ref.missionId, job.actedBy.userId, ref.userId, cancelledConfirmsMark(job.id));
      },
    }),
  },
  // A change of a mission's details stopped after it was written: the volunteers told, the audit
  // line. A mission written without all its invitations queued (the process died, the queue was away).
  repairs: [
    { name: 'mission changes cut short', run: (deps) => deps.services.missions.finishInterruptedEdits() },
    { name: 'mission invitations cut short', run: (deps) => deps.services.missions.finishInterruptedPublishing() },
    { name: 'mission cancellations cut short', run: (deps) => deps.services.missions.finishInterruptedCancellations() },
    { name: 'mission tellings cut short', run: (deps) => deps.services.missions.finishInterruptedTellings() },
    { name: 'mission confirmations cut short', run: (deps) => deps.services.missions.finishInterruptedConfirmations() },
  ],
};
