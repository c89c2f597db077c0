import type { MissionRecord } from './mission.model.js';
import type { MissionAssignmentRecord } from './mission-assignment.model.js';
import type { DeliveryJob } from '../../delivery/types.js';
import type { AuditService } from '../../services/audit.js';
import { HOUR, type MissionStore } from './mission-store.js';
import type { MissionRepair } from './mission-repair.js';
import type { MissionReminders } from './mission-reminders.js';
import { cancelledJob } from './mission-jobs.js';
import { MISSION_JOB } from './mission-texts.js';
import { nextMark } from './mission-withheld.model.js';
import type { Roster, RosterEntry, VolunteerMission } from './mission-types.js';

/** The mark a waiting cancellation notice goes by; marks written before they carried one, by their time. */
function waitingMark(notice: { mark?: string | null; at?: Date | null }): string {
  return notice.mark ?? String(notice.at ? new Date(notice.at).getTime() : 0);
}

/** Who is on which mission: the staff's list and roster, cancelling, and a volunteer's own missions. */
export class MissionRoster {
  constructor(
    private readonly store: MissionStore,
    private readonly repair: MissionRepair,
    private readonly reminders: MissionReminders,
    private readonly audit: AuditService,
  ) {}

  /** Missions staff can manage: not yet started or recently ended, newest first. */
  /** Recent missions; `regions` (null = all) limits them to a coordinator's regions. */
  async listForStaff(limit = 20, regions: string[] | null = null): Promise<MissionRecord[]> {
    const since = new Date(this.store.now().getTime() - 60 * 24 * HOUR);
    const query: Record<string, unknown> = { startsAt: { $gte: since } };
    if (regions) query.region = { $in: regions };
    const list = await this.store.missions.find(query).sort({ startsAt: -1 }).limit(limit).lean<MissionRecord[]>();
    return Promise.all(list.map(async (m) => ({ ...m, acceptedCount: await this.store.acceptedCount(m._id) })));
  }

