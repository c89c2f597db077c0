import { defineCallbacks, field } from '../../engine/callback-codec.js';
import { REMINDER_HOURS } from './volunteer-options.js';

/** Buttons on mission invitations (accept, decline) and reminders (still coming or not, 24 h and 2 h before). */
export const missionCallbacks = defineCallbacks('ms', {
  accept: { tag: 'acc', fields: { missionId: field.objectId() } },
  /**
   * Accept on an invitation sent after the details were changed: it names the version it showed,
   * so one sent before a later change is answered with the mission as it is now, not taken.
   */
  acceptAt: { tag: 'accv', fields: { missionId: field.objectId(), version: field.int(1, 99_999) } },
  decline: { tag: 'dec', fields: { missionId: field.objectId() } },
  stillComing: { tag: 'ry', fields: { hours: field.oneOf(REMINDER_HOURS), missionId: field.objectId() } },
  notComing: { tag: 'rn', fields: { hours: field.oneOf(REMINDER_HOURS), missionId: field.objectId() } },
  /**
   * The same answers on a reminder sent after the details were changed: they carry the mission's
   * version then, so a button of an earlier start is not taken as an answer for the new one.
   * Reminders from before any change keep the tags above (version 0), as those already sent do.
   */
  stillComingAt: { tag: 'ryv', fields: { hours: field.oneOf(REMINDER_HOURS), missionId: field.objectId(), version: field.int(1, 99_999) } },
  notComingAt: { tag: 'rnv', fields: { hours: field.oneOf(REMINDER_HOURS), missionId: field.objectId(), version: field.int(1, 99_999) } },
});

/**
 * Staff buttons under a mission's team: "Change details" opens mission-edit for that mission.
 * The data names the mission, so its region is checked against the tapper's access on opening.
 */
export const missionStaffCallbacks = defineCallbacks('mst', {
  edit: { tag: 'ed', fields: { missionId: field.objectId() } },
});
