import { isValidObjectId, Types } from 'mongoose';
import type { Locale } from '../telegram/types.js';
import type { DeliveryJob } from '../delivery/types.js';
import { missionModel, type MissionModel, type MissionRecord } from '../db/models/mission.js';
import {
  missionAssignmentModel,
  type AssignmentStatus,
  type MissionAssignmentModel,
  type MissionAssignmentRecord,
  missionSeatModel,
  type MissionSeatModel,
} from '../db/models/mission-assignment.js';
import { kzDateParts, formatKzDateTime } from '../domain/kz-time.js';
import type { ServiceDeps } from './service-deps.js';
import type { VolunteersService, VolunteerRecipient } from './volunteers.js';
import type { AuditService } from './audit.js';
import {
  inviteButtons,
  MISSION_JOB,
  missionDetailsText,
  parseMissionRef,
  REMINDER_HOURS,
  reminderButtons,
  type MissionDetails,
} from './mission-texts.js';

export interface MissionInput extends MissionDetails {
  latitude?: number;
  longitude?: number;
}

export type AcceptResult =
  | { status: 'accepted' }
  | { status: 'waiting'; position: number }
  | { status: 'already-accepted' }
  | { status: 'already-waiting'; position: number }
  | { status: 'busy' | 'not-volunteer' | 'not-found' | 'cancelled' | 'started' };

export type ReleaseResult = 'released' | 'not-held' | 'not-found' | 'started';

export interface RosterEntry {
  userId: number;
  name: string;
  phone?: string;
  status: AssignmentStatus;
  reminder24?: string;
  reminder2?: string;
  attended?: boolean;
  position?: number;
}

export interface Roster {
  mission: MissionRecord;
  accepted: RosterEntry[];
  waiting: RosterEntry[];
  declined: number;
}

export interface HoursSummary {
  total: number;
  thisYear: number;
  missions: Array<{ title: string; startsAt: Date; hours: number }>;
}

export interface VolunteerMission {
  mission: MissionRecord;
  status: 'accepted' | 'waiting';
  position?: number;
}

const HOUR = 60 * 60 * 1000;
const isDuplicateKey = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;

/**
 * Missions: publishing and inviting matching volunteers, taking slots under load (a conditional
 * $inc per tap, never a read-then-write), the waiting list, reminders, attendance and hours.
 */
export class MissionsService {
  private readonly missions: MissionModel;
  private readonly assignments: MissionAssignmentModel;
  private readonly seats: MissionSeatModel;
  /** Breaks ties between waiting-list entries made in the same millisecond. */
  private waitCounter = 0;
  /**
   * One answer at a time per person and mission in this process. Taps from one chat are already
   * serialised by the chat lock; this covers direct calls, because FerretDB rewrites a whole
   * document per update and two overlapping updates of one assignment could undo each other.
   */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  private serial<T>(missionId: string, userId: number, run: () => Promise<T>): Promise<T> {
    const key = `${missionId}/${userId}`;
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(key, settled);
    void settled.then(() => {
      if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
    });
    return next;
  }

  constructor(
    protected readonly deps: ServiceDeps,
    private readonly volunteers: VolunteersService,
    private readonly audit: AuditService,
  ) {
    this.missions = missionModel(deps.connection);
    this.assignments = missionAssignmentModel(deps.connection);
    this.seats = missionSeatModel(deps.connection);
  }

  /** Makes sure the unique index exists before slots are taken (tests, first start). */
  async init(): Promise<void> {
    await this.missions.init();
    await this.assignments.init();
    await this.seats.init();
  }

  async countMatching(criteria: { region: string; area: string; skills: string[] }): Promise<number> {
    return (await this.volunteers.matching(criteria)).length;
  }

  /** Saves the mission and invites every matching volunteer in their own language. */
  async publish(input: MissionInput, actorId: number): Promise<{ mission: MissionRecord; invited: number }> {
    const recipients = await this.volunteers.matching(input);
    const created = await this.missions.create({
      ...input,
      createdBy: actorId,
      invitedUserIds: recipients.map((r) => r.userId),
      status: 'open',
      acceptedCount: 0,
    });
    const mission = created.toObject() as MissionRecord;
    const id = String(mission._id);
    await this.deps.delivery.enqueue(recipients.map((r) => this.inviteJob(mission, r)));
    await this.audit.record(actorId, 'mission.publish', `mission:${id}`, {
      region: input.region,
      area: input.area,
      slots: input.slots,
      invited: recipients.length,
    });
    return { mission, invited: recipients.length };
  }

