import type { Locale } from '../../telegram/types.js';

// Where a broadcast stands and whom it is for; the model, the compose form and the fan-out share these.
export const BROADCAST_STATUSES = ['scheduled', 'sending', 'done', 'cancelled'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];
/** Still to send (or sending): these can be cancelled, resumed and counted. */
export const ACTIVE_STATUSES: BroadcastStatus[] = ['scheduled', 'sending'];
export const AUDIENCE_GROUPS = ['all', 'volunteers', 'applicants'] as const;
export type AudienceGroup = (typeof AUDIENCE_GROUPS)[number];

/** Whom a broadcast is for, as filters on user records. */
export interface AudienceSpec {
  group: AudienceGroup;
  region?: string;
  language?: Locale;
  /**
   * Only for broadcasts stored before the group flags on user records existed: the members of
   * the group then. New audiences select on the flags.
   */
  userIds?: number[];
}
