import type { MissionRecord } from './mission.model.js';
import type { MissionAssignmentRecord } from './mission-assignment.model.js';
import type { AuditService } from '../../services/audit.js';
import type { MissionStore } from './mission-store.js';
import { nextMark } from './mission-withheld.model.js';
import { inviteJob } from './mission-jobs.js';

/**
 * A mission whose invitations were withheld (the coordinator they were sent for lost their
 * missions access) is held: it sends no invitations and takes nobody new until another
 * coordinator of its region confirms it (`inviteHold`). Those already on the team or the waiting
 * list keep their place. The confirming coordinator becomes the one the invitations are sent
 * for (`invitesFor`), and the held-back invitations go out in their name, once each: their ids
 * carry the hold's mark, so two coordinators confirming at once queue one invitation each.
 */
export class MissionInviteHold {
  constructor(
    private readonly store: MissionStore,
    private readonly audit: AuditService,
  ) {}

  /**
   * The actor check withheld an invitation. `jobMark`: the confirmation mark its id carries.
   * An invitation of the current inviter (or of the confirmation still waiting) holds the mission
   * for another coordinator; an invitation from before the latest confirmation (a late retry) is
   * queued again in the name of the coordinator who confirmed, and does not hold it again.
   */
  async invitationWithheld(missionId: string, userId: number, by: number, jobMark: string | undefined): Promise<void> {
    const mission = await this.store.get(missionId);
    if (!mission || mission.status !== 'open') return;
    const hold = mission.inviteHold;
    // The confirmation's own invitation withheld in turn (cleared or not yet): a new hold, for yet
    // another coordinator. The invitation of the current inviter: the first hold of this round.
    const current = jobMark === (hold ? hold.mark : (mission.invitesFor?.mark ?? undefined));
    if (hold && !current) {
      await this.holdBack(mission, userId);
      return;
    }
    if (!hold && jobMark !== (mission.invitesFor?.mark ?? undefined)) {
      // A late retry from before the latest confirmation: sent again in the confirming
      // coordinator's name (the same id as the confirmation's own, if it had one: sent once).
      const recipient = await this.store.volunteers.recipient(userId);
      if (recipient) await this.store.deps.delivery.enqueue([inviteJob(this.store.deps.i18n, mission, recipient)]);
      return;
    }
    const mark = nextMark(missionId, 'invite', jobMark);
    await this.store.exclusive(missionId, () =>
      this.store.missions.updateOne(
        { _id: mission._id, status: 'open', 'inviteHold.mark': { $ne: mark } },
        { $set: { inviteHold: { by, at: this.store.now(), mark } } },
      ),
    );
    await this.keep(mission._id, mark, userId);
  }

  /** Keeps a volunteer's invitation back until the held mission is confirmed (the send-time check). */
  async holdBack(mission: Pick<MissionRecord, '_id' | 'inviteHold'>, userId: number): Promise<void> {
    if (mission.inviteHold?.mark) await this.keep(mission._id, mission.inviteHold.mark, userId);
  }

  private keep(missionId: MissionRecord['_id'], mark: string, userId: number): Promise<void> {
    return this.store.withheld.keep(missionId, 'invite', mark, userId);
  }

  /** The volunteers whose invitations the mission's current hold keeps back. */
  async heldBack(missionId: string): Promise<number[]> {
    const mission = await this.store.get(missionId);
    const mark = mission?.inviteHold?.mark;
    if (!mission || !mark) return [];
    return this.store.withheld.userIds(mission._id, 'invite', mark);
  }

  /**
   * Another coordinator confirms a held mission: audited, the invitations held back are queued in
   * their name before the hold is cleared (a crash in between loses nothing: the next tap queues
   * the same ones). Refused (`null`) to the coordinator whose invitations were withheld. The
   * clearing writes `confirmDue`, removed once the line is written.
   */
  async confirm(missionId: string, actorId: number): Promise<{ invited: number } | null> {
    const mission = await this.store.get(missionId);
    const hold = mission?.inviteHold;
    // This coordinator's confirmation run again (the mailbox retries the tap after a failure past
    // the clearing, or the process stopped there): its line is written now, and they are told
    // how many are invited. Its invitations were queued before the clearing: none goes again.
    const due = mission?.confirmDue;
    if (mission && !hold && due?.by === actorId) return this.finishConfirming(mission, due);
    if (!mission || !hold?.mark || !this.store.isOpen(mission) || hold.by === actorId) return null;
    const confirmed: MissionRecord = { ...mission, invitesFor: { by: actorId, mark: hold.mark } };
    const userIds = await this.store.withheld.userIds(mission._id, 'invite', hold.mark);
    const answered = await this.store.assignments
      .find({ missionId: mission._id, volunteerUserId: { $in: userIds }, status: { $ne: 'new' } }, { volunteerUserId: 1 })
      .lean<Array<Pick<MissionAssignmentRecord, 'volunteerUserId'>>>();
    const skip = new Set(answered.map((a) => a.volunteerUserId));
    const jobs = [];
    for (const userId of userIds) {
      if (skip.has(userId)) continue;
      const recipient = await this.store.volunteers.recipient(userId);
      if (recipient) jobs.push(inviteJob(this.store.deps.i18n, confirmed, recipient));
    }
    await this.store.deps.delivery.enqueue(jobs);
    const confirming = { by: actorId, at: this.store.now(), mark: hold.mark, invited: jobs.length, withheldBy: hold.by };
    const cleared = await this.store.exclusive(missionId, () =>
      this.store.missions.updateOne(
        { _id: mission._id, status: 'open', 'inviteHold.mark': hold.mark },
        { $unset: { inviteHold: 1 }, $set: { invitesFor: { by: actorId, mark: hold.mark }, confirmDue: confirming } },
      ),
    );
    if (cleared.modifiedCount > 0) return this.finishConfirming(mission, confirming);
    return { invited: jobs.length };
  }

  /** What follows a confirmation's clearing: its line, once (keyed by the hold's mark), then `confirmDue` removed. */
  private async finishConfirming(mission: MissionRecord, due: NonNullable<MissionRecord['confirmDue']>): Promise<{ invited: number }> {
    const missionId = String(mission._id);
    const invited = due.invited ?? 0;
    await this.audit.recordOnce(`mission.invite.confirm:${missionId}:${due.mark ?? ''}`, due.by ?? 0, 'mission.invite.confirm', `mission:${missionId}`, {
      invited,
      withheldBy: due.withheldBy,
    });
    // Under the record lock: FerretDB writes the whole document, which could undo a hold written meanwhile.
    await this.store.exclusive(missionId, () => this.store.missions.updateOne({ _id: mission._id, 'confirmDue.mark': due.mark }, { $unset: { confirmDue: 1 } }));
    return { invited };
  }

  /** The repair tick: confirmations over a minute old whose line is not written (the process stopped, the line failed and nobody tapped again). */
  async finishInterrupted(): Promise<number> {
    const due = await this.store.missions.find({ 'confirmDue.at': { $lt: new Date(this.store.now().getTime() - 60_000) } }).lean<MissionRecord[]>();
    for (const mission of due) if (mission.confirmDue) await this.finishConfirming(mission, mission.confirmDue);
    return due.length;
  }
}