  /** Accepted volunteers with names and phones (staff call them), the waiting list by position. */
  async roster(missionId: string, actorId?: number): Promise<Roster | null> {
    const found = await this.store.get(missionId);
    if (!found) return null;
    await this.repair.mission(found);
    const mission = { ...found, acceptedCount: await this.store.acceptedCount(found._id) };
    const all = await this.store.assignments.find({ missionId: mission._id }).lean<MissionAssignmentRecord[]>();
    const profiles = await this.store.volunteers.getMany(all.map((a) => a.volunteerUserId));
    const accepted = all
      .filter((a) => a.status === 'accepted')
      // Ties (same clock tick) by _id: the database's natural order differs between backends.
      .sort((a, b) => new Date(a.acceptedAt ?? 0).getTime() - new Date(b.acceptedAt ?? 0).getTime() || String(a._id).localeCompare(String(b._id)))
      .map((a) => {
        const p = profiles.get(a.volunteerUserId);
        return {
          userId: a.volunteerUserId,
          name: p?.fullName ?? '—',
          ...(p ? { phone: p.phone } : {}),
          status: a.status,
          ...(a.reminder24 ? { reminder24: a.reminder24 } : {}),
          ...(a.reminder2 ? { reminder2: a.reminder2 } : {}),
          ...(typeof a.attended === 'boolean' ? { attended: a.attended } : {}),
        } satisfies RosterEntry;
      });
    const waiting = all
      .filter((a) => a.status === 'waiting')
      .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || String(a._id).localeCompare(String(b._id)))
      .map((a, index) => ({ userId: a.volunteerUserId, name: profiles.get(a.volunteerUserId)?.fullName ?? '—', status: a.status, position: index + 1 }));
    if (actorId !== undefined) await this.audit.record(actorId, 'mission.roster', `mission:${missionId}`, { accepted: accepted.length });
    return { mission, accepted, waiting, declined: all.filter((a) => a.status === 'declined' || a.status === 'cancelled').length };
  }

  /**
   * Staff cancel: everyone accepted or waiting is told, pending invitations and reminders are
   * dropped. Not once the mission has started ('started'): the screen offers it only before, but
   * its question stays open, and the volunteers at work would be told it does not take place,
   * and those who came could not be credited their hours.
   */
  async cancelMission(missionId: string, actorId: number): Promise<{ told: number } | 'started' | null> {
    const open = await this.store.get(missionId);
    // This tap run again (the queue was away, the process stopped) after the mission was marked
    // cancelled: its volunteers are told now, as the first try would have done.
    if (open?.status === 'cancelled' && open.cancelPending) return this.finishCancelling(open);
    if (!open || open.status !== 'open') return null;
    if (this.store.hasStarted(open)) return 'started';
    // First settle any answer a crash left half-done, so that everyone holding a place is told.
    await this.repair.mission(open);
    const mission = await this.store.exclusive(missionId, () =>
      this.store.missions
        .findOneAndUpdate(
          // The start as it is now: a change of details saved meanwhile may have moved it.
          { _id: open._id, status: 'open', startsAt: { $gt: this.store.now() } },
          { $set: { status: 'cancelled', cancelledAt: this.store.now(), cancelPending: { by: actorId, at: this.store.now() } } },
          { returnDocument: 'after' },
        )
        .lean<MissionRecord>(),
    );
    if (!mission) {
      const now = await this.store.get(missionId);
      return now?.status === 'open' && this.store.hasStarted(now) ? 'started' : null;
    }
    return this.finishCancelling(mission);
  }

  /**
   * What follows the cancellation's write: pending invitations and reminders dropped, everyone
   * holding a place told (in the name of the coordinator who cancelled), the line audited, then
   * `cancelPending` cleared. Each step may run again (the tap run again, the repair tick, both at
   * once): the notices' ids and the audit line's key keep each to once.
   */
  private async finishCancelling(mission: MissionRecord): Promise<{ told: number }> {
    const missionId = String(mission._id);
    const by = mission.cancelPending?.by ?? mission.createdBy;
    // A place is held from the moment its seat is taken: a tap that checked the mission just
    // before this has its seat, its answer not written yet, and tells them they are on the team.
    const seated = (await this.store.seats.find({ missionId: mission._id }, { volunteerUserId: 1 }).lean<Array<{ volunteerUserId: number }>>()).map((s) => s.volunteerUserId);
    const held = await this.store.assignments
      .find({ missionId: mission._id, $or: [{ status: { $in: ['accepted', 'waiting'] } }, { volunteerUserId: { $in: seated } }] })
      .lean<MissionAssignmentRecord[]>();
    const invites = mission.invitedUserIds.map((u) => MISSION_JOB.invite(missionId, u));
    if (invites.length) await this.store.deps.delivery.cancel(invites);
    await this.reminders.cancel(missionId, held.map((a) => a.volunteerUserId), mission.version ?? 0);
    const jobs = await this.cancellationNotices(mission, held, by);
    await this.store.deps.delivery.enqueue(jobs);
    await this.audit.recordOnce(`mission.cancel:${missionId}`, by, 'mission.cancel', `mission:${missionId}`, {
      accepted: held.filter((a) => a.status === 'accepted').length,
      told: jobs.length,
    });
    if (mission.cancelPending) {
      // Under the record lock: FerretDB writes the whole document, which could undo a telling's mark.
      await this.store.exclusive(missionId, () => this.store.missions.updateOne({ _id: mission._id, cancelPending: { $exists: true } }, { $unset: { cancelPending: 1 } }));
    }
    return { told: jobs.length };
  }

  /**
   * The repair tick: missions cancelled over a minute ago whose volunteers may not all have been
   * told (the process died, or the queue was away and the coordinator did not tap again).
   */
  async finishInterruptedCancellations(): Promise<number> {
    const stuck = await this.store.missions
      .find({ status: 'cancelled', 'cancelPending.at': { $lt: new Date(this.store.now().getTime() - 60_000) } })
      .lean<MissionRecord[]>();
    for (const mission of stuck) await this.finishCancelling(mission);
    return stuck.length;
  }

  /**
   * A cancellation notice to `userId` was withheld (whoever cancelled, or told the volunteers,
   * lost their access before it went out): the mission waits for another coordinator to tell
   * them, and this volunteer is kept on the list of those not told. `answeredMark`: the mark the
   * notice's id carries (none for the first notices). One mark per round, derived from the one
   * it answers, so that every worker of the round writes the same. A notice of an older round
   * run late (a retry after the volunteers were told) does not mark the mission again: it is
   * queued in the name of whoever told them, with their id, so it goes out once.
   */
  async markCancellationWithheld(missionId: string, by: number, userId: number, answeredMark?: string): Promise<void> {
    const mission = await this.store.get(missionId);
    if (!mission || mission.status !== 'cancelled') return;
    const notice = mission.cancelNotice;
    if (notice) {
      const waiting = waitingMark(notice);
      if (answeredMark !== waiting) {
        await this.store.withheld.keep(mission._id, 'cancel', waiting, userId);
        return;
      }
    } else if (answeredMark !== (mission.cancelTold?.mark ?? undefined)) {
      const told = mission.cancelTold;
      const recipient = told?.by ? await this.store.volunteers.recipient(userId) : null;
      if (told?.by && recipient) await this.store.deps.delivery.enqueue([cancelledJob(this.store.deps.i18n, mission, recipient, told.by, told.mark ?? undefined)]);
      return;
    }
    const mark = nextMark(missionId, 'cancel', answeredMark);
    await this.store.missions.updateOne(
      { _id: mission._id, status: 'cancelled', 'cancelNotice.mark': { $ne: mark } },
      { $set: { cancelNotice: { by, at: this.store.now(), mark } } },
    );
    await this.store.withheld.keep(mission._id, 'cancel', mark, userId);
  }

  /**
   * Another coordinator stands by a cancellation whose notices were withheld: the volunteers not
   * told yet are told now (not those whose notice went out before the access was lost). The
   * notices are queued before the mark is cleared, with ids of that mark, so a crash in between
   * loses nothing (the next tap queues the same messages again) and two coordinators telling at
   * once queue one message per volunteer; only the one who cleared the mark is audited. The
   * clearing writes `tellDue`, removed once the line is written.
   */
  async confirmCancellation(missionId: string, actorId: number): Promise<{ told: number } | null> {
    const mission = await this.store.get(missionId);
    const notice = mission?.cancelNotice;
    // This coordinator's telling run again (the mailbox retries the tap after a failure past the
    // clearing, or the process stopped there): its line is written now, and they are told how
    // many are being told. Its notices were queued before the clearing: none goes again.
    const due = mission?.tellDue;
    if (mission?.status === 'cancelled' && !notice && due?.by === actorId) return this.finishTelling(mission, due);
    // Another coordinator: the one whose notices were withheld (access given back since) does
    // not wave them through unseen by a second pair of eyes.
    if (!mission || mission.status !== 'cancelled' || !notice || notice.by === actorId) return null;
    const mark = waitingMark(notice);
    let held = await this.store.assignments
      .find({ missionId: mission._id, status: { $in: ['accepted', 'waiting'] } })
      .lean<MissionAssignmentRecord[]>();
    // Marks written before the list of those not told was kept have no list: they tell everyone
    // who held a place, as they did. (A new mark gets its first volunteer right after it is set.)
    const untold = new Set(await this.store.withheld.userIds(mission._id, 'cancel', mark));
    if (untold.size > 0) held = held.filter((a) => untold.has(a.volunteerUserId));
    const jobs = await this.cancellationNotices(mission, held, actorId, mark);
    await this.store.deps.delivery.enqueue(jobs);
    const telling = { by: actorId, at: this.store.now(), mark, told: jobs.length, withheldBy: notice.by };
    const cleared = await this.store.missions.updateOne(
      { _id: mission._id, ...(notice.mark ? { 'cancelNotice.mark': notice.mark } : { 'cancelNotice.at': notice.at }) },
      { $unset: { cancelNotice: 1 }, $set: { cancelTold: { by: actorId, mark }, tellDue: telling } },
    );
    if (cleared.modifiedCount > 0) return this.finishTelling(mission, telling);
    return { told: jobs.length };
  }

  /** What follows a telling's clearing: its line, once (keyed by the mark it answered), then `tellDue` removed. */
  private async finishTelling(mission: MissionRecord, due: NonNullable<MissionRecord['tellDue']>): Promise<{ told: number }> {
    const missionId = String(mission._id);
    const told = due.told ?? 0;
    await this.audit.recordOnce(`mission.cancel.confirm:${missionId}:${due.mark ?? ''}`, due.by ?? 0, 'mission.cancel.confirm', `mission:${missionId}`, {
      told,
      withheldBy: due.withheldBy,
    });
    // Under the record lock: FerretDB writes the whole document, which could undo a mark written meanwhile.
    await this.store.exclusive(missionId, () => this.store.missions.updateOne({ _id: mission._id, 'tellDue.mark': due.mark }, { $unset: { tellDue: 1 } }));
    return { told };
  }

  /** The repair tick: tellings over a minute old whose line is not written (the process stopped, the line failed and nobody tapped again). */
  async finishInterruptedTellings(): Promise<number> {
    const due = await this.store.missions
      .find({ status: 'cancelled', 'tellDue.at': { $lt: new Date(this.store.now().getTime() - 60_000) } })
      .lean<MissionRecord[]>();
    for (const mission of due) if (mission.tellDue) await this.finishTelling(mission, mission.tellDue);
    return due.length;
  }

  private async cancellationNotices(mission: MissionRecord, held: MissionAssignmentRecord[], by: number, confirmsMark?: string): Promise<DeliveryJob[]> {
    const jobs: DeliveryJob[] = [];
    for (const a of held) {
      const recipient = await this.store.volunteers.recipient(a.volunteerUserId);
      if (recipient) jobs.push(cancelledJob(this.store.deps.i18n, mission, recipient, by, confirmsMark));
    }
    return jobs;
  }

  /** The volunteer's missions that have not started: accepted or on the waiting list. */
  async upcomingFor(userId: number): Promise<VolunteerMission[]> {
    await this.repair.forVolunteer(userId);
    const held = await this.store.assignments
      .find({ volunteerUserId: userId, status: { $in: ['accepted', 'waiting'] } })
      .lean<MissionAssignmentRecord[]>();
    if (held.length === 0) return [];
    const missions = await this.store.missions
      .find({ _id: { $in: held.map((a) => a.missionId) }, status: 'open', startsAt: { $gt: this.store.now() } })
      .sort({ startsAt: 1 })
      .lean<MissionRecord[]>();
    const result: VolunteerMission[] = [];
    for (const mission of missions) {
      const a = held.find((h) => String(h.missionId) === String(mission._id));
      if (!a) continue;
      if (a.status === 'accepted') result.push({ mission, status: 'accepted' });
      else result.push({ mission, status: 'waiting', position: await this.store.positionOf(mission._id, a.seq ?? 0, a._id) });
    }
    return result;
  }
}
