import type { Types } from 'mongoose';
import type { MissionRecord } from './mission.model.js';
import type { MissionAssignmentRecord } from './mission-assignment.model.js';
import { kzDateParts } from '../../domain/kz-time.js';
import type { AuditService } from '../../services/audit.js';
import type { MissionStore } from './mission-store.js';
import type { MissionRepair } from './mission-repair.js';
import type { MissionSlots } from './mission-slots.js';
import type { HoursSummary } from './mission-types.js';

/** Who came, the hours that earns, and what is kept of them when a volunteer leaves. */
export class MissionHours {
  constructor(
    private readonly store: MissionStore,
    private readonly slots: MissionSlots,
    private readonly repair: MissionRepair,
    private readonly audit: AuditService,
  ) {}

  /**
   * After the end, staff mark who came. Hours are a value set on the assignment, never added
   * to a running total, so saving the same list twice (or twice at once) never credits twice.
   * `saveKey` (the screen's token) makes the save one event: run again by the mailbox after a
   * failure past its writes, it reports those it credited the first time and writes its line once.
   */
  async saveAttendance(
    missionId: string,
    cameUserIds: number[],
    actorId: number,
    saveKey?: string,
  ): Promise<{ credited: number; attended: number } | 'not-ended' | 'not-found'> {
    const mission = await this.store.get(missionId);
    if (!mission || mission.status === 'cancelled') return 'not-found';
    if (!this.store.hasEnded(mission)) return 'not-ended';
    await this.repair.mission(mission);
    const accepted = await this.store.assignments.find({ missionId: mission._id, status: 'accepted' }).lean<MissionAssignmentRecord[]>();
    let credited = 0;
    let attended = 0;
    for (const a of accepted) {
      if (cameUserIds.includes(a.volunteerUserId)) {
        attended++;
        const result = await this.store.assignments.updateOne(
          { _id: a._id, hoursCredited: { $exists: false } },
          { $set: { attended: true, hoursCredited: mission.durationHours, ...(saveKey ? { creditedBySave: saveKey } : {}) } },
        );
        // Credited by this very save on its first try (the mailbox runs it again after a failure).
        const earlier = result.modifiedCount === 0 && saveKey !== undefined && a.hoursCredited != null && a.creditedBySave === saveKey;
        credited += result.modifiedCount + (earlier ? 1 : 0);
        await this.store.assignments.updateOne({ _id: a._id }, { $set: { attended: true } });
      } else {
        // A correction: someone marked by mistake loses the hours of this mission.
        await this.store.assignments.updateOne({ _id: a._id }, { $set: { attended: false }, $unset: { hoursCredited: 1, creditedBySave: 1 } });
      }
    }
    const details = { attended, credited };
    if (saveKey) await this.audit.recordOnce(`mission.attendance:${missionId}:${saveKey}`, actorId, 'mission.attendance', `mission:${missionId}`, details);
    else await this.audit.record(actorId, 'mission.attendance', `mission:${missionId}`, details);
    return { credited, attended };
  }

  async hours(userId: number): Promise<HoursSummary> {
    const credited = await this.store.assignments
      .find({ volunteerUserId: userId, hoursCredited: { $exists: true } })
      .lean<MissionAssignmentRecord[]>();
    const missions = credited.length
      ? await this.store.missions.find({ _id: { $in: credited.map((a) => a.missionId) } }).lean<MissionRecord[]>()
      : [];
    const byId = new Map(missions.map((m) => [String(m._id), m]));
    const year = kzDateParts(this.store.now()).year;
    const list = credited
      .map((a) => {
        const m = byId.get(String(a.missionId));
        return { title: m?.title ?? '—', startsAt: m ? new Date(m.startsAt) : new Date(0), hours: a.hoursCredited ?? 0 };
      })
      .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
    return {
      total: list.reduce((sum, m) => sum + m.hours, 0),
      thisYear: list.filter((m) => kzDateParts(m.startsAt).year === year).reduce((sum, m) => sum + m.hours, 0),
      missions: list,
    };
  }

  /**
   * "Delete my data": upcoming places are given up (and passed on), assignments deleted. Hours
   * of completed missions stay only as anonymous totals on the mission. Returns how many.
   */
  async eraseVolunteer(userId: number): Promise<{ keptMissions: number; keptHours: number }> {
    const all = await this.store.assignments.find({ volunteerUserId: userId }).lean<MissionAssignmentRecord[]>();
    let keptMissions = 0;
    let keptHours = 0;
    for (const a of all) {
      const mission = await this.store.get(String(a.missionId));
      if (mission && this.store.isOpen(mission)) {
        if (a.status === 'accepted' || a.status === 'waiting') await this.slots.release(mission, userId, 'cancelled');
        // A place left behind by an answer cut short would otherwise stay taken by nobody.
        else if (await this.store.holdsSeat(mission._id, userId)) {
          await this.store.seats.deleteOne({ missionId: mission._id, volunteerUserId: userId });
          await this.slots.fillFreePlaces(String(mission._id));
        }
      }
      if (a.hoursCredited) {
        keptMissions++;
        keptHours += a.hoursCredited;
        await this.keepHoursWithoutName(a);
      }
    }
    await this.store.assignments.deleteMany({ volunteerUserId: userId });
    // Places of past and cancelled missions name the person too; the team counts then match the rosters.
    await this.store.seats.deleteMany({ volunteerUserId: userId });
    // One mission at a time under its record lock: FerretDB writes an update as the whole document
    // read a moment before, so a change of details saved meanwhile could bring the id back (or be undone).
    const invitedTo = await this.store.missions.find({ invitedUserIds: userId }, { _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>();
    for (const { _id } of invitedTo) {
      await this.store.exclusive(String(_id), () => this.store.missions.updateOne({ _id }, { $pull: { invitedUserIds: userId } }));
    }
    // Messages withheld for another coordinator name the volunteer too.
    await this.store.withheld.forget(userId);
    return { keptMissions, keptHours };
  }

  /**
   * Adds one assignment's hours to its mission's anonymous totals, once: the assignment's id goes
   * into the mission in the same update, so the try the mailbox runs again after a failure (the
   * assignments are deleted only after every mission is counted) finds it counted. Under the
   * mission's record lock, as FerretDB writes an update as the whole document read a moment
   * before: two volunteers of one mission erasing at once would otherwise lose one's hours.
   */
  private async keepHoursWithoutName(a: MissionAssignmentRecord): Promise<void> {
    await this.store.exclusive(String(a.missionId), () =>
      this.store.missions.updateOne(
        { _id: a.missionId, anonymisedFrom: { $ne: a._id } },
        { $inc: { anonymisedHours: a.hoursCredited ?? 0, anonymisedVolunteers: 1 }, $push: { anonymisedFrom: a._id } },
      ),
    );
  }
}
