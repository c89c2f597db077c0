import type { VolunteerModel } from './volunteer.model.js';
import { ADULT_AGE } from './volunteer-options.js';

/**
 * Mission matching as ONE equality on an indexed array field. A volunteer record carries every
 * "region|area|availability|age group" combination it fits (`matchKeys`, multikey index), and a
 * mission asks for exactly one key. An equality is what every backend serves from an index: a
 * MongoDB multikey IXSCAN, and on FerretDB-on-PostgreSQL a pushed-down `@>` that the GIN twin of
 * the index answers (ranges and `$ne` are filtered in FerretDB's own process, row by row, which
 * took seconds at 200,000 volunteers). Paused and blocked volunteers carry no keys at all.
 *
 * Raise MATCH_KEYS_VERSION whenever the key format changes: records of another version are
 * recomputed at start-up (backfillMatchKeys). A mission reads the volunteers of its key from one
 * packed list record (match-lists.ts); match-sync.ts keeps keys and lists in step with changes.
 */
export const MATCH_KEYS_VERSION = 1;

/** Stands for "any time" in a key: a mission that asks for no particular availability. */
const ANY_TIME = '*';
/** Age groups: 'all' is open to 14-17-year-olds too, 'adult' only to 18+ (Law 42-VI). */
type AgeGroup = 'all' | 'adult';

/** What a mission's key is made of (MatchCriteria in mission-match.ts has these and its skills). */
export interface MissionKeyFields {
  region: string;
  area: string;
  availability?: string;
  minorsAllowed?: boolean;
  skills?: string[];
}

export interface MatchKeyFields {
  region: string;
  areas: string[];
  availability?: string[] | null;
  age: number;
  paused?: boolean | null;
  blocked?: boolean | null;
}

function key(region: string, area: string, time: string, group: AgeGroup): string {
  return `${region}|${area}|${time}|${group}`;
}

/** The one key a mission looks for. */
export function missionMatchKey(criteria: MissionKeyFields): string {
  return key(criteria.region, criteria.area, criteria.availability ?? ANY_TIME, criteria.minorsAllowed === true ? 'all' : 'adult');
}

/** Every key a volunteer record answers to (none while paused or blocked). */
export function volunteerMatchKeys(v: MatchKeyFields): string[] {
  if (v.paused === true || v.blocked === true) return [];
  const groups: AgeGroup[] = v.age >= ADULT_AGE ? ['all', 'adult'] : ['all'];
  const times = [ANY_TIME, ...new Set(v.availability ?? [])];
  const keys: string[] = [];
  for (const area of new Set(v.areas)) {
    for (const time of times) for (const group of groups) keys.push(key(v.region, area, time, group));
  }
  return keys;
}

/** The mission criteria (all but skills) a key stands for: what a match list is checked against. */
export function keyCriteria(matchKey: string): MissionKeyFields & { skills: string[] } {
  const [region = '', area = '', time = ANY_TIME, group = 'adult'] = matchKey.split('|');
  return { region, area, skills: [], minorsAllowed: group === 'all', ...(time === ANY_TIME ? {} : { availability: time }) };
}

type StoredFields = MatchKeyFields & { _id: unknown; updatedAt?: Date };
const FIELDS = { region: 1, areas: 1, availability: 1, age: 1, paused: 1, blocked: 1, updatedAt: 1 } as const;

/**
 * Fills the keys of records made before they existed or with another key format, a page at a
 * time; returns how many were written. Runs at start-up; the services keep them from then on
 * (match-sync.ts). `beforeFirstWrite` runs once, before the first record is written: the start-up
 * task notes there that the match lists are to be dropped, so a stop after the last key still drops them.
 */
export async function backfillMatchKeys(volunteers: VolunteerModel, beforeFirstWrite?: () => Promise<void>): Promise<number> {
  let written = 0;
  let first = true;
  const cursor = volunteers
    .find({ matchKeysVersion: { $ne: MATCH_KEYS_VERSION } }, FIELDS)
    .lean<StoredFields[]>()
    .cursor({ batchSize: 500 });
  for await (const r of cursor as AsyncIterable<StoredFields>) {
    if (first) await beforeFirstWrite?.();
    first = false;
    const result = await volunteers.updateOne(
      { _id: r._id, ...(r.updatedAt ? { updatedAt: r.updatedAt } : {}) },
      { $set: { matchKeys: volunteerMatchKeys(r), matchKeysVersion: MATCH_KEYS_VERSION } },
      { timestamps: false },
    );
    written += result.modifiedCount;
  }
  return written;
}
