import { OneAtATime } from '../../services/one-at-a-time.js';
import type { MissionRecord } from './mission.model.js';
import type { MissionAssignmentRecord } from './mission-assignment.model.js';
import { isDuplicateKey } from '../../db/models/counter.js';
import type { MissionStore } from './mission-store.js';
import type { MissionSeats } from './mission-seats.js';
import type { MissionReminders } from './mission-reminders.js';
import { promotedJob } from './mission-jobs.js';
import { mayJoin } from './mission-match.js';
import type { AcceptResult, ReleaseResult } from './mission-types.js';

const MAX_FILL_ROUNDS = 600;

/** A place just taken, checked: within the number of places, beyond it, or the mission cancelled or started meanwhile. */
type PlaceCheck = 'kept' | 'outside' | 'closed';

/**
 * A volunteer's answers to a mission: yes (a place or the waiting list), no, "cannot come after
 * all", and the reminders' "still coming?"; a freed place goes to the next on the waiting list.
 */
export class MissionSlots {
  /** Breaks ties between waiting-list entries made in the same millisecond. */
  private waitCounter = 0;
  /**
   * One answer at a time per person and mission in this process. Taps from one chat are already
   * serialised by the chat lock; this covers direct calls, because FerretDB rewrites a whole
   * document per update and two overlapping updates of one assignment could undo each other.
   */
  private readonly inFlight = new OneAtATime();

  constructor(
    private readonly store: MissionStore,
    private readonly seats: MissionSeats,
    private readonly reminders: MissionReminders,
  ) {}

  private serial<T>(missionId: string, userId: number, run: () => Promise<T>): Promise<T> {
    return this.inFlight.run(`${missionId}/${userId}`, run);
  }

  /** A volunteer says yes: a place if one is free, otherwise the waiting list in arrival order. */
  accept(missionId: string, userId: number): Promise<AcceptResult> {
    return this.serial(missionId, userId, () => this.acceptNow(missionId, userId));
  }

  private async acceptNow(missionId: string, userId: number): Promise<AcceptResult> {
    const mission = await this.store.get(missionId);
    if (!mission) return { status: 'not-found' };
    if (mission.status === 'cancelled') return { status: 'cancelled' };
    if (this.store.hasStarted(mission)) return { status: 'started' };
    const profile = await this.store.volunteers.get(userId);
    if (!profile) return { status: 'not-volunteer' };
    // The button's data names the mission, so a forged button, or an invitation tapped after the
    // profile changed (now 16, another region), must not give a place the mission does not offer.
    // Someone already on the team or the waiting list keeps their place and hears so.
    if (!mayJoin(profile, mission)) {
      return (await this.onTeamOrWaiting(mission, userId)) ? this.answerAlreadyGiven(mission, userId) : { status: 'not-invited' };
    }
    // Held until another coordinator confirms it (mission-invite-hold): those already in keep their place.
    if (mission.inviteHold && !(await this.onTeamOrWaiting(mission, userId))) {
      // They are told an invitation will come: kept with the held-back ones, so the confirmation sends it.
      if (mission.inviteHold.mark) await this.store.withheld.keep(mission._id, 'invite', mission.inviteHold.mark, userId);
      return { status: 'held' };
    }

    const before = await this.seats.claim(mission._id, userId);
    if (!before) return (await this.finishOwnPlace(mission, userId)) ?? this.answerAlreadyGiven(mission, userId);
    try {
      return await this.placeOrQueue(mission, userId, before);
    } catch (error) {
      // Best effort: if this fails too, the claim lapses by itself (CLAIM_LEASE_MS).
      await this.seats.unclaim(before).catch(() => undefined);
      throw error;
    }
  }

  /**
   * A claim of this person's still within its time, with a place taken: a tap of theirs that
   * failed after taking it (the queue away while scheduling the reminders), now run again by the
   * mailbox. Their taps come one at a time (the chat lock, `serial`), so no tap of theirs is at
   * work on it: finished as the repair would, and the place is theirs (the seat is the truth),
   * once checked against the number of places: the failure may have cut short that check
   * (`seatCounted`), while a change lowered the number; then the tap waits in line.
   */
  private async finishOwnPlace(mission: MissionRecord, userId: number): Promise<AcceptResult | null> {
    const claim = await this.store.assignments.findOne({ missionId: mission._id, volunteerUserId: userId, status: 'claiming' }).lean<MissionAssignmentRecord>();
    if (!claim || !(await this.store.holdsSeat(mission._id, userId))) return null;
    const check = await this.keptUnderLock(mission, userId);
    if (check === 'closed') return this.closedMeanwhile(mission, claim);
    if (check === 'outside') return this.queue(mission, userId, claim._id);
    await this.reminders.schedule(mission, userId);
    await this.seats.markAccepted(claim._id, ['claiming']);
    return { status: 'accepted' };
  }

