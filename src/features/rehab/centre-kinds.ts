// What a centre is and offers: the values the directory, its import and the search share.
/** Kinds of organisation, in the Social Code's words (docs/domain.md). */
export const CENTRE_KINDS = [
  'rehabilitation',
  'special-social-services',
  'territorial-social-services',
  'psychoneurological',
  'professional-rehabilitation',
  'sport',
] as const;
export type CentreKind = (typeof CENTRE_KINDS)[number];

/** Settings of special social services. */
export const CENTRE_SETTINGS = ['residential', 'day-care', 'home-based', 'temporary'] as const;
export type CentreSetting = (typeof CENTRE_SETTINGS)[number];

export const AGE_GROUPS = ['children', 'adults'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** Centres for children take people under 18, as the buttons say (a child with a disability is under 18: docs/domain.md). */
export const CHILD_AGE_LIMIT = 18;

/** The group a person of this age belongs to (a baby of 8 months is 0.67 years). */
export const ageGroupOf = (years: number): AgeGroup => (years < CHILD_AGE_LIMIT ? 'children' : 'adults');

export const CENTRE_SERVICES = [
  'medical-rehabilitation',
  'physiotherapy',
  'exercise-therapy',
  'massage',
  'speech-therapy',
  'psychology',
  'special-education',
  'occupational-therapy',
  'prosthetics',
  'hearing-aids',
  'social-work',
  'nursing-care',
  'vocational-training',
  'job-placement',
  'adaptive-sport',
  'paralympic-training',
  'leisure',
  'parent-support',
] as const;
export type CentreService = (typeof CENTRE_SERVICES)[number];

export const ACCESSIBILITY = ['step-free', 'lift', 'accessible-toilet', 'parking', 'sign-language', 'braille', 'hearing-loop'] as const;
export type AccessibilityFeature = (typeof ACCESSIBILITY)[number];

export const FEES = ['free', 'paid', 'partly-paid'] as const;
export type Fee = (typeof FEES)[number];
