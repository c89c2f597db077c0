import { ADULT_AGE } from './volunteer-options.js';
import { missionMatchKey } from './match-keys.js';

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
 * May this volunteer take a place: invited when the mission was published, or fitting it now
 * (later invitations are not recorded on the mission, see mission-invitations), and of an age
 * the mission takes in any case (an invitation sent before the profile said 16 does not count).
 */
export function mayJoin(
  volunteer: MatchProfile & { userId: number },
  mission: MatchCriteria & { invitedUserIds: readonly number[]; skills: readonly string[]; minorsAllowed?: boolean | null },
): boolean {
  const criteria: MatchCriteria = { region: mission.region, area: mission.area, skills: [...mission.skills], minorsAllowed: mission.minorsAllowed === true };
  const ageFits = volunteer.age >= ADULT_AGE || criteria.minorsAllowed === true;
  return ageFits && (mission.invitedUserIds.includes(volunteer.userId) || fitsMission(volunteer, criteria));
}

/**
 * The database side of fitsMission (everything but the skills), for the volunteer records: one
 * equality on the precomputed `matchKeys` (region, area, availability, age group; none while
 * paused or blocked), served by the { matchKeys } multikey index. See match-keys.ts.
 */
export function matchFilter(criteria: MatchCriteria): Record<string, unknown> {
  return { matchKeys: missionMatchKey(criteria) };
}
