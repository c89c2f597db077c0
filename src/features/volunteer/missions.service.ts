import type { Types } from 'mongoose';
import type { MissionRecord } from './mission.model.js';
import type { DeliveryJob } from '../../delivery/types.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import type { VolunteersService } from './volunteers.service.js';
import type { AuditService } from '../../services/audit.js';
import { mayJoin, type MatchCriteria } from './mission-match.js';
import { MissionStore } from './mission-store.js';
import { MissionSeats } from './mission-seats.js';
import { MissionReminders } from './mission-reminders.js';
import { MissionSlots } from './mission-slots.js';
import { MissionRepair } from './mission-repair.js';
import { MissionInvitations } from './mission-invitations.js';
import { MissionRoster } from './mission-roster.js';
import { MissionInviteHold } from './mission-invite-hold.js';
import { MissionHours } from './mission-hours.js';
import { MissionPending, type PendingReminder } from './mission-pending.js';
import { isMissionDeliveryWanted } from './mission-guard.js';
import { MissionEdits, type EditResult, type MissionChange } from './mission-edit.js';
import type { AcceptResult, HoursSummary, MissionInput, ReleaseResult, Roster, VolunteerMission } from './mission-types.js';

export type { PendingReminder } from './mission-pending.js';
export type { EditResult, MissionChange } from './mission-edit.js';
export type { AcceptResult, HoursSummary, MissionInput, ReleaseResult, Roster, RosterEntry, VolunteerMission } from './mission-types.js';

/**
 * Missions, as the rest of the bot sees them. The work is done in:
 * mission-invitations (publishing, inviting), mission-seats and mission-slots (places, the
 * waiting list, answers), mission-reminders, mission-roster (staff views, cancelling, a
 * volunteer's missions), mission-hours (attendance, hours, erasure), mission-repair (answers a
 * crash left half-done) and mission-guard (the send-time check).
 */
export class MissionsService {
  private readonly store: MissionStore;
  private readonly slots: MissionSlots;
  private readonly repair: MissionRepair;
  private readonly invitations: MissionInvitations;
  private readonly rosters: MissionRoster;
  private readonly attendance: MissionHours;
  private readonly pending: MissionPending;
  private readonly hold: MissionInviteHold;
  private readonly edits: MissionEdits;
  private readonly reminders: MissionReminders;

  constructor(deps: ServiceDeps, volunteers: VolunteersService, audit: AuditService) {
    this.store = new MissionStore(deps, volunteers);
    const seats = new MissionSeats(this.store);
    const reminders = new MissionReminders(this.store);
    this.reminders = reminders;
    this.slots = new MissionSlots(this.store, seats, reminders);
    this.repair = new MissionRepair(this.store, seats, this.slots, reminders);
    this.invitations = new MissionInvitations(this.store, audit);
    this.rosters = new MissionRoster(this.store, this.repair, reminders, audit);
    this.attendance = new MissionHours(this.store, this.slots, this.repair, audit);
    this.pending = new MissionPending(this.store, this.repair);
    this.hold = new MissionInviteHold(this.store, audit);
    this.edits = new MissionEdits(this.store, seats, this.slots, reminders, audit);
  }

  /** Makes sure the unique indexes exist before places are taken (tests, first start). */
  async init(): Promise<void> {
    await this.store.missions.init();
    await this.store.assignments.init();
    await this.store.seats.init();
    await this.store.withheld.model.init();
    await this.edits.model.init();
  }

  get(missionId: string): Promise<MissionRecord | null> {
    return this.store.get(missionId);
  }

  hasStarted(mission: Pick<MissionRecord, 'startsAt'>): boolean {
    return this.store.hasStarted(mission);
  }

  hasEnded(mission: Pick<MissionRecord, 'startsAt' | 'durationHours'>): boolean {
    return this.store.hasEnded(mission);
  }

  acceptedCount(missionId: Types.ObjectId | string): Promise<number> {
    return this.store.acceptedCount(missionId);
  }

  countMatching(criteria: MatchCriteria): Promise<number> {
    return this.invitations.countMatching(criteria);
  }

