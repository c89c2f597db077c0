import type { MissionRecord } from './mission.model.js';
import type { MissionAssignmentRecord } from './mission-assignment.model.js';
import { CLAIM_LEASE_MS, type MissionStore } from './mission-store.js';
import type { MissionSeats } from './mission-seats.js';
import type { MissionSlots } from './mission-slots.js';
import type { MissionReminders } from './mission-reminders.js';

interface SeatRow {
  _id: unknown;
  volunteerUserId: number;
  seat: number;
  takenAt?: Date;
}

/**
 * Puts right what a tap, an answer or a promotion left half-done when its process died, so no
 * repair job is needed: it runs whenever someone looks (the roster, cancelling, attendance, the
 * volunteer's own missions, a reminder about to be sent).
 */
export class MissionRepair {
  constructor(
    private readonly store: MissionStore,
    private readonly seats: MissionSeats,
    private readonly slots: MissionSlots,
    private readonly reminders: MissionReminders,
  ) {}

  /**
   * - a lapsed claim with a place: they said yes and got it, so they are accepted (once the place
   *   is checked against the number of places, as the tap would have);
   * - a lapsed claim without a place: as if the tap never came (the invitation's buttons still work);
   * - a place held by someone on the waiting list: a promotion cut short, checked against the
   *   number of places, then finished and told;
   * - a place held by someone who said no, or by nobody: freed and passed on.
   * Anything younger than CLAIM_LEASE_MS is left alone: a tap may still be writing it.
   */
  async mission(mission: MissionRecord): Promise<void> {
    const now = this.store.now().getTime();
    const recent = (d: Date | null | undefined) => d != null && now - new Date(d).getTime() < CLAIM_LEASE_MS;
    const claimLive = (a: MissionAssignmentRecord) => a.status === 'claiming' && a.claimUntil != null && new Date(a.claimUntil).getTime() > now;
    const [assignments, seats] = await Promise.all([
      this.store.assignments.find({ missionId: mission._id }).lean<MissionAssignmentRecord[]>(),
      this.store.seats.find({ missionId: mission._id }).lean<SeatRow[]>(),
    ]);
    const byUser = new Map(assignments.map((a) => [a.volunteerUserId, a]));
    let freed = false;
    for (const seat of seats) {
      const a = byUser.get(seat.volunteerUserId);
      if (a?.status === 'accepted' || recent(seat.takenAt)) continue;
      if (a?.status === 'claiming') {
        if (claimLive(a)) continue;
        if ((await this.placeChecked(mission, a.volunteerUserId)) === 'given back') {
          // Given back: as if the tap never came (unless a new tap took the claim over meanwhile).
          await this.store.assignments.updateOne(
            { _id: a._id, status: 'claiming', claimUntil: { $not: { $gt: new Date(now) } } },
            { $set: { status: 'new' }, $unset: { claimUntil: 1 } },
          );
          continue;
        }
        await this.reminders.schedule(mission, a.volunteerUserId);
        await this.seats.markAccepted(a._id, ['claiming']);
      } else if (a?.status === 'waiting') {
        // A promotion cut short, perhaps before its place was checked against a number of places
        // lowered meanwhile (mission-slots.ts `promotionCounted`): checked first, and given back
        // they still wait, untold. Then told first, as fillFreePlaces does: a failure in between
        // is found again here (same ids). On a mission that has started or was cancelled or
        // closed meanwhile, "a place is free for you" would be false: the place is let go and
        // they stay on the waiting list, untold.
        const place = await this.placeChecked(mission, a.volunteerUserId);
        if (place === 'given back') continue;
        if (place === 'closed') {
          await this.store.seats.deleteOne({ _id: seat._id, volunteerUserId: a.volunteerUserId });
          continue;
        }
        await this.slots.announcePromotion(mission, a.volunteerUserId);
        await this.seats.markAccepted(a._id, ['waiting']);
      } else if (!recent(a?.cancelledAt)) {
        freed = (await this.store.seats.deleteOne({ _id: seat._id })).deletedCount > 0 || freed;
      }
    }
    const seated = new Set(seats.map((s) => s.volunteerUserId));
    for (const a of assignments) {
      if (a.status !== 'claiming' || claimLive(a) || seated.has(a.volunteerUserId)) continue;
      // The time in the filter keeps a tap that took the claim over meanwhile from being undone.
      await this.store.assignments.updateOne(
        { _id: a._id, status: 'claiming', claimUntil: { $not: { $gt: new Date(now) } } },
        { $set: { status: 'new' }, $unset: { claimUntil: 1 } },
      );
    }
    // A tap that read the mission just before its places were lowered may have taken a number
    // beyond the new count (mission-edit): moved inside it while there is room.
    if (seats.some((s) => s.seat >= mission.slots)) await this.seats.fitInto(mission);
    if (freed) await this.slots.fillFreePlaces(String(mission._id));
  }

  /**
   * A place taken by a step cut short, checked as the step would have (mission-slots.ts
   * `seatCounted`): it may have stopped before that check while a change lowered the number of
   * places, and settled as accepted it made the team one too many. 'closed': the mission no
   * longer takes anyone (started, cancelled, closed or gone), so the place was not checked.
   */
  private placeChecked(mission: MissionRecord, userId: number): Promise<'kept' | 'given back' | 'closed'> {
    const missionId = String(mission._id);
    return this.store.exclusive(missionId, async () => {
      const current = await this.store.get(missionId);
      if (!current || !this.store.isOpen(current)) return 'closed';
      return (await this.seats.keepInside(current, userId)) ? 'kept' : 'given back';
    });
  }

  /** The missions where this person has an answer still marked as being worked on. */
  async forVolunteer(userId: number): Promise<void> {
    const claims = await this.store.assignments.find({ volunteerUserId: userId, status: 'claiming' }, { missionId: 1 }).lean<Array<{ missionId: MissionAssignmentRecord['missionId'] }>>();
    for (const c of claims) {
      const mission = await this.store.get(String(c.missionId));
      if (mission) await this.mission(mission);
    }
  }
}
