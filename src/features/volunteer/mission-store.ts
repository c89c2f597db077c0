import { isValidObjectId, type Types } from 'mongoose';
import { missionModel, type MissionModel, type MissionRecord } from './mission.model.js';
import {
  missionAssignmentModel,
  missionSeatModel,
  type MissionAssignmentModel,
  type MissionSeatModel,
} from './mission-assignment.model.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import type { VolunteersService } from './volunteers.service.js';
import { MissionWithheld } from './mission-withheld.js';
import { RecordLock } from '../../services/record-lock.js';

export const HOUR = 60 * 60 * 1000;

/**
 * How long a tap may hold a person's answer ("claiming") before another tap or the repair may
 * take over, and how old a place must be before the repair treats it as left behind. A tap takes
 * milliseconds; this only has to outlast a slow database.
 */
export const CLAIM_LEASE_MS = 30_000;

/** The records of missions and the few questions every part of the missions service asks. */
export class MissionStore {
  readonly missions: MissionModel;
  readonly assignments: MissionAssignmentModel;
  readonly seats: MissionSeatModel;
  /** Messages withheld at send time, waiting for another coordinator. */
  readonly withheld: MissionWithheld;
  /**
   * One writer of a mission's own record at a time (changing its details, cancelling it, holding
   * or confirming its invitations): FerretDB writes an update as the whole document read a
   * moment before, so a change saved while a cancellation is written could open it again.
   */
  private readonly lock: RecordLock;

  constructor(
    readonly deps: ServiceDeps,
    readonly volunteers: VolunteersService,
  ) {
    this.missions = missionModel(deps.connection);
    this.assignments = missionAssignmentModel(deps.connection);
    this.seats = missionSeatModel(deps.connection);
    this.withheld = new MissionWithheld(deps.connection);
    this.lock = new RecordLock(deps.redis, `${deps.config.REDIS_PREFIX}:mission`);
  }

  /** Runs `work` as the only writer of this mission's record (see `lock`). */
  exclusive<T>(missionId: string, work: () => Promise<T>): Promise<T> {
    return this.lock.run(missionId, work);
  }

  /** Whether a writer holds the mission's lock right now (a change being saved, an answer checked against it). */
  isBusy(missionId: string): Promise<boolean> {
    return this.lock.isHeld(missionId);
  }

  now(): Date {
    return this.deps.now();
  }

  async get(missionId: string): Promise<MissionRecord | null> {
    if (!isValidObjectId(missionId)) return null;
    return this.missions.findById(missionId).lean<MissionRecord>();
  }

  hasEnded(mission: Pick<MissionRecord, 'startsAt' | 'durationHours'>): boolean {
    return new Date(mission.startsAt).getTime() + mission.durationHours * HOUR <= this.now().getTime();
  }

  hasStarted(mission: Pick<MissionRecord, 'startsAt'>): boolean {
    return new Date(mission.startsAt).getTime() <= this.now().getTime();
  }

  /** Open and not started: the only time places can change hands. */
  isOpen(mission: Pick<MissionRecord, 'status' | 'startsAt'>): boolean {
    return mission.status === 'open' && !this.hasStarted(mission);
  }

  /**
   * Places taken, counted from the seats. Not written back to the mission on every tap: on
   * FerretDB an update rewrites the whole document and could undo a concurrent cancellation.
   */
  async acceptedCount(missionId: Types.ObjectId | string): Promise<number> {
    return this.seats.countDocuments({ missionId });
  }

  async holdsSeat(missionId: Types.ObjectId, userId: number): Promise<boolean> {
    return (await this.seats.exists({ missionId, volunteerUserId: userId })) !== null;
  }

  /** Place on the waiting list, 1-based: by `seq`, then by `_id` for taps stamped alike. */
  async positionOf(missionId: Types.ObjectId, seq: number, id: Types.ObjectId): Promise<number> {
    return this.assignments.countDocuments({
      missionId,
      status: 'waiting',
      $or: [{ seq: { $lt: seq } }, { seq, _id: { $lte: id } }],
    });
  }
}