  /** `publishKey`: the publishing screen's token, so a tap run again publishes once (mission-invitations). */
  publish(input: MissionInput, actorId: number, publishKey?: string): Promise<{ mission: MissionRecord; invited: number }> {
    return this.invitations.publish(input, actorId, publishKey);
  }

  /** Invitations of missions whose publishing was cut short: queued, each once (repair tick). */
  finishInterruptedPublishing(): Promise<number> {
    return this.invitations.finishInterruptedPublishing();
  }

  inviteToOpenMissions(userId: number): Promise<number> {
    return this.invitations.inviteToOpenMissions(userId);
  }

  accept(missionId: string, userId: number): Promise<AcceptResult> {
    return this.slots.accept(missionId, userId);
  }

  /**
   * Whether an invitation showing `version` shows details changed since (mission-edit.ts), for
   * someone the mission would take: a button forged by anyone else (a plain Accept names version
   * 0) must not show them the mission as it is now; their Accept is refused as usual.
   */
  async invitationOutdated(missionId: string, version: number, userId: number): Promise<boolean> {
    return (await this.edits.detailsChangedSince(missionId, version)) && (await this.isFor(missionId, userId));
  }

  /**
   * Whether the mission's details are for this person's eyes: invited to it, or a volunteer it
   * would take. An answer to a button forged by anyone else is not shown with the mission.
   */
  async isFor(missionId: string, userId: number): Promise<boolean> {
    const mission = await this.store.get(missionId);
    if (!mission) return false;
    if (mission.invitedUserIds.includes(userId)) return true;
    const profile = await this.store.volunteers.get(userId);
    return profile !== null && mayJoin(profile, mission);
  }

  decline(missionId: string, userId: number): Promise<ReleaseResult> {
    return this.slots.decline(missionId, userId);
  }

  cancelByVolunteer(missionId: string, userId: number): Promise<ReleaseResult> {
    return this.slots.cancelByVolunteer(missionId, userId);
  }

  /**
   * "Still coming?" answered. A button's answer names the version it was sent at: 'start-moved'
   * when a change since moved the start (it asked about another time). Checked and written as the
   * mission's only writer, so a change of the start cannot be saved between the check and the
   * answer, which would then stand for the new start (its answers cleared just before).
   */
  answerReminder(missionId: string, userId: number, hours: number, coming: boolean, version?: number): Promise<'noted' | 'start-moved' | ReleaseResult> {
    if (version === undefined) return this.slots.answerReminder(missionId, userId, hours, coming);
    return this.store.exclusive(missionId, async () =>
      (await this.edits.startMovedSince(missionId, version)) ? 'start-moved' : this.slots.answerReminder(missionId, userId, hours, coming, version, true),
    );
  }

  /** Settles what a crash left half-done on one mission (also done by every staff view). */
  async repairMission(missionId: string): Promise<void> {
    const mission = await this.store.get(missionId);
    if (mission) await this.repair.mission(mission);
  }

  listForStaff(limit?: number, regions: string[] | null = null): Promise<MissionRecord[]> {
    return this.rosters.listForStaff(limit, regions);
  }

  roster(missionId: string, actorId?: number): Promise<Roster | null> {
    return this.rosters.roster(missionId, actorId);
  }

  cancelMission(missionId: string, actorId: number): Promise<{ told: number } | 'started' | null> {
    return this.rosters.cancelMission(missionId, actorId);
  }

  /** The repair tick: cancellations whose volunteers were not all told (the queue was away, the process died). */
  finishInterruptedCancellations(): Promise<number> {
    return this.rosters.finishInterruptedCancellations();
  }

  /** The mission before a coordinator changes it, with any change a crash cut short finished first. */
  missionForEdit(missionId: string): Promise<MissionRecord | null> {
    return this.edits.current(missionId);
  }

  /** Changes of details a stopped process left unfinished: finished, everyone told once (repair tick). */
  finishInterruptedEdits(): Promise<number> {
    return this.edits.finishInterrupted();
  }

  /** Changes a published mission's details against the version the coordinator saw (mission-edit). */
  editMission(missionId: string, version: number, token: string, change: MissionChange, actorId: number): Promise<EditResult> {
    return this.edits.edit(missionId, version, token, change, actorId);
  }

