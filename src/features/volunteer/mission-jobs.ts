import type { ReminderHours } from './volunteer-options.js';
import type { I18n } from '../../i18n/index.js';
import type { DeliveryJob } from '../../delivery/types.js';
import type { MissionRecord } from './mission.model.js';
import { formatKzDateTime } from '../../domain/kz-time.js';
import { HOUR } from './mission-store.js';
import type { VolunteerRecipient } from './volunteers.service.js';
import { inviteButtons, MISSION_JOB, missionDetailsText, reminderButtons } from './mission-texts.js';

// The messages the missions service sends through the delivery queue, each rendered in the
// recipient's language and with a deterministic id, so sending one twice delivers it once.

/**
 * Sent in the name of the coordinator who published the mission or, once another coordinator
 * confirmed it after withheld invitations, in that coordinator's name (the id carries the mark).
 */
export function inviteJob(i18n: I18n, mission: MissionRecord, r: VolunteerRecipient): DeliveryJob {
  const id = String(mission._id);
  const t = i18n.t(r.locale);
  const by = mission.invitesFor?.by ?? mission.createdBy;
  return {
    id: MISSION_JOB.invite(id, r.userId, mission.invitesFor?.mark ?? undefined),
    chatId: r.chatId,
    kind: 'mission-invite',
    text: t('volunteer:invite.text', { details: missionDetailsText(t, r.locale, mission) }),
    buttons: inviteButtons(t, id, mission.version ?? 0),
    ref: MISSION_JOB.ref(id, r.userId),
    // Sent in the publishing coordinator's name: checked again at send time (src/delivery/actor-check.ts).
    actedBy: { userId: by, permission: 'missions.manage', region: mission.region },
  };
}

export function reminderJob(i18n: I18n, mission: MissionRecord, r: VolunteerRecipient, hours: ReminderHours): DeliveryJob {
  const id = String(mission._id);
  const t = i18n.t(r.locale);
  const start = new Date(mission.startsAt);
  return {
    id: MISSION_JOB.reminder(id, r.userId, hours, mission.version ?? 0),
    chatId: r.chatId,
    kind: 'mission-reminder',
    notBefore: new Date(start.getTime() - hours * HOUR),
    text: t('volunteer:reminder.text', { count: hours, title: mission.title, start: formatKzDateTime(start, r.locale), place: mission.place }),
    buttons: reminderButtons(t, id, hours, mission.version ?? 0),
    ref: MISSION_JOB.ref(id, r.userId),
  };
}

/** "A place has opened and it is yours." */
export function promotedJob(i18n: I18n, mission: MissionRecord, r: VolunteerRecipient): DeliveryJob {
  const id = String(mission._id);
  const t = i18n.t(r.locale);
  return {
    id: MISSION_JOB.promoted(id, r.userId),
    chatId: r.chatId,
    kind: 'mission-notice',
    text: t('volunteer:notice.promoted', { details: missionDetailsText(t, r.locale, mission) }),
    ref: MISSION_JOB.ref(id, r.userId),
  };
}

/**
 * "The mission is cancelled", sent in the name of the member who cancelled it (`by`), or who
 * confirmed a cancellation whose first notices were withheld (then the id carries the withheld
 * mark it answers: not the member, so that two telling at once send one message, and the same
 * member telling again after a withheld telling sends anew).
 */
export function cancelledJob(i18n: I18n, mission: MissionRecord, r: VolunteerRecipient, by: number, confirmsMark?: string): DeliveryJob {
  const id = String(mission._id);
  const t = i18n.t(r.locale);
  return {
    id: MISSION_JOB.cancelled(id, r.userId, confirmsMark),
    actedBy: { userId: by, permission: 'missions.manage', region: mission.region },
    chatId: r.chatId,
    kind: 'mission-notice',
    text: t('volunteer:notice.cancelled', { title: mission.title, start: formatKzDateTime(new Date(mission.startsAt), r.locale) }),
    ref: MISSION_JOB.ref(id, r.userId),
  };
}