  /** On the team or the waiting list: they keep their place whatever changed since. */
  private async onTeamOrWaiting(mission: MissionRecord, userId: number): Promise<boolean> {
    return (await this.store.assignments.exists({ missionId: mission._id, volunteerUserId: userId, status: { $in: ['accepted', 'waiting'] } })) !== null;
  }

  private async answerAlreadyGiven(mission: MissionRecord, userId: number): Promise<AcceptResult> {
    const current = await this.store.assignments.findOne({ missionId: mission._id, volunteerUserId: userId }).lean<MissionAssignmentRecord>();
    if (current?.status === 'accepted') return { status: 'already-accepted' };
    if (current?.status === 'waiting') {
      return { status: 'already-waiting', position: await this.store.positionOf(mission._id, current.seq ?? 0, current._id) };
    }
    return { status: 'busy' };
  }

  private async placeOrQueue(mission: MissionRecord, userId: number, before: MissionAssignmentRecord): Promise<AcceptResult> {
    const assignmentId = before._id;
    let seat = await this.seats.take(mission, userId);
    if (typeof seat === 'number') {
      const check = await this.seatCounted(mission, userId);
      if (check === 'closed') return this.closedMeanwhile(mission, before);
      if (check === 'outside') seat = null;
    }
    if (seat !== null) {
      // Reminders first: a crash before the status leaves a claim on a place, which the repair
      // settles as accepted, and rescheduling the same reminders is a no-op.
      await this.reminders.schedule(mission, userId);
      await this.seats.markAccepted(assignmentId);
      return { status: seat === 'held' ? 'already-accepted' : 'accepted' };
    }
    return this.queue(mission, userId, assignmentId);
  }

  /**
   * The mission was cancelled, or started, after this tap read it: its place is given back
   * (`keptUnderLock`) and the answer is as it was before the tap, which is told why.
   */
  private async closedMeanwhile(mission: MissionRecord, claim: MissionAssignmentRecord): Promise<AcceptResult> {
    await this.seats.unclaim(claim);
    const current = await this.store.get(String(mission._id));
    if (!current) return { status: 'not-found' };
    return { status: current.status === 'cancelled' ? 'cancelled' : 'started' };
  }

  /** No place for this tap: it joins the waiting list, in arrival order. */
  private async queue(mission: MissionRecord, userId: number, assignmentId: MissionAssignmentRecord['_id']): Promise<AcceptResult> {
    const now = this.store.now();
    const seq = now.getTime() * 1000 + (this.waitCounter++ % 1000);
    await this.store.assignments.updateOne(
      { _id: assignmentId },
      { $set: { status: 'waiting', seq, waitingSince: now }, $unset: { cancelledAt: 1, claimUntil: 1 } },
    );
    // A second tap of the same person may have taken a place meanwhile; the seat is the truth.
    if (await this.store.holdsSeat(mission._id, userId)) {
      await this.seats.markAccepted(assignmentId);
      return { status: 'already-accepted' };
    }
    return { status: 'waiting', position: await this.store.positionOf(mission._id, seq, assignmentId) };
  }

  /**
   * Whether the place just taken counts within the mission's number of places. A change that
   * lowers it counts the places taken, then writes the new number, under the mission's lock
   * (mission-edit.ts): a place taken after that count, against the old number, would make the
   * team one too many. Seen with the lock free and the version unchanged after the place was
   * written, any change still to come counts it. Otherwise it is checked under the lock against
   * the number written: kept, moved inside it, or given back (the tap then waits in line); given
   * back too when the mission was cancelled or started meanwhile ('closed').
   */
  private async seatCounted(mission: MissionRecord, userId: number): Promise<PlaceCheck> {
    const missionId = String(mission._id);
    if (!(await this.store.isBusy(missionId))) {
      const current = await this.store.get(missionId);
      // Still open too: a cancellation does not change the version.
      if (current && this.store.isOpen(current) && (current.version ?? 0) === (mission.version ?? 0)) return 'kept';
    }
    return this.keptUnderLock(mission, userId);
  }