  async get(missionId: string): Promise<MissionRecord | null> {
    if (!isValidObjectId(missionId)) return null;
    return this.missions.findById(missionId).lean<MissionRecord>();
  }

  /** Missions staff can manage: not yet started or recently ended, newest first. */
  async listForStaff(limit = 20): Promise<MissionRecord[]> {
    const since = new Date(this.deps.now().getTime() - 60 * 24 * HOUR);
    const list = await this.missions.find({ startsAt: { $gte: since } }).sort({ startsAt: -1 }).limit(limit).lean<MissionRecord[]>();
    return Promise.all(list.map(async (m) => ({ ...m, acceptedCount: await this.acceptedCount(m._id) })));
  }

  hasEnded(mission: Pick<MissionRecord, 'startsAt' | 'durationHours'>): boolean {
    return new Date(mission.startsAt).getTime() + mission.durationHours * HOUR <= this.deps.now().getTime();
  }

  hasStarted(mission: Pick<MissionRecord, 'startsAt'>): boolean {
    return new Date(mission.startsAt).getTime() <= this.deps.now().getTime();
  }

  /**
   * A volunteer says yes. A place is taken by inserting a seat under a unique index, so with
   * N places at most N taps win however many arrive at once; the rest join the waiting list in
   * arrival order (`seq`).
   */
  async accept(missionId: string, userId: number): Promise<AcceptResult> {
    return this.serial(missionId, userId, () => this.acceptNow(missionId, userId));
  }

  private async acceptNow(missionId: string, userId: number): Promise<AcceptResult> {
    const mission = await this.get(missionId);
    if (!mission) return { status: 'not-found' };
    if (mission.status === 'cancelled') return { status: 'cancelled' };
    if (this.hasStarted(mission)) return { status: 'started' };
    if (!(await this.volunteers.isVolunteer(userId))) return { status: 'not-volunteer' };

    const filter = { missionId: mission._id, volunteerUserId: userId };
    try {
      await this.assignments.updateOne(filter, { $setOnInsert: { status: 'new' } }, { upsert: true });
    } catch (error) {
      // Another tap of the same person created it a moment ago; the claim below sorts them out.
      if (!isDuplicateKey(error)) throw error;
    }
    const claimed = await this.assignments.findOneAndUpdate(
      { ...filter, status: { $in: ['new', 'declined', 'cancelled'] } },
      { $set: { status: 'claiming' } },
      { new: true },
    );
    if (!claimed) {
      const current = await this.assignments.findOne(filter).lean<MissionAssignmentRecord>();
      if (current?.status === 'accepted') return { status: 'already-accepted' };
      if (current?.status === 'waiting') return { status: 'already-waiting', position: await this.positionOf(mission._id, current.seq ?? 0) };
      return { status: 'busy' };
    }

    const now = this.deps.now();
    const seat = await this.takeSeat(mission, userId);
    if (seat === 'held') {
      await this.assignments.updateOne({ _id: claimed._id, status: 'claiming' }, { $set: { status: 'accepted' } });
      return { status: 'already-accepted' };
    }
    if (seat !== null) {
      await this.assignments.updateOne(
        { _id: claimed._id },
        { $set: { status: 'accepted', acceptedAt: now }, $unset: { seq: 1, waitingSince: 1, cancelledAt: 1, reminder24: 1, reminder2: 1 } },
      );
      await this.scheduleReminders(mission, userId);
      return { status: 'accepted' };
    }
    const seq = now.getTime() * 1000 + (this.waitCounter++ % 1000);
    await this.assignments.updateOne(
      { _id: claimed._id },
      { $set: { status: 'waiting', seq, waitingSince: now }, $unset: { cancelledAt: 1 } },
    );
    // A second tap of the same person may have taken a place meanwhile; the seat is the truth.
    if (await this.seats.exists({ missionId: mission._id, volunteerUserId: userId })) {
      await this.assignments.updateOne({ _id: claimed._id }, { $set: { status: 'accepted', acceptedAt: now }, $unset: { seq: 1, waitingSince: 1 } });
      return { status: 'already-accepted' };
    }
    return { status: 'waiting', position: await this.positionOf(mission._id, seq) };
  }

