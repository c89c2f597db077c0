import type { DeliveryJob } from '../../delivery/types.js';
import type { MissionAssignmentRecord } from './mission-assignment.model.js';
import type { MissionStore } from './mission-store.js';
import type { MissionRepair } from './mission-repair.js';
import type { MissionInviteHold } from './mission-invite-hold.js';
import { inviteConfirmsMark, parseMissionRef } from './mission-texts.js';
import { ADULT_AGE } from './volunteer-options.js';

/**
 * The delivery worker asks this just before sending: invitations and reminders of a cancelled
 * or started mission, invitations to someone paused or gone, and reminders to someone who no
 * longer holds a place are dropped. Invitations to a mission held after withheld invitations
 * (mission-invite-hold) are kept back for its confirmation, except the confirmation's own.
 */
export async function isMissionDeliveryWanted(store: MissionStore, repair: MissionRepair, hold: MissionInviteHold, job: DeliveryJob): Promise<boolean> {
  if (job.kind !== 'mission-invite' && job.kind !== 'mission-reminder') return true;
  const ref = parseMissionRef(job.ref);
  if (!ref) return true;
  const mission = await store.get(ref.missionId);
  if (!mission || !store.isOpen(mission)) return false;
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
