import { ADULT_AGE } from './volunteer-options.js';

export interface MatchCriteria {
  region: string;
  area: string;
  skills: string[];
  /** Missions not marked as suitable for 14-17-year-olds invite adults only (Law 42-VI). */
  minorsAllowed?: boolean;
  /** When given, only volunteers who said they are free then (weekdays, evenings, weekends). */
  availability?: string;
}

export interface MatchProfile {
  region: string;
  areas: string[];
  skills: string[];
  age: number;
  availability?: string[];
}

/**
 * One rule for both directions: who a new mission invites, and which open missions a new
 * volunteer is invited to. Pausing and blocking are checked by the callers, which know them.
 */
export function fitsMission(volunteer: MatchProfile, mission: MatchCriteria): boolean {
  return (
    volunteer.region === mission.region &&
    volunteer.areas.includes(mission.area) &&
    mission.skills.every((s) => volunteer.skills.includes(s)) &&
    (volunteer.age >= ADULT_AGE || mission.minorsAllowed === true) &&
    (mission.availability === undefined || (volunteer.availability ?? []).includes(mission.availability))
  );
}

/**
 * The database side of fitsMission (everything but the skills), for the volunteer records: an
 * equality on region and area and a range on age, served by the { region, areas, age } index.
 */
export function matchFilter(criteria: MatchCriteria): Record<string, unknown> {
  return {
    region: criteria.region,
    areas: criteria.area,
    ...(criteria.minorsAllowed === true ? {} : { age: { $gte: ADULT_AGE } }),
    ...(criteria.availability ? { availability: criteria.availability } : {}),
    paused: { $ne: true },
    blocked: { $ne: true },
  };
}
