export type { MissionRecord } from './mission.model.js';
import type { MissionRecord } from './mission.model.js';
import type { AssignmentStatus } from './mission-assignment.model.js';
import type { MissionDetails } from './mission-texts.js';

export interface MissionInput extends MissionDetails {
  latitude?: number;
  longitude?: number;
  /** Volunteers aged 14-17 (with a guardian's consent) may be invited. */
  minorsAllowed?: boolean;
}

export type AcceptResult =
  | { status: 'accepted' }
  | { status: 'waiting'; position: number }
  | { status: 'already-accepted' }
  | { status: 'already-waiting'; position: number }
  | { status: 'busy' | 'not-volunteer' | 'not-invited' | 'not-found' | 'cancelled' | 'started' | 'held' };

export type ReleaseResult = 'released' | 'not-held' | 'not-found' | 'started' | 'busy';

export interface RosterEntry {
  userId: number;
  name: string;
  phone?: string;
  status: AssignmentStatus;
  reminder24?: string;
  reminder2?: string;
  attended?: boolean;
  position?: number;
}

export interface Roster {
  mission: MissionRecord;
  accepted: RosterEntry[];
  waiting: RosterEntry[];
  declined: number;
}

export interface HoursSummary {
  total: number;
  thisYear: number;
  missions: Array<{ title: string; startsAt: Date; hours: number }>;
}

export interface VolunteerMission {
  mission: MissionRecord;
  status: 'accepted' | 'waiting';
  position?: number;
}