  /** Cancellation notices withheld at send time: the mission waits for another coordinator. */
  markCancellationWithheld(missionId: string, by: number, userId: number, answeredMark?: string): Promise<void> {
    return this.rosters.markCancellationWithheld(missionId, by, userId, answeredMark);
  }

  /** Another coordinator tells the volunteers of a cancellation whose notices were withheld. */
  confirmCancellation(missionId: string, actorId: number): Promise<{ told: number } | null> {
    return this.rosters.confirmCancellation(missionId, actorId);
  }

  /** The repair tick: tellings of withheld cancellation notices whose line a failure or a stopped process left unwritten. */
  finishInterruptedTellings(): Promise<number> {
    return this.rosters.finishInterruptedTellings();
  }

  /** An invitation withheld at send time: the mission waits for another coordinator (mission-invite-hold). */
  invitationWithheld(missionId: string, userId: number, by: number, jobMark: string | undefined): Promise<void> {
    return this.hold.invitationWithheld(missionId, userId, by, jobMark);
  }

  /** Another coordinator confirms a mission whose invitations were withheld: they go out in their name. */
  confirmInvitations(missionId: string, actorId: number): Promise<{ invited: number } | null> {
    return this.hold.confirm(missionId, actorId);
  }

  /** The repair tick: confirmations of held missions whose line a failure or a stopped process left unwritten. */
  finishInterruptedConfirmations(): Promise<number> {
    return this.hold.finishInterrupted();
  }

  /** The volunteers whose invitations a held mission keeps back until it is confirmed. */
  heldInvitations(missionId: string): Promise<number[]> {
    return this.hold.heldBack(missionId);
  }

  /**
   * A volunteer whose profile now says 14-17 gives up their places (and waiting-list entries) on
   * upcoming missions for adults only, each passed on as a cancellation would be. Returns them.
   */
  async leaveAdultsOnly(userId: number): Promise<MissionRecord[]> {
    const left: MissionRecord[] = [];
    for (const { mission } of await this.rosters.upcomingFor(userId)) {
      if (mission.minorsAllowed === true) continue;
      if ((await this.slots.cancelByVolunteer(String(mission._id), userId)) === 'released') left.push(mission);
    }
    return left;
  }

  /** Invitations the volunteer said no to, or left after saying yes (shown in My data). */
  declinedCount(userId: number): Promise<number> {
    return this.store.assignments.countDocuments({ volunteerUserId: userId, status: { $in: ['declined', 'cancelled'] } });
  }

  /** Missions the volunteer had a place on and the organisers marked as not attended (shown in My data). */
  missedCount(userId: number): Promise<number> {
    return this.store.assignments.countDocuments({ volunteerUserId: userId, status: 'accepted', attended: false });
  }

  upcomingFor(userId: number): Promise<VolunteerMission[]> {
    return this.rosters.upcomingFor(userId);
  }

  /** Invitations not answered yet (the volunteer page answers them for people who cannot tap). */
  pendingInvitations(userId: number): Promise<MissionRecord[]> {
    return this.pending.invitationsFor(userId);
  }

  /** "Still coming?" reminders sent and not answered yet. */
  pendingReminders(userId: number): Promise<PendingReminder[]> {
    return this.pending.remindersFor(userId);
  }

  /** `saveKey`: the screen's token, the same when the mailbox runs the save again. */
  saveAttendance(missionId: string, cameUserIds: number[], actorId: number, saveKey?: string): Promise<{ credited: number; attended: number } | 'not-ended' | 'not-found'> {
    return this.attendance.saveAttendance(missionId, cameUserIds, actorId, saveKey);
  }

  hours(userId: number): Promise<HoursSummary> {
    return this.attendance.hours(userId);
  }

  eraseVolunteer(userId: number): Promise<{ keptMissions: number; keptHours: number }> {
    return this.attendance.eraseVolunteer(userId);
  }

  isDeliveryWanted(job: DeliveryJob): Promise<boolean> {
    return isMissionDeliveryWanted(this.store, this.repair, this.hold, this.reminders, job);
  }
}
