import { ADULT_AGE } from './volunteer-options.js';

export interface MatchCriteria {
  region: string;
  area: string;
  skills: string[];
  /** Missions not marked as suitable for 14-17-year-olds invite adults only (Law 42-VI). */
  minorsAllowed?: boolean;
}

export interface MatchProfile {
  region: string;
  areas: string[];
  skills: string[];
  age: number;
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
    (volunteer.age >= ADULT_AGE || mission.minorsAllowed === true)
  );
}
