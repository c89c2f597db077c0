import type { Types } from 'mongoose';
import type { MissionRecord } from './mission.model.js';
import { NO_REMINDER_ANSWERS, type AssignmentStatus, type MissionAssignmentRecord } from './mission-assignment.model.js';
import { isDuplicateKey } from '../../db/models/counter.js';
import { CLAIM_LEASE_MS, type MissionStore } from './mission-store.js';

/** Answers a person may change by tapping Accept again. */
const CLAIMABLE: AssignmentStatus[] = ['new', 'declined', 'cancelled'];

/**
 * The two records that decide who is on a mission's team. A place is a MissionSeat, taken by
 * inserting it under unique indexes: with N places at most N inserts win however many taps
 * arrive at once, on MongoDB and on FerretDB alike. A person's answer is their assignment,
 * claimed while a tap works on it; the claim lapses by itself, so nothing stays stuck.
 */
export class MissionSeats {
  constructor(private readonly store: MissionStore) {}

  /**
   * Takes a free place. Returns the place, 'held' when this person already has one, or null when
   * every place is taken. The place is picked at random among those seen free, and the places
   * are read again after losing one: a burst of taps then spreads over the free places at once,
   * instead of every tap trying place 0, then 1, and so on (50 taps on 10 places took ~450
   * inserts that way, ~60 this way). Which number a place has means nothing to anyone.
   */
  async take(mission: MissionRecord, userId: number): Promise<number | 'held' | null> {
    // Each round either wins a place or learns of at least one more taken: at most `slots` rounds.
    for (let round = 0; round < mission.slots; round++) {
      const free = await this.freeSeats(mission, 'new');
      if (free.length === 0) break;
      const seat = free[Math.floor(Math.random() * free.length)]!;
      try {
        await this.store.seats.create({ missionId: mission._id, seat, volunteerUserId: userId, takenAt: this.store.now() });
        return seat;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        if (await this.store.holdsSeat(mission._id, userId)) return 'held';
      }
    }
    return (await this.store.holdsSeat(mission._id, userId)) ? 'held' : null;
  }

  /**
   * Numbers below `slots` that nobody holds. For a 'new' place, none while the team is full: a
   * place numbered beyond a lowered count still counts (a tap gave back the number the follow-up
   * would have moved it to), and handing out the free number would make the team one too many.
   * A place moved inside (`fitInto`, `keepInside`) changes no count and may use any free number.
   */
  private async freeSeats(mission: MissionRecord, purpose: 'new' | 'move' = 'move'): Promise<number[]> {
    const taken = new Set((await this.store.seats.find({ missionId: mission._id }, { seat: 1 }).lean<Array<{ seat: number }>>()).map((s) => s.seat));
    if (purpose === 'new' && taken.size >= mission.slots) return [];
    return Array.from({ length: mission.slots }, (_, seat) => seat).filter((seat) => !taken.has(seat));
  }

