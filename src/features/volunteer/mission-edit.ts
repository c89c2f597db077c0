import type { MissionRecord } from './mission.model.js';
import type { MissionAssignmentRecord } from './mission-assignment.model.js';
import type { AuditService } from '../../services/audit.js';
import type { DeliveryJob } from '../../delivery/types.js';
import { isDuplicateKey } from '../../db/models/counter.js';
import { HOUR, type MissionStore } from './mission-store.js';
import type { MissionSeats } from './mission-seats.js';
import type { MissionSlots } from './mission-slots.js';
import type { MissionReminders } from './mission-reminders.js';
import { EDITABLE_FIELDS, missionEditModel, type EditableField, type MissionEditModel, type MissionEditRecord } from './mission-edit.model.js';
import { missionChangeLines, type MissionFields } from './mission-edit-texts.js';
import { MISSION_JOB } from './mission-texts.js';

/** New values; a new place without a map pin takes the old pin away (it would point elsewhere). */
export interface MissionChange extends MissionFields {
  latitude?: number;
  longitude?: number;
}

export type EditResult =
  | { status: 'saved'; version: number; changed: EditableField[]; told: number }
  /** Cancelled, started or gone: nothing to change any more. */
  | { status: 'closed' }
  /** Someone changed it after this screen was opened: look at it again first. */
  | { status: 'stale' }
  | { status: 'unchanged' }
  /** Fewer places than volunteers holding one: refused (see docs/missions.md). */
  | { status: 'too-few-places'; taken: number };

/**
 * A change cut short is finished within a day (the repair tick does it within a minute): well
 * inside the week the queue keeps a sent notice's id, so a notice queued again is recognised
 * and not sent twice. Older unfinished records (none, or written before `doneAt` existed) are left.
 */
const FINISH_WITHIN_MS = 24 * HOUR;

const same = (field: EditableField, a: unknown, b: unknown): boolean =>
  field === 'startsAt' ? new Date(a as Date).getTime() === new Date(b as Date).getTime() : a === b;

/**
 * Changing the details of a published mission. The order makes every step safe to run again:
 * the MissionEdit record (unique per mission and version) is written first and decides who
 * saved that version; then the mission; then the places, the reminders (with the new version in
 * their ids) and one notice per volunteer and version. A crash anywhere is finished by the same
 * save run again, or by the next coordinator who opens the mission to change it.
 */
export class MissionEdits {
  readonly model: MissionEditModel;

  constructor(
    private readonly store: MissionStore,
    private readonly seats: MissionSeats,
    private readonly slots: MissionSlots,
    private readonly reminders: MissionReminders,
    private readonly audit: AuditService,
  ) {
    this.model = missionEditModel(store.deps.connection);
  }

  /** The mission as a coordinator should see it before changing it: a change a crash cut short is finished first. */
  async current(missionId: string): Promise<MissionRecord | null> {
    const mission = await this.store.get(missionId);
    if (!mission) return null;
    if (!this.store.isOpen(mission)) return mission;
    const version = mission.version ?? 0;
    // Written onto the mission, but what follows was cut short: finish it (tell everyone once).
    const last = version > 0 ? await this.model.findOne({ missionId: mission._id, version }).lean<MissionEditRecord>() : null;
    if (last && !last.doneAt && this.recent(last)) await this.finish(mission, last);
    // Claimed, but the mission not yet written.
    const pending = await this.model.findOne({ missionId: mission._id, version: version + 1 }).lean<MissionEditRecord>();
    if (!pending) return mission;
    const applied = await this.store.exclusive(missionId, () => this.apply(mission, pending));
    if (applied) await this.finish(applied, pending);
    return applied ?? (await this.store.get(missionId));
  }

  /**
   * Changes a process stopped before finishing (the repair tick): each is finished as a look at
   * its mission would; one that was never written onto the mission (cancelled first), or that a
   * later change replaced, is only marked done. Changes younger than a minute are left to the
   * save still running them. Returns how many were finished.
   */
  async finishInterrupted(graceMs = 60_000): Promise<number> {
    const now = this.store.now().getTime();
    const at = { $lt: new Date(now - graceMs), $gt: new Date(now - FINISH_WITHIN_MS) };
    const unfinished = await this.model.find({ doneAt: { $exists: false }, at }).limit(100).lean<MissionEditRecord[]>();
    for (const record of unfinished) {
      const mission = await this.current(String(record.missionId));
      const still = await this.model.exists({ _id: record._id, doneAt: { $exists: false } });
      if (!still) continue;
      if (mission && (mission.version ?? 0) === record.version) await this.audited(record);
      await this.model.updateOne({ _id: record._id }, { $set: { doneAt: this.store.now() } });
    }
    return unfinished.length;
  }