  /**
   * Takes the first free place by inserting it: the unique index lets exactly one insert per
   * place succeed. Returns the place, 'held' when this person already has one, or null when full.
   */
  private async takeSeat(mission: MissionRecord, userId: number): Promise<number | 'held' | null> {
    const taken = new Set(
      (await this.seats.find({ missionId: mission._id }, { seat: 1 }).lean<Array<{ seat: number }>>()).map((s) => s.seat),
    );
    for (let seat = 0; seat < mission.slots; seat++) {
      if (taken.has(seat)) continue;
      try {
        await this.seats.create({ missionId: mission._id, seat, volunteerUserId: userId });
        return seat;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        if (await this.seats.exists({ missionId: mission._id, volunteerUserId: userId })) return 'held';
      }
    }
    return (await this.seats.exists({ missionId: mission._id, volunteerUserId: userId })) ? 'held' : null;
  }

  /**
   * Places taken, counted from the seats. Not written back to the mission on every tap: on
   * FerretDB an update rewrites the whole document and could undo a concurrent cancellation.
   */
  async acceptedCount(missionId: Types.ObjectId | string): Promise<number> {
    return this.seats.countDocuments({ missionId });
  }


  /** "No" to an invitation; if they had a slot it goes to the next on the waiting list. */
  async decline(missionId: string, userId: number): Promise<ReleaseResult> {
    return this.serial(missionId, userId, () => this.declineNow(missionId, userId));
  }

