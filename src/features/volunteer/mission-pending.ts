import type { MissionRecord } from './mission.model.js';
import type { MissionAssignmentRecord } from './mission-assignment.model.js';
import { HOUR, type MissionStore } from './mission-store.js';
import type { MissionRepair } from './mission-repair.js';
import { fitsMission, mayJoin } from './mission-match.js';
import { REMINDER_HOURS } from './mission-texts.js';

export interface PendingReminder {
  mission: MissionRecord;
  /** Which reminder (24 or 2 hours before) the answer belongs to. */
  hours: number;
}

/**
 * What a volunteer has been asked and not answered yet, so the volunteer page can offer the
 * same answers as the buttons to people who cannot tap them.
 */
export class MissionPending {
  constructor(
    private readonly store: MissionStore,
    private readonly repair: MissionRepair,
  ) {}

  /**
   * Open missions ahead that invited this person and have no answer from them. Invitations sent
   * after publishing (mission-invitations) are not recorded on the mission; they went to every
   * unpaused volunteer the mission fits, so fitting it now stands for having been invited.
   */
  async invitationsFor(userId: number): Promise<MissionRecord[]> {
    // A tap cut short leaves a claim; settled, it is either an answer or no answer at all.
    await this.repair.forVolunteer(userId);
    const profile = await this.store.volunteers.get(userId);
    if (!profile) return [];
    const open = await this.store.missions
      .find({ status: 'open', startsAt: { $gt: this.store.now() }, $or: [{ invitedUserIds: userId }, { region: profile.region }] })
      .sort({ startsAt: 1 })
      .lean<MissionRecord[]>();
    // A held mission (mission-invite-hold) is not offered until another coordinator confirms it.
    // Invited when published, unless the profile has since said 14-17 and the mission is for adults (mayJoin).
    const invited = open.filter((m) => !m.inviteHold && (m.invitedUserIds.includes(userId) ? mayJoin(profile, m) : !profile.paused && fitsMission(profile, m)));
    if (invited.length === 0) return [];
    const answered = await this.store.assignments
      .find({ volunteerUserId: userId, missionId: { $in: invited.map((m) => m._id) }, status: { $ne: 'new' } }, { missionId: 1 })
      .lean<Array<{ missionId: MissionRecord['_id'] }>>();
    const skip = new Set(answered.map((a) => String(a.missionId)));
    return invited.filter((m) => !skip.has(String(m._id)));
  }

  /**
   * Missions ahead where the latest "still coming?" already sent has no answer. A reminder was
   * sent only if its time was still ahead when the person got the place (MissionReminders).
   */
  async remindersFor(userId: number): Promise<PendingReminder[]> {
    const held = await this.store.assignments.find({ volunteerUserId: userId, status: 'accepted' }).lean<MissionAssignmentRecord[]>();
    if (held.length === 0) return [];
    const now = this.store.now().getTime();
    const missions = await this.store.missions
      .find({ _id: { $in: held.map((a) => a.missionId) }, status: 'open', startsAt: { $gt: new Date(now) } })
      .sort({ startsAt: 1 })
      .lean<MissionRecord[]>();
    const pending: PendingReminder[] = [];
    for (const mission of missions) {
      const a = held.find((h) => String(h.missionId) === String(mission._id));
      if (!a) continue;
      const start = new Date(mission.startsAt).getTime();
      const placedAt = a.acceptedAt ? new Date(a.acceptedAt).getTime() : -Infinity;
      const sent = REMINDER_HOURS.filter((h) => start - h * HOUR <= now && placedAt < start - h * HOUR);
      const latest = Math.min(...sent);
      if (sent.length === 0 || a[latest === 2 ? 'reminder2' : 'reminder24']) continue;
      pending.push({ mission, hours: latest });
    }
    return pending;
  }
}
