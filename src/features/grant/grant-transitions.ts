import type { GrantStatus } from './grant-status.js';

/** Which decisions staff may take from each status; approved and rejected are final. */
export const TRANSITIONS: Readonly<Record<GrantStatus, readonly GrantStatus[]>> = {
  submitted: ['in-review', 'more-info', 'approved', 'rejected'],
  'in-review': ['more-info', 'approved', 'rejected'],
  'more-info': ['in-review', 'approved', 'rejected'],
  approved: [],
  rejected: [],
};
/** The applicant must learn why: these decisions need a comment. */
export const NEEDS_REASON: readonly GrantStatus[] = ['more-info', 'rejected'];
