import type { MissionRecord } from './mission.model.js';
import { HOUR, type MissionStore } from './mission-store.js';
import { reminderJob } from './mission-jobs.js';
import { MISSION_JOB, REMINDER_HOURS } from './mission-texts.js';

/** "Still coming?" 24 and 2 hours before the start, for everyone who holds a place. */
export class MissionReminders {
  constructor(private readonly store: MissionStore) {}

  /** Only reminders still ahead; their ids are fixed, so scheduling again changes nothing. */
  async schedule(mission: MissionRecord, userId: number): Promise<void> {
    if (mission.status !== 'open') return;
    const recipient = await this.store.volunteers.recipient(userId);
    if (!recipient) return;
    const start = new Date(mission.startsAt).getTime();
    const now = this.store.now().getTime();
    const jobs = REMINDER_HOURS.filter((h) => start - h * HOUR > now).map((h) => reminderJob(this.store.deps.i18n, mission, recipient, h));
    if (jobs.length) await this.store.deps.delivery.enqueue(jobs);
  }

  /** The reminders of `version` (the mission's current one; older ones are dropped at send time). */
  async cancel(missionId: string, userIds: number[], version = 0): Promise<void> {
    const ids = userIds.flatMap((u) => REMINDER_HOURS.map((h) => MISSION_JOB.reminder(missionId, u, h, version)));
    if (ids.length) await this.store.deps.delivery.cancel(ids);
  }
}