  /**
   * Whether a change written onto the mission after `version` changed what a volunteer decides
   * on (anything but the number of places): an invitation showing that version is out of date.
   * Not for a mission cancelled or started since: the answer to Accept says so, instead of the
   * mission being shown again with a new Accept.
   */
  async detailsChangedSince(missionId: string, version: number): Promise<boolean> {
    const mission = await this.store.get(missionId);
    if (!mission || !this.store.isOpen(mission) || (mission.version ?? 0) <= version) return false;
    const fields = EDITABLE_FIELDS.filter((f) => f !== 'slots').map((f) => ({ [`before.${f}`]: { $exists: true } }));
    const changed = await this.model.exists({ missionId: mission._id, version: { $gt: version, $lte: mission.version ?? 0 }, $or: fields });
    return changed !== null;
  }

  /** Whether a change written onto the mission after `version` moved its start. */
  async startMovedSince(missionId: string, version: number): Promise<boolean> {
    const mission = await this.store.get(missionId);
    if (!mission || (mission.version ?? 0) <= version) return false;
    const moved = await this.model.exists({ missionId: mission._id, version: { $gt: version, $lte: mission.version ?? 0 }, 'before.startsAt': { $exists: true } });
    return moved !== null;
  }

  /**
   * Saves `change` against `version`, the one the coordinator's screen showed; `token` names
   * that screen. Refused when the mission is no longer open, or changed since (stale).
   */
  async edit(missionId: string, version: number, token: string, change: MissionChange, actorId: number): Promise<EditResult> {
    const found = await this.current(missionId);
    if (!found) return { status: 'closed' };
    const next = version + 1;
    const own = await this.model.findOne({ missionId: found._id, version: next, token }).lean<MissionEditRecord>();
    // This very save, run again (a retry after a crash): finish what it started, tell nobody twice.
    if (own && (found.version ?? 0) >= next) {
      const done = await this.model.findById(own._id).lean<MissionEditRecord>();
      const told = done?.doneAt ? (done.told ?? 0) : await this.finish(found, own);
      return { status: 'saved', version: next, changed: Object.keys(own.before as object) as EditableField[], told };
    }
    const claimed = await this.store.exclusive(missionId, () => this.claim(missionId, version, token, change, actorId));
    if (!('record' in claimed)) return claimed;
    const { record, mission, changed } = claimed;
    const told = await this.finish(mission, record);
    return { status: 'saved', version: next, changed, told };
  }

  private recent(record: MissionEditRecord): boolean {
    return new Date(record.at).getTime() > this.store.now().getTime() - FINISH_WITHIN_MS;
  }

  /** Everything after the write, then the mark that it is done (each part safe to run again). */
  private async finish(mission: MissionRecord, record: MissionEditRecord): Promise<number> {
    await this.audited(record);
    const told = await this.followUp(mission, record);
    await this.model.updateOne({ _id: record._id }, { $set: { doneAt: this.store.now(), told } });
    return told;
  }

  /**
   * The `mission.edit` line of a saved change, written once however often the save or its repair
   * runs (a stop right after the change was written would otherwise lose it). Never the values:
   * a description may name people.
   */
  private async audited(record: MissionEditRecord): Promise<void> {
    const missionId = String(record.missionId);
    const fields = Object.keys(record.before as object);
    await this.audit.recordOnce(`mission.edit:${missionId}:v${record.version}`, record.by, 'mission.edit', `mission:${missionId}`, { fields, version: record.version });
  }

  /**
   * Checks the mission as it is now and writes the change: the record first (the unique index
   * decides between two savers even if the lock lapsed), then the mission. Run under the lock,
   * so a cancellation cannot be written between the read and the write.
   */
  private async claim(
    missionId: string,
    version: number,
    token: string,
    change: MissionChange,
    actorId: number,
  ): Promise<Exclude<EditResult, { status: 'saved' }> | { record: MissionEditRecord; mission: MissionRecord; changed: EditableField[] }> {
    const mission = await this.store.get(missionId);
    if (!mission || !this.store.isOpen(mission)) return { status: 'closed' };
    if ((mission.version ?? 0) !== version) return { status: 'stale' };
    // The same place with another map pin is a change too: the pin shared first may have been wrong.
    const pinMoved = change.place !== undefined && change.latitude !== undefined && (change.latitude !== mission.latitude || change.longitude !== mission.longitude);
    const changed = EDITABLE_FIELDS.filter((f) => (change[f] !== undefined && !same(f, change[f], mission[f])) || (f === 'place' && pinMoved));
    if (changed.length === 0) return { status: 'unchanged' };
    const taken = await this.store.acceptedCount(mission._id);
    if (change.slots !== undefined && change.slots < taken) return { status: 'too-few-places', taken };

    const changes: Record<string, unknown> = {};
    const before: Record<string, unknown> = {};
    for (const f of changed) {
      changes[f] = change[f];
      before[f] = mission[f];
    }
    if (changed.includes('place') && change.latitude !== undefined && change.longitude !== undefined) {
      Object.assign(changes, { latitude: change.latitude, longitude: change.longitude });
    }
    let record: MissionEditRecord;
    try {
      const doc = { missionId: mission._id, version: version + 1, token, by: actorId, changes, before, at: this.store.now() };
      record = (await this.model.create(doc)).toObject<MissionEditRecord>();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Another coordinator's save took this version first.
      return { status: 'stale' };
    }
    const applied = await this.apply(mission, record);
    return applied ? { record, mission: applied, changed } : { status: 'closed' };
  }