  /**
   * After the number of places was lowered: places numbered beyond it move to free numbers
   * within it, so the unique index keeps counting right (a later tap only tries numbers below
   * `slots`). A number taken meanwhile by a tap fails on the index and the next one is tried.
   * Lowering below the places taken is refused before this runs (mission-edit.ts).
   */
  async fitInto(mission: MissionRecord): Promise<void> {
    const outside = await this.store.seats.find({ missionId: mission._id, seat: { $gte: mission.slots } }).lean<Array<{ _id: Types.ObjectId }>>();
    for (const seat of outside) {
      for (const number of await this.freeSeats(mission)) {
        try {
          await this.store.seats.updateOne({ _id: seat._id }, { $set: { seat: number } });
          break;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }
    }
  }

  /**
   * A place just taken, checked against the mission's number of places (under the mission's
   * lock): given back when the team is larger than that number (this tap came last), otherwise
   * kept, moved inside the number if it lies beyond. Returns whether the person still holds it.
   */
  async keepInside(mission: MissionRecord, userId: number): Promise<boolean> {
    const seats = await this.store.seats.find({ missionId: mission._id }, { seat: 1, volunteerUserId: 1 }).lean<Array<{ _id: Types.ObjectId; seat: number; volunteerUserId: number }>>();
    const own = seats.find((s) => s.volunteerUserId === userId);
    if (!own) return false;
    if (seats.length <= mission.slots && own.seat < mission.slots) return true;
    for (const number of seats.length <= mission.slots ? await this.freeSeats(mission) : []) {
      try {
        await this.store.seats.updateOne({ _id: own._id }, { $set: { seat: number } });
        return true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    await this.store.seats.deleteOne({ _id: own._id });
    return false;
  }

  async free(missionId: Types.ObjectId, userId: number): Promise<boolean> {
    return (await this.store.seats.deleteOne({ missionId, volunteerUserId: userId })).deletedCount > 0;
  }

  /**
   * Marks the person's answer as being worked on, creating it if needed. Returns the answer as
   * it was before, or null when it cannot be claimed (already accepted or waiting, or another
   * tap is at work on it). A claim whose time is up counts as free: the tap that made it died.
   */
  async claim(missionId: Types.ObjectId, userId: number): Promise<MissionAssignmentRecord | null> {
    const { assignments } = this.store;
    const filter = { missionId, volunteerUserId: userId };
    try {
      await assignments.updateOne(filter, { $setOnInsert: { status: 'new' } }, { upsert: true });
    } catch (error) {
      // Another tap of the same person created it a moment ago; the claim below sorts them out.
      if (!isDuplicateKey(error)) throw error;
    }
    const now = this.store.now();
    return assignments
      .findOneAndUpdate(
        // $not also matches a claim without a time, left by a version of the bot that set none.
        { ...filter, $or: [{ status: { $in: CLAIMABLE } }, { status: 'claiming', claimUntil: { $not: { $gt: now } } }] },
        { $set: { status: 'claiming', claimUntil: new Date(now.getTime() + CLAIM_LEASE_MS) } },
        { returnDocument: 'before' },
      )
      .lean<MissionAssignmentRecord>();
  }

  /**
   * Gives a claim back after a failure, so the next tap need not wait for it to lapse. Left
   * alone when a place was taken: the repair settles that one as accepted.
   */
  async unclaim(before: MissionAssignmentRecord): Promise<void> {
    if (await this.store.holdsSeat(before.missionId, before.volunteerUserId)) return;
    const status = before.status === 'claiming' ? 'new' : before.status;
    await this.store.assignments.updateOne({ _id: before._id, status: 'claiming' }, { $set: { status }, $unset: { claimUntil: 1 } });
  }

  /**
   * Before another answer of the same person: a claim still within its time belongs to a tap at
   * work ('busy'); a lapsed one is settled as the repair would (a place taken means accepted).
   */
  async settleOwnClaim(missionId: Types.ObjectId, userId: number): Promise<'busy' | 'clear'> {
    const current = await this.store.assignments.findOne({ missionId, volunteerUserId: userId, status: 'claiming' }).lean<MissionAssignmentRecord>();
    if (!current) return 'clear';
    if (current.claimUntil && new Date(current.claimUntil).getTime() > this.store.now().getTime()) return 'busy';
    if (await this.store.holdsSeat(missionId, userId)) await this.markAccepted(current._id, ['claiming']);
    else await this.unclaim(current);
    return 'clear';
  }

  /** The person holds a place: accepted, with fresh reminder answers. */
  async markAccepted(assignmentId: Types.ObjectId, from: AssignmentStatus[] = ['claiming', 'waiting']): Promise<boolean> {
    const result = await this.store.assignments.updateOne(
      { _id: assignmentId, status: { $in: from } },
      {
        $set: { status: 'accepted', acceptedAt: this.store.now() },
        $unset: { seq: 1, waitingSince: 1, cancelledAt: 1, claimUntil: 1, ...NO_REMINDER_ANSWERS },
      },
    );
    return result.matchedCount > 0;
  }
}
