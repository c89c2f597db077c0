// Where an application stands; the model, the review form and the notices share these.
export const GRANT_STATUSES = ['submitted', 'in-review', 'more-info', 'approved', 'rejected'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];
/** While in one of these, the same IIN may not apply to the same programme again. */
export const ACTIVE_STATUSES: readonly GrantStatus[] = ['submitted', 'in-review', 'more-info'];
export const isActiveStatus = (status: string): boolean => (ACTIVE_STATUSES as readonly string[]).includes(status);
