import type { MissionRecord } from './mission.model.js';
import type { AuditService } from '../../services/audit.js';
import type { MissionStore } from './mission-store.js';
import { fitsMission, type MatchCriteria } from './mission-match.js';
import { inviteJob } from './mission-jobs.js';
import type { MissionInput } from './mission-types.js';

/** Publishing a mission, and inviting the volunteers it fits, whenever they join. */
export class MissionInvitations {
  constructor(
    private readonly store: MissionStore,
    private readonly audit: AuditService,
  ) {}

  async countMatching(criteria: MatchCriteria): Promise<number> {
    return (await this.store.volunteers.matching(criteria)).length;
  }

  /** Saves the mission and invites every matching volunteer in their own language. */
  async publish(input: MissionInput, actorId: number): Promise<{ mission: MissionRecord; invited: number }> {
    const recipients = await this.store.volunteers.matching(input);
    const created = await this.store.missions.create({
      ...input,
      minorsAllowed: input.minorsAllowed === true,
      createdBy: actorId,
      invitedUserIds: recipients.map((r) => r.userId),
      status: 'open',
      acceptedCount: 0,
    });
    const mission = created.toObject() as MissionRecord;
    const id = String(mission._id);
    await this.store.deps.delivery.enqueue(recipients.map((r) => inviteJob(this.store.deps.i18n, mission, r)));
    await this.audit.record(actorId, 'mission.publish', `mission:${id}`, {
      region: input.region,
      area: input.area,
      slots: input.slots,
      invited: recipients.length,
    });
    return { mission, invited: recipients.length };
  }

  /**
   * Someone who joins (or resumes invitations, or changes where and how they help) after a
   * mission was published is invited to the open missions that fit them and that they have
   * neither been invited to nor answered. The mission record is not touched: on FerretDB that
   * write could undo a cancellation made at the same moment, and the send-time check drops
   * invitations to missions cancelled since.
   */
  async inviteToOpenMissions(userId: number): Promise<number> {
    const profile = await this.store.volunteers.get(userId);
    if (!profile || profile.paused) return 0;
    const recipient = await this.store.volunteers.recipient(userId);
    if (!recipient) return 0;
    const open = await this.store.missions
      .find({ status: 'open', region: profile.region, startsAt: { $gt: this.store.now() } })
      .sort({ startsAt: 1 })
      .lean<MissionRecord[]>();
    const fitting = open.filter((m) => fitsMission(profile, m) && !m.invitedUserIds.includes(userId));
    if (fitting.length === 0) return 0;
    const answered = await this.store.assignments
      .find({ volunteerUserId: userId, missionId: { $in: fitting.map((m) => m._id) } }, { missionId: 1 })
      .lean<Array<{ missionId: MissionRecord['_id'] }>>();
    const skip = new Set(answered.map((a) => String(a.missionId)));
    const jobs = fitting.filter((m) => !skip.has(String(m._id))).map((m) => inviteJob(this.store.deps.i18n, m, recipient));
    if (jobs.length) await this.store.deps.delivery.enqueue(jobs);
    return jobs.length;
  }
}