  /** Writes the record's values and version onto the mission; null when it was cancelled meanwhile. */
  private async apply(mission: MissionRecord, record: MissionEditRecord): Promise<MissionRecord | null> {
    const changes = record.changes as Record<string, unknown>;
    const unset = 'place' in changes && !('latitude' in changes) ? { $unset: { latitude: 1, longitude: 1 } } : {};
    // Missions published before versions were added have no `version` field: they are version 0.
    const from = record.version - 1;
    await this.store.missions.updateOne(
      { _id: mission._id, status: 'open', version: from === 0 ? { $in: [0, null] } : from },
      { $set: { ...changes, version: record.version }, ...unset },
    );
    const after = await this.store.get(String(mission._id));
    return after && after.status === 'open' && (after.version ?? 0) >= record.version ? after : null;
  }

  /**
   * What follows a saved change, each part safe to repeat: places moved into the new number,
   * the waiting list moved up into places added, reminders of the new version for everyone
   * holding a place (those of the old one are cancelled, and dropped at send time if one slips
   * through), and the notice to everyone holding a place or waiting. Returns how many are told.
   */
  private async followUp(mission: MissionRecord, record: MissionEditRecord): Promise<number> {
    const before = record.before as MissionFields;
    const fields = Object.keys(before) as EditableField[];
    const missionId = String(mission._id);
    if (fields.includes('slots')) {
      await this.seats.fitInto(mission);
      await this.slots.fillFreePlaces(missionId);
    }
    const assigned = await this.store.assignments
      .find({ missionId: mission._id, status: { $in: ['accepted', 'waiting'] } })
      .lean<MissionAssignmentRecord[]>();
    // A place is held from the moment its seat is taken: a tap that read the mission before the
    // change has its seat and the old reminders, its status not yet (or a stopped process left it
    // for the repair). The old reminders could come after the new start's, so seats count too.
    const seated = (await this.store.seats.find({ missionId: mission._id }, { volunteerUserId: 1 }).lean<Array<{ volunteerUserId: number }>>()).map((s) => s.volunteerUserId);
    const accepted = [...new Set([...assigned.filter((a) => a.status === 'accepted').map((a) => a.volunteerUserId), ...seated])];
    const held = [...new Set([...assigned.map((a) => a.volunteerUserId), ...seated])];
    if (fields.includes('startsAt')) {
      // "Still coming" was said for the old time: the roster shows no answer until the new reminders
      // are answered. Only answers older than this change: this may be its second run, after a
      // crash (the repair pass), when the new start's reminders may be answered already. Those
      // answers are written under the mission's lock, and so is this: FerretDB writes the whole
      // record as read, and an answer written between this read and this write was undone.
      await this.store.exclusive(missionId, async () => {
        for (const field of ['reminder24', 'reminder2'] as const) {
          const older = [{ [`${field}Version`]: { $exists: false } }, { [`${field}Version`]: { $lt: record.version } }];
          await this.store.assignments.updateMany({ missionId: mission._id, status: 'accepted', $or: older }, { $unset: { [field]: 1, [`${field}Version`]: 1 } });
        }
      });
    }
    await this.reminders.cancel(missionId, accepted, record.version - 1);
    for (const userId of accepted) await this.reminders.schedule(mission, userId);
    const jobs: DeliveryJob[] = [];
    for (const userId of held) {
      const recipient = await this.store.volunteers.recipient(userId);
      if (!recipient) continue;
      const t = this.store.deps.i18n.t(recipient.locale);
      jobs.push({
        id: MISSION_JOB.edited(missionId, userId, record.version),
        chatId: recipient.chatId,
        kind: 'mission-notice',
        // Not sent in the coordinator's name (no actedBy): their access was checked when they
        // saved, and a volunteer must learn of a new time even if that coordinator leaves.
        text: t('volunteer:mission-edit.notice', {
          title: mission.title,
          changes: missionChangeLines(t, recipient.locale, fields, before, mission),
        }),
        ref: MISSION_JOB.ref(missionId, userId),
      });
    }
    if (jobs.length) await this.store.deps.delivery.enqueue(jobs);
    return jobs.length;
  }
}
