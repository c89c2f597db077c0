import type { DeliveryJob } from '../../delivery/types.js';
import type { MissionAssignmentRecord } from './mission-assignment.model.js';
import type { MissionStore } from './mission-store.js';
import type { MissionRepair } from './mission-repair.js';
import type { MissionInviteHold } from './mission-invite-hold.js';
import type { MissionReminders } from './mission-reminders.js';
import { inviteConfirmsMark, parseMissionRef, REMINDER_HOURS, reminderHours, reminderVersion } from './mission-texts.js';
import type { MissionRecord } from './mission.model.js';
import { HOUR } from './mission-store.js';
import { ADULT_AGE } from './volunteer-options.js';

/**
 * A reminder sent so late (the queue was away, a long backlog) that the next, nearer one is due
 * too: it would ask about the start "in 24 hours" an hour before it, next to "in 2 hours".
 */
function isOvertaken(hours: number | undefined, mission: Pick<MissionRecord, 'startsAt'>, now: Date): boolean {
  if (hours === undefined) return false;
  const start = new Date(mission.startsAt).getTime();
  return REMINDER_HOURS.some((nearer) => nearer < hours && start - nearer * HOUR <= now.getTime());
}

/**
 * The delivery worker asks this just before sending: invitations and reminders of a cancelled
 * or started mission, invitations to someone paused or gone, and reminders to someone who no
 * longer holds a place are dropped. Invitations to a mission held after withheld invitations
 * (mission-invite-hold) are kept back for its confirmation, except the confirmation's own.
 * A reminder of an earlier version of the details (another start or place) is dropped too, as is
 * one overtaken by the next (both due at once after an outage), and "the details changed" and
 * "a place has opened for you" are not sent once the mission is cancelled or has started (the
 * latter not either to someone who holds no place).
 */
export async function isMissionDeliveryWanted(
  store: MissionStore,
  repair: MissionRepair,
  hold: MissionInviteHold,
  reminders: MissionReminders,
  job: DeliveryJob,
): Promise<boolean> {
  const editNotice = job.kind === 'mission-notice' && job.id.startsWith('me-');
  const promotedNotice = job.kind === 'mission-notice' && job.id.startsWith('mp-');
  if (job.kind !== 'mission-invite' && job.kind !== 'mission-reminder' && !editNotice && !promotedNotice) return true;
  const ref = parseMissionRef(job.ref);
  if (!ref) return true;
  const mission = await store.get(ref.missionId);
  if (!mission || !store.isOpen(mission)) return false;
  if (editNotice) return true;
  // Queued just before the place is marked as theirs (mission-slots): not sent if that failed.
  if (promotedNotice) return store.holdsSeat(mission._id, ref.userId);
  if (job.kind === 'mission-reminder' && reminderVersion(job.id) !== (mission.version ?? 0)) {
    // A tap that read the mission just before a change may have scheduled only the old reminders:
    // the current ones are scheduled here for someone still holding a place (same ids: no double).
    if (await store.holdsSeat(mission._id, ref.userId)) await reminders.schedule(mission, ref.userId);
    return false;
  }
  if (job.kind === 'mission-reminder' && isOvertaken(reminderHours(job.id), mission, store.now())) return false;
  if (job.kind === 'mission-invite') {
    if (mission.inviteHold && inviteConfirmsMark(job.id) !== mission.inviteHold.mark) {
      await hold.holdBack(mission, ref.userId);
      return false;
    }
    const volunteer = await store.volunteers.get(ref.userId);
    // Sent to someone the mission would no longer take (the profile now says 16), the buttons would only refuse.
    return volunteer !== null && !volunteer.paused && (volunteer.age >= ADULT_AGE || mission.minorsAllowed === true);
  }
  const find = () => store.assignments.findOne({ missionId: mission._id, volunteerUserId: ref.userId }).lean<MissionAssignmentRecord>();
  let assignment = await find();
  if (assignment?.status === 'claiming') {
    // An answer cut short by a crash: settle it now, when it matters.
    await repair.mission(mission);
    assignment = await find();
  }
  return assignment?.status === 'accepted';
}
