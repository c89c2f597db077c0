import type { MissionRecord } from './mission.model.js';
import type { AuditService } from '../../services/audit.js';
import type { MissionStore } from './mission-store.js';
import { fitsMission, type MatchCriteria } from './mission-match.js';
import { inviteJob } from './mission-jobs.js';
import { isDuplicateKey } from '../../db/models/counter.js';
import type { VolunteerRecipient } from './volunteers.service.js';
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

  /**
   * Saves the mission and invites every matching volunteer in their own language. `publishKey`
   * (the publishing screen's token) makes the tap safe to run again: the mission it wrote is
   * found and its invitations queued again, under the same ids, so each goes out once.
   */
  async publish(input: MissionInput, actorId: number, publishKey?: string): Promise<{ mission: MissionRecord; invited: number }> {
    const earlier = publishKey ? await this.published(publishKey) : null;
    if (earlier) return this.finishPublishing(earlier);
    const recipients = await this.store.volunteers.matching(input);
    let mission: MissionRecord;
    try {
      const created = await this.store.missions.create({
        ...input,
        minorsAllowed: input.minorsAllowed === true,
        createdBy: actorId,
        invitedUserIds: recipients.map((r) => r.userId),
        status: 'open',
        acceptedCount: 0,
        ...(publishKey ? { publishKey } : {}),
        ...(recipients.length ? { invitesPending: this.store.now() } : {}),
      });
      mission = created.toObject();
    } catch (error) {
      // The same tap run at once elsewhere (two processes): its mission is this one.
      const other = publishKey && isDuplicateKey(error) ? await this.published(publishKey) : null;
      if (!other) throw error;
      return this.finishPublishing(other);
    }
    return this.finishPublishing(mission, recipients);
  }

  private published(publishKey: string): Promise<MissionRecord | null> {
    return this.store.missions.findOne({ publishKey }).lean<MissionRecord>();
  }

  /**
   * Queues the invitations of a mission written a moment (or a crash) ago, then the audit line,
   * then clears `invitesPending`; each step may run again: the job ids and the audit's onceKey
   * keep every one to once. `recipients`: those matched just now; otherwise the volunteers the
   * mission lists as invited, found again.
   */
  async finishPublishing(mission: MissionRecord, recipients?: VolunteerRecipient[]): Promise<{ mission: MissionRecord; invited: number }> {
    const id = String(mission._id);
    const to = recipients ?? (await this.recipientsOf(mission.invitedUserIds));
    if (to.length) await this.store.deps.delivery.enqueue(to.map((r) => inviteJob(this.store.deps.i18n, mission, r)));
    await this.audit.recordOnce(`mission.publish:${id}`, mission.createdBy, 'mission.publish', `mission:${id}`, {
      region: mission.region,
      area: mission.area,
      slots: mission.slots,
      invited: mission.invitedUserIds.length,
    });
    if (mission.invitesPending) {
      // Under the record lock: FerretDB writes the whole document, which could undo a cancellation.
      await this.store.exclusive(id, () => this.store.missions.updateOne({ _id: mission._id, invitesPending: { $exists: true } }, { $unset: { invitesPending: 1 } }));
    }
    return { mission, invited: mission.invitedUserIds.length };
  }

  private async recipientsOf(userIds: readonly number[]): Promise<VolunteerRecipient[]> {
    const found: VolunteerRecipient[] = [];
    for (const userId of userIds) {
      const recipient = await this.store.volunteers.recipient(userId);
      if (recipient) found.push(recipient);
    }
    return found;
  }

  /**
   * The repair tick: missions published over a minute ago whose invitations may not all have
   * been queued (the process died, or the queue was away and the tap was not run again). Those
   * cancelled or started since need none: the send-time check would drop them.
   */
  async finishInterruptedPublishing(): Promise<number> {
    const now = this.store.now();
    const stuck = await this.store.missions
      .find({ invitesPending: { $lt: new Date(now.getTime() - 60_000) } })
      .lean<MissionRecord[]>();
    let finished = 0;
    for (const mission of stuck) {
      if (this.store.isOpen(mission)) {
        await this.finishPublishing(mission);
        finished++;
      } else {
        await this.store.exclusive(String(mission._id), () => this.store.missions.updateOne({ _id: mission._id }, { $unset: { invitesPending: 1 } }));
      }
    }
    return finished;
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