  private async declineNow(missionId: string, userId: number): Promise<ReleaseResult> {
    const mission = await this.get(missionId);
    if (!mission) return 'not-found';
    const released = await this.release(mission, userId, 'declined');
    if (released !== 'not-held') return released;
    const filter = { missionId: mission._id, volunteerUserId: userId };
    try {
      await this.assignments.updateOne(filter, { $setOnInsert: { status: 'declined' } }, { upsert: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await this.assignments.updateOne({ ...filter, status: 'new' }, { $set: { status: 'declined' } });
    return 'released';
  }

  /** The volunteer cannot come after all (until the start). */
  async cancelByVolunteer(missionId: string, userId: number): Promise<ReleaseResult> {
    return this.serial(missionId, userId, async () => {
      const mission = await this.get(missionId);
      if (!mission) return 'not-found';
      return this.release(mission, userId, 'cancelled');
    });
  }

  /** "Still coming?" Yes is noted for the roster; No frees the slot. */
  async answerReminder(missionId: string, userId: number, hours: number, coming: boolean): Promise<'noted' | ReleaseResult> {
    return this.serial(missionId, userId, () => this.answerReminderNow(missionId, userId, hours, coming));
  }

  private async answerReminderNow(missionId: string, userId: number, hours: number, coming: boolean): Promise<'noted' | ReleaseResult> {
    const mission = await this.get(missionId);
    if (!mission) return 'not-found';
    const field = hours === 2 ? 'reminder2' : 'reminder24';
    const updated = await this.assignments.updateOne(
      { missionId: mission._id, volunteerUserId: userId, status: 'accepted' },
      { $set: { [field]: coming ? 'yes' : 'no' } },
    );
    if (updated.matchedCount === 0) return 'not-held';
    if (coming) return 'noted';
    return this.release(mission, userId, 'cancelled');
  }

  private async release(mission: MissionRecord, userId: number, to: 'declined' | 'cancelled'): Promise<ReleaseResult> {
    if (this.hasStarted(mission) && mission.status === 'open') return 'started';
    const previous = await this.assignments.findOneAndUpdate(
      { missionId: mission._id, volunteerUserId: userId, status: { $in: ['accepted', 'waiting'] } },
      { $set: { status: to, cancelledAt: this.deps.now() }, $unset: { seq: 1 } },
      { new: false },
    );
    if (!previous) return 'not-held';
    const freed = await this.seats.deleteOne({ missionId: mission._id, volunteerUserId: userId });
    if (previous.status === 'accepted' || freed.deletedCount > 0) {
      await this.deps.delivery.cancel(REMINDER_HOURS.map((h) => MISSION_JOB.reminder(String(mission._id), userId, h)));
      await this.promoteNext(String(mission._id));
    }
    return 'released';
  }

  /** Gives a freed slot to the first on the waiting list and tells them through the queue. */
  async promoteNext(missionId: string): Promise<number | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const mission = await this.get(missionId);
      if (!mission || mission.status !== 'open' || this.hasStarted(mission)) return null;
      const next = await this.assignments
        .findOne({ missionId: mission._id, status: 'waiting' })
        .sort({ seq: 1 })
        .lean<MissionAssignmentRecord>();
      if (!next) return null;
      const seat = await this.takeSeat(mission, next.volunteerUserId);
      if (seat === null) return null;
      const promoted = await this.assignments.findOneAndUpdate(
        { _id: next._id, status: 'waiting' },
        { $set: { status: 'accepted', acceptedAt: this.deps.now() }, $unset: { seq: 1 } },
      );
      if (!promoted) {
        // They left the list between the read and the update: give the place back and try the next.
        await this.seats.deleteOne({ missionId: mission._id, volunteerUserId: next.volunteerUserId });
        continue;
      }
      const recipient = await this.volunteers.recipient(next.volunteerUserId);
      if (recipient) {
        const t = this.deps.i18n.t(recipient.locale);
        await this.deps.delivery.enqueue([
          {
            id: MISSION_JOB.promoted(missionId, recipient.userId),
            chatId: recipient.chatId,
            kind: 'mission-notice',
            text: t('volunteer:notice.promoted', { details: missionDetailsText(t, recipient.locale, mission) }),
            ref: MISSION_JOB.ref(missionId, recipient.userId),
          },
        ]);
      }
      await this.scheduleReminders(mission, next.volunteerUserId);
      return next.volunteerUserId;
    }
    return null;
  }

  /** Staff cancel: everyone accepted or waiting is told, pending invitations and reminders are dropped. */
  async cancelMission(missionId: string, actorId: number): Promise<{ told: number } | null> {
    if (!isValidObjectId(missionId)) return null;
    const mission = await this.missions
      .findOneAndUpdate({ _id: missionId, status: 'open' }, { $set: { status: 'cancelled', cancelledAt: this.deps.now() } }, { new: true })
      .lean<MissionRecord>();
    if (!mission) return null;
    const held = await this.assignments
      .find({ missionId: mission._id, status: { $in: ['accepted', 'waiting'] } })
      .lean<MissionAssignmentRecord[]>();
    const pending = [
      ...mission.invitedUserIds.map((u) => MISSION_JOB.invite(missionId, u)),
      ...held.flatMap((a) => REMINDER_HOURS.map((h) => MISSION_JOB.reminder(missionId, a.volunteerUserId, h))),
    ];
    if (pending.length) await this.deps.delivery.cancel(pending);
    const jobs: DeliveryJob[] = [];
    for (const a of held) {
      const recipient = await this.volunteers.recipient(a.volunteerUserId);
      if (!recipient) continue;
      const t = this.deps.i18n.t(recipient.locale);
      jobs.push({
        id: MISSION_JOB.cancelled(missionId, recipient.userId),
        chatId: recipient.chatId,
        kind: 'mission-notice',
        text: t('volunteer:notice.cancelled', { title: mission.title, start: formatKzDateTime(new Date(mission.startsAt), recipient.locale) }),
        ref: MISSION_JOB.ref(missionId, recipient.userId),
      });
    }
    await this.deps.delivery.enqueue(jobs);
    await this.audit.record(actorId, 'mission.cancel', `mission:${missionId}`, { accepted: held.filter((a) => a.status === 'accepted').length, told: jobs.length });
    return { told: jobs.length };
  }

  /** Accepted volunteers with names and phones (staff call them), the waiting list by position. */
  async roster(missionId: string, actorId?: number): Promise<Roster | null> {
    const found = await this.get(missionId);
    if (!found) return null;
    const mission = { ...found, acceptedCount: await this.acceptedCount(found._id) };
    const all = await this.assignments.find({ missionId: mission._id }).lean<MissionAssignmentRecord[]>();
    const profiles = await this.volunteers.getMany(all.map((a) => a.volunteerUserId));
    const accepted = all
      .filter((a) => a.status === 'accepted')
      .sort((a, b) => new Date(a.acceptedAt ?? 0).getTime() - new Date(b.acceptedAt ?? 0).getTime())
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
      .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))
      .map((a, index) => ({ userId: a.volunteerUserId, name: profiles.get(a.volunteerUserId)?.fullName ?? '—', status: a.status, position: index + 1 }));
    if (actorId !== undefined) await this.audit.record(actorId, 'mission.roster', `mission:${missionId}`, { accepted: accepted.length });
    return { mission, accepted, waiting, declined: all.filter((a) => a.status === 'declined' || a.status === 'cancelled').length };
  }

  /**
   * After the end, staff mark who came. Hours are credited by a conditional update on
   * `hoursCredited`, so saving the same list twice never credits twice.
   */
  async saveAttendance(
    missionId: string,
    cameUserIds: number[],
    actorId: number,
  ): Promise<{ credited: number; attended: number } | 'not-ended' | 'not-found'> {
    const mission = await this.get(missionId);
    if (!mission || mission.status === 'cancelled') return 'not-found';
    if (!this.hasEnded(mission)) return 'not-ended';
    const accepted = await this.assignments.find({ missionId: mission._id, status: 'accepted' }).lean<MissionAssignmentRecord[]>();
    let credited = 0;
    let attended = 0;
    for (const a of accepted) {
      if (cameUserIds.includes(a.volunteerUserId)) {
        attended++;
        const result = await this.assignments.updateOne(
          { _id: a._id, hoursCredited: { $exists: false } },
          { $set: { attended: true, hoursCredited: mission.durationHours } },
        );
        credited += result.modifiedCount;
        await this.assignments.updateOne({ _id: a._id }, { $set: { attended: true } });
      } else {
        // A correction: someone marked by mistake loses the hours of this mission.
        await this.assignments.updateOne({ _id: a._id }, { $set: { attended: false }, $unset: { hoursCredited: 1 } });
      }
    }
    await this.audit.record(actorId, 'mission.attendance', `mission:${missionId}`, { attended, credited });
    return { credited, attended };
  }

  async hours(userId: number): Promise<HoursSummary> {
    const credited = await this.assignments
      .find({ volunteerUserId: userId, hoursCredited: { $exists: true } })
      .lean<MissionAssignmentRecord[]>();
    const missions = credited.length
      ? await this.missions.find({ _id: { $in: credited.map((a) => a.missionId) } }).lean<MissionRecord[]>()
      : [];
    const byId = new Map(missions.map((m) => [String(m._id), m]));
    const year = kzDateParts(this.deps.now()).year;
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

  /** The volunteer's missions that have not started: accepted or on the waiting list. */
  async upcomingFor(userId: number): Promise<VolunteerMission[]> {
    const held = await this.assignments
      .find({ volunteerUserId: userId, status: { $in: ['accepted', 'waiting'] } })
      .lean<MissionAssignmentRecord[]>();
    if (held.length === 0) return [];
    const missions = await this.missions
      .find({ _id: { $in: held.map((a) => a.missionId) }, status: 'open', startsAt: { $gt: this.deps.now() } })
      .sort({ startsAt: 1 })
      .lean<MissionRecord[]>();
    const result: VolunteerMission[] = [];
    for (const mission of missions) {
      const a = held.find((h) => String(h.missionId) === String(mission._id))!;
      if (a.status === 'accepted') result.push({ mission, status: 'accepted' });
      else result.push({ mission, status: 'waiting', position: await this.positionOf(mission._id, a.seq ?? 0) });
    }
    return result;
  }

  /**
   * The delivery worker asks this just before sending: invitations and reminders of a
   * cancelled or started mission, or reminders to someone who no longer holds a slot, are dropped.
   */
  async isDeliveryWanted(job: DeliveryJob): Promise<boolean> {
    if (job.kind !== 'mission-invite' && job.kind !== 'mission-reminder') return true;
    const ref = parseMissionRef(job.ref);
    if (!ref) return true;
    const mission = await this.get(ref.missionId);
    if (!mission || mission.status !== 'open' || this.hasStarted(mission)) return false;
    if (job.kind === 'mission-invite') {
      const volunteer = await this.volunteers.get(ref.userId);
      return volunteer !== null && !volunteer.paused;
    }
    const assignment = await this.assignments
      .findOne({ missionId: mission._id, volunteerUserId: ref.userId })
      .lean<MissionAssignmentRecord>();
    return assignment?.status === 'accepted';
  }

  /**
   * "Delete my data": upcoming slots are given up (and passed on), assignments deleted. Hours
   * of completed missions stay only as anonymous totals on the mission. Returns how many.
   */
  async eraseVolunteer(userId: number): Promise<{ keptMissions: number; keptHours: number }> {
    const all = await this.assignments.find({ volunteerUserId: userId }).lean<MissionAssignmentRecord[]>();
    let keptMissions = 0;
    let keptHours = 0;
    for (const a of all) {
      const missionId = String(a.missionId);
      if (a.status === 'accepted' || a.status === 'waiting') {
        const mission = await this.get(missionId);
        if (mission && mission.status === 'open' && !this.hasStarted(mission)) await this.release(mission, userId, 'cancelled');
      }
      if (a.hoursCredited) {
        keptMissions++;
        keptHours += a.hoursCredited;
        await this.missions.updateOne({ _id: a.missionId }, { $inc: { anonymisedHours: a.hoursCredited, anonymisedVolunteers: 1 } });
      }
    }
    await this.assignments.deleteMany({ volunteerUserId: userId });
    await this.missions.updateMany({ invitedUserIds: userId }, { $pull: { invitedUserIds: userId } });
    return { keptMissions, keptHours };
  }

  private async positionOf(missionId: Types.ObjectId, seq: number): Promise<number> {
    return this.assignments.countDocuments({ missionId, status: 'waiting', seq: { $lte: seq } });
  }

  private inviteJob(mission: MissionRecord, r: VolunteerRecipient): DeliveryJob {
    const id = String(mission._id);
    const t = this.deps.i18n.t(r.locale);
    return {
      id: MISSION_JOB.invite(id, r.userId),
      chatId: r.chatId,
      kind: 'mission-invite',
      text: t('volunteer:invite.text', { details: missionDetailsText(t, r.locale, mission) }),
      buttons: inviteButtons(t, id),
      ref: MISSION_JOB.ref(id, r.userId),
    };
  }

  private async scheduleReminders(mission: MissionRecord, userId: number): Promise<void> {
    const recipient = await this.volunteers.recipient(userId);
    if (!recipient) return;
    const start = new Date(mission.startsAt).getTime();
    const now = this.deps.now().getTime();
    const jobs = REMINDER_HOURS.filter((h) => start - h * HOUR > now).map((hours) => this.reminderJob(mission, recipient, hours));
    if (jobs.length) await this.deps.delivery.enqueue(jobs);
  }

  private reminderJob(mission: MissionRecord, r: VolunteerRecipient & { locale: Locale }, hours: number): DeliveryJob {
    const id = String(mission._id);
    const t = this.deps.i18n.t(r.locale);
    return {
      id: MISSION_JOB.reminder(id, r.userId, hours),
      chatId: r.chatId,
      kind: 'mission-reminder',
      notBefore: new Date(new Date(mission.startsAt).getTime() - hours * HOUR),
      text: t('volunteer:reminder.text', {
        count: hours,
        title: mission.title,
        start: formatKzDateTime(new Date(mission.startsAt), r.locale),
        place: mission.place,
      }),
      buttons: reminderButtons(t, id, hours),
      ref: MISSION_JOB.ref(id, r.userId),
    };
  }
}
