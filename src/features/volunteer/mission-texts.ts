import type { Translate } from '../../i18n/index.js';
import type { Locale } from '../../telegram/types.js';
import { formatKzDateTime } from '../../domain/kz-time.js';
import { isRegionKey, regionName } from '../../domain/regions.js';
import type { InlineButton } from '../../telegram/types.js';
import { missionCallbacks } from './callbacks.js';
import { REMINDER_HOURS, type ReminderHours } from './volunteer-options.js';

/** What a notification needs to describe a mission; the service and the staff scene share it. */
export interface MissionDetails {
  title: string;
  description: string;
  area: string;
  region: string;
  place: string;
  startsAt: Date;
  durationHours: number;
  slots: number;
  skills: string[];
}

export function regionLabel(region: string, locale: Locale): string {
  return isRegionKey(region) ? regionName(region, locale) : region;
}

export function skillsLabel(t: Translate, skills: string[]): string {
  return skills.length ? skills.map((s) => t(`volunteer:skills.${s}`)).join(', ') : t('volunteer:mission.no-skills');
}

/** The mission, in the reader's language (the recipient's, not the staff member's). */
export function missionDetailsText(t: Translate, locale: Locale, m: MissionDetails): string {
  return t('volunteer:mission.details', {
    title: m.title,
    description: m.description,
    area: t(`volunteer:areas.${m.area}`),
    region: regionLabel(m.region, locale),
    place: m.place,
    start: formatKzDateTime(new Date(m.startsAt), locale),
    count: m.durationHours,
    slots: m.slots,
    skills: skillsLabel(t, m.skills),
  });
}

/**
 * A mission on a volunteer's list button: its start only ("31.12.2026 18:59"). A title of up to
 * 100 characters cannot fit a phone's button without being cut, so it is read in full in the
 * message above the buttons (`missionListText`); the title typed still picks the mission.
 */
export function missionOptionLabel(m: Pick<MissionDetails, 'startsAt'>, locale: Locale): string {
  return formatKzDateTime(new Date(m.startsAt), locale);
}

/** "1. 25.12.2026 14:30 — "River clean-up", Central park": the numbered lines of a volunteer's list. */
export function missionListText(t: Translate, locale: Locale, missions: ReadonlyArray<Pick<MissionDetails, 'title' | 'place' | 'startsAt'>>): string {
  return missions
    .map((m, index) => `${index + 1}. ${t('volunteer:respond.item', { start: missionOptionLabel(m, locale), title: m.title, place: m.place })}`)
    .join('\n');
}

/** `version`: the mission's when the invitation shows it (its Accept is checked against later changes). */
export function inviteButtons(t: Translate, missionId: string, version = 0): InlineButton[][] {
  const accept = version > 0 ? missionCallbacks.encode.acceptAt({ missionId, version }) : missionCallbacks.encode.accept({ missionId });
  return [
    [{ text: t('volunteer:invite.accept'), data: accept }],
    [{ text: t('volunteer:invite.decline'), data: missionCallbacks.encode.decline({ missionId }) }],
  ];
}

/** `version`: the mission's, which the answer is checked against (a moved start outdates the buttons). */
export function reminderButtons(t: Translate, missionId: string, hours: ReminderHours, version = 0): InlineButton[][] {
  const encode = missionCallbacks.encode;
  const [yes, no] =
    version > 0 ? [encode.stillComingAt({ hours, missionId, version }), encode.notComingAt({ hours, missionId, version })] : [encode.stillComing({ hours, missionId }), encode.notComing({ hours, missionId })];
  return [[{ text: t('volunteer:reminder.yes'), data: yes }], [{ text: t('volunteer:reminder.no'), data: no }]];
}

/** Delivery job ids: deterministic and free of ':' (BullMQ). */
export const MISSION_JOB = {
  /** After a confirmation the id carries its mark: two coordinators confirming at once queue one invitation each. */
  invite: (missionId: string, userId: number, confirmsMark?: string) => `mi-${missionId}-${userId}${confirmsMark === undefined ? '' : `-c${confirmsMark}`}`,
  /**
   * Carries the mission's version once its details were changed (none before, as ids always
   * were): a reminder of an earlier start or place is a job of another id, which the send-time
   * check drops, and rescheduling after a change cannot be swallowed by the old job's id.
   */
  reminder: (missionId: string, userId: number, hours: number, version = 0) => `mr${hours}-${missionId}-${userId}${version > 0 ? `-v${version}` : ''}`,
  /** "The mission's details changed": one per volunteer and version, however often the save is run. */
  edited: (missionId: string, userId: number, version: number) => `me-${missionId}-${userId}-v${version}`,
  promoted: (missionId: string, userId: number) => `mp-${missionId}-${userId}`,
  /**
   * "The mission is cancelled"; told again after a withheld first telling, the id carries the
   * withheld mark it answers, so two coordinators telling at once queue one message each.
   */
  cancelled: (missionId: string, userId: number, confirmsMark?: string) => `mc-${missionId}-${userId}${confirmsMark === undefined ? '' : `-c${confirmsMark}`}`,
  ref: (missionId: string, userId: number) => `mission/${missionId}/${userId}`,
} as const;

export { REMINDER_HOURS };

/** The withheld mark a cancellation notice's id answers ("mc-<mission>-<user>-c<mark>"), if any. */
export const cancelledConfirmsMark = (jobId: string): string | undefined => /^mc-[0-9a-f]{24}-\d+-c([0-9a-z]+)$/.exec(jobId)?.[1];

/** The confirmation mark an invitation's id carries ("mi-<mission>-<user>-c<mark>"), if any. */
export const inviteConfirmsMark = (jobId: string): string | undefined => /^mi-[0-9a-f]{24}-\d+-c([0-9a-z]+)$/.exec(jobId)?.[1];

/** How many hours before the start a reminder's id says it asks ("mr24-…": 24), if it is one. */
export function reminderHours(jobId: string): number | undefined {
  const match = /^mr(\d+)-/.exec(jobId);
  return match ? Number(match[1]) : undefined;
}

/** The mission version a reminder's id carries (0 for ids without one). */
export function reminderVersion(jobId: string): number {
  const match = /^mr\d+-[0-9a-f]{24}-\d+(?:-v(\d+))?$/.exec(jobId);
  return match?.[1] ? Number(match[1]) : 0;
}

export function parseMissionRef(ref: string | undefined): { missionId: string; userId: number } | null {
  const match = /^mission\/([0-9a-f]{24})\/(\d+)$/.exec(ref ?? '');
  return match ? { missionId: match[1]!, userId: Number(match[2]) } : null;
}
