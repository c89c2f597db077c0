// The fixed lists a volunteer picks from and a mission is described with. Stored as these keys;
// labels live in locales/*/volunteer.json under the same names.

export const VOLUNTEER_AREAS = [
  'emergencies',
  'search',
  'people-in-need',
  'disability-elderly',
  'animals',
  'nature',
  'sport-events',
  'other',
] as const;
export type VolunteerArea = (typeof VOLUNTEER_AREAS)[number];

export const AVAILABILITY = ['weekdays', 'evenings', 'weekends'] as const;
export type Availability = (typeof AVAILABILITY)[number];

export const SKILLS = ['first-aid', 'driving', 'sign-language', 'languages', 'medical', 'psychology'] as const;
export type Skill = (typeof SKILLS)[number];

/** Law 42-VI: 18+ freely, 14-17 with a parent's or guardian's consent, under 14 not through the bot. */
export const ADULT_AGE = 18;
export const MIN_AGE = 14;
export const MAX_AGE = 100;

export const isArea = (v: unknown): v is VolunteerArea => typeof v === 'string' && (VOLUNTEER_AREAS as readonly string[]).includes(v);
export const isSkill = (v: unknown): v is Skill => typeof v === 'string' && (SKILLS as readonly string[]).includes(v);

/** The longest mission title the staff form takes; list buttons never carry it (mission-texts.ts). */
export const MISSION_TITLE_MAX = 100;

/** Reminders go this many hours before a mission starts. */
export const REMINDER_HOURS = [24, 2] as const;
export type ReminderHours = (typeof REMINDER_HOURS)[number];