  /**
   * The place checked under the mission's lock against the mission as written (`keepInside`);
   * given back when the mission was cancelled (or started) meanwhile: the cancellation told
   * those it found holding a place, not this tap.
   */
  private keptUnderLock(mission: MissionRecord, userId: number): Promise<PlaceCheck> {
    const missionId = String(mission._id);
    return this.store.exclusive(missionId, async () => {
      const current = await this.store.get(missionId);
      if (!current || !this.store.isOpen(current)) {
        await this.seats.free(mission._id, userId);
        return 'closed';
      }
      return (await this.seats.keepInside(current, userId)) ? 'kept' : 'outside';
    });
  }

  /** "No" to an invitation; if they had a place it goes to the next on the waiting list. */
  decline(missionId: string, userId: number): Promise<ReleaseResult> {
    return this.serial(missionId, userId, async () => {
      const mission = await this.store.get(missionId);
      if (!mission) return 'not-found';
      // "No" after a "yes" that died half-way must free the place that "yes" may have taken.
      if ((await this.seats.settleOwnClaim(mission._id, userId)) === 'busy') return 'busy';
      const released = await this.release(mission, userId, 'declined');
      if (released !== 'not-held') return released;
      const filter = { missionId: mission._id, volunteerUserId: userId };
      try {
        await this.store.assignments.updateOne(filter, { $setOnInsert: { status: 'declined' } }, { upsert: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      await this.store.assignments.updateOne({ ...filter, status: 'new' }, { $set: { status: 'declined' } });
      return 'released';
    });
  }

  /** The volunteer cannot come after all (until the start). */
  cancelByVolunteer(missionId: string, userId: number): Promise<ReleaseResult> {
    return this.serial(missionId, userId, async () => {
      const mission = await this.store.get(missionId);
      return mission ? this.release(mission, userId, 'cancelled') : 'not-found';
    });
  }

  /**
   * "Still coming?" Yes is noted for the roster; No frees the place. `locked`: the caller holds
   * the mission's lock (see `fillFreePlaces`).
   */
  answerReminder(missionId: string, userId: number, hours: number, coming: boolean, version?: number, locked = false): Promise<'noted' | ReleaseResult> {
    return this.serial(missionId, userId, async () => {
      const mission = await this.store.get(missionId);
      if (!mission) return 'not-found';
      const field = hours === 2 ? 'reminder2' : 'reminder24';
      // A button without a version (sent before reminders carried one) answers for the mission as
      // it is; so does one naming a version the mission never had (forged): it must not outlive
      // the next move of the start, which clears the answers older than itself.
      const current = mission.version ?? 0;
      const at = version === undefined || version > current ? current : version;
      const updated = await this.store.assignments.updateOne(
        { missionId: mission._id, volunteerUserId: userId, status: 'accepted' },
        { $set: { [field]: coming ? 'yes' : 'no', [`${field}Version`]: at } },
      );
      if (updated.matchedCount === 0) return 'not-held';
      return coming ? 'noted' : this.release(mission, userId, 'cancelled', locked);
    });
  }

  /**
   * Takes the person off the team or the waiting list. The status is written before the place is
   * freed; a crash in between leaves a place held by someone who said no, which the repair frees.
   * `locked`: the caller holds the mission's lock (see `fillFreePlaces`).
   */
  async release(mission: MissionRecord, userId: number, to: 'declined' | 'cancelled', locked = false): Promise<ReleaseResult> {
    if (this.store.hasStarted(mission) && mission.status === 'open') return 'started';
    const previous = await this.store.assignments
      .findOneAndUpdate(
        { missionId: mission._id, volunteerUserId: userId, status: { $in: ['accepted', 'waiting'] } },
        { $set: { status: to, cancelledAt: this.store.now() }, $unset: { seq: 1 } },
        { returnDocument: 'before' },
      )
      .lean<MissionAssignmentRecord>();
    if (!previous) return this.finishRelease(mission, userId, to, locked);
    const freed = await this.seats.free(mission._id, userId);
    if (previous.status === 'accepted' || freed) {
      await this.reminders.cancel(String(mission._id), [userId], mission.version ?? 0);
      await this.fillFreePlaces(String(mission._id), locked);
    }
    return 'released';
  }

  /**
   * The same answer run again after it failed part-way (the mailbox retries it when the queue was
   * away while the reminders were cancelled or the next on the waiting list told): the status is
   * written already, so what follows it is done again (each step is safe to repeat), or the place
   * would stay empty while others wait for it.
   */
  private async finishRelease(mission: MissionRecord, userId: number, to: 'declined' | 'cancelled', locked: boolean): Promise<ReleaseResult> {
    const left = await this.store.assignments.exists({ missionId: mission._id, volunteerUserId: userId, status: to });
    if (!left) return 'not-held';
    await this.seats.free(mission._id, userId);
    await this.reminders.cancel(String(mission._id), [userId], mission.version ?? 0);
    await this.fillFreePlaces(String(mission._id), locked);
    return 'released';
  }

  /**
   * Gives every free place to the first on the waiting list, in order, and tells each through
   * the queue. Returns who moved up. Each place is checked against the number of places before
   * anyone is told (`promotionCounted`); `locked`: the caller holds the mission's lock (a "not
   * coming" answered to a reminder), which this must not wait for again.
   */
  async fillFreePlaces(missionId: string, locked = false): Promise<number[]> {
    const promoted: number[] = [];
    // Each round promotes someone or loses a race to a person leaving; the bound is a safety net.
    for (let round = 0; round < MAX_FILL_ROUNDS; round++) {
      const mission = await this.store.get(missionId);
      if (!mission || !this.store.isOpen(mission)) break;
      const next = await this.store.assignments
        .findOne({ missionId: mission._id, status: 'waiting' })
        .sort({ seq: 1, _id: 1 })
        .lean<MissionAssignmentRecord>();
      if (!next) break;
      const seat = await this.seats.take(mission, next.volunteerUserId);
      if (seat === null) break;
      // Given back (the team is full under a number lowered meanwhile, or the mission closed):
      // they still wait, first in line, and were told nothing.
      if ((await this.promotionCounted(mission, next.volunteerUserId, seat, locked)) !== 'kept') break;
      // Told before the status is written: a failure in between (the queue away) leaves a place
      // held by someone waiting, which the next run, or the repair, finishes and tells again under
      // the same ids (told once). Written first, a failure left them on the team, never told.
      await this.announcePromotion(mission, next.volunteerUserId);
      if (!(await this.seats.markAccepted(next._id, ['waiting']))) {
        // They left the list between the read and the update (give the place back), unless the
        // repair moved them up meanwhile (then it is theirs).
        const now = await this.store.assignments.findById(next._id, { status: 1 }).lean<{ status: string }>();
        // (The notice queued for them is dropped at send time: they hold no place.)
        if (now?.status !== 'accepted') await this.seats.free(mission._id, next.volunteerUserId);
        continue;
      }
      promoted.push(next.volunteerUserId);
    }
    return promoted;
  }

  /**
   * A place taken for someone moving up, checked as Accept's is (`seatCounted`): this round read
   * the number of places before taking it, and a change that lowered the number meanwhile
   * counted the places taken without it. Under the mission's lock no change can be saved, so
   * the number read is the one written; a place this person already held (a promotion or a tap
   * cut short) is checked against it all the same.
   */
  private async promotionCounted(mission: MissionRecord, userId: number, seat: number | 'held', locked: boolean): Promise<PlaceCheck> {
    if (!locked) return seat === 'held' ? this.keptUnderLock(mission, userId) : this.seatCounted(mission, userId);
    if (seat !== 'held') return 'kept';
    return (await this.seats.keepInside(mission, userId)) ? 'kept' : 'outside';
  }

  /** Tells someone who moved up from the waiting list, and schedules their reminders. */
  async announcePromotion(mission: MissionRecord, userId: number): Promise<void> {
    await this.reminders.schedule(mission, userId);
    const recipient = await this.store.volunteers.recipient(userId);
    if (recipient) await this.store.deps.delivery.enqueue([promotedJob(this.store.deps.i18n, mission, recipient)]);
  }
}
