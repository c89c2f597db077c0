// The mission-matching part of bench:scale: the volunteer feature's start-up tasks (which build
// the match lists in one pass), then matching p50/p99 over 100 missions read from the lists; a
// volunteer's change (which numbers a change for each of their keys) and the next mission of it;
// missions whose list is not there (built again from the volunteer records); the plans.
import type { Connection } from 'mongoose';
import { RecordLock } from '../src/services/record-lock.js';
import { runStartUpTasks } from '../src/app/start-up.js';
import { createLogger } from '../src/logger.js';
import type { Services } from '../src/services/index.js';
import { volunteerFeature } from '../src/features/volunteer/index.js';
import { matchFilter, type MatchCriteria } from '../src/features/volunteer/mission-match.js';
import { missionMatchKey } from '../src/features/volunteer/match-keys.js';
import { MatchLists } from '../src/features/volunteer/match-lists.js';
import { matchListModel } from '../src/features/volunteer/match-lists.model.js';
import { volunteerModel } from '../src/features/volunteer/volunteer.model.js';
import { REGION_KEYS } from '../src/domain/regions.js';
import { AVAILABILITY, SKILLS, VOLUNTEER_AREAS } from '../src/features/volunteer/volunteer-options.js';
import { explainSummary } from './bench-plan.js';

export interface MatchFigures {
  /** The start-up tasks over the seeded records (building every list), and the list records they wrote. */
  startUpMs: number;
  lists: number;
  p50: number;
  p99: number;
  avgFound: number;
  /** A volunteer's change (their update waits for the change numbers), and the next mission of that key. */
  change: { p50: number; p99: number };
  afterChange: { p50: number; p99: number; missions: number };
  /** A mission whose list is not there: built again from the volunteer records. */
  rebuild: { p50: number; p99: number; missions: number };
  plan: string;
  rebuildPlan: string;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

export async function benchMatching(mongo: Connection, services: Services): Promise<MatchFigures> {
  const started = performance.now();
  // The bench is the database's only writer: a lock without Redis lets every write straight in.
  await runStartUpTasks([volunteerFeature], mongo, { userRecord: new RecordLock(undefined, 'bench'), inquiryRecord: new RecordLock(undefined, 'bench') }, createLogger('silent'), new RecordLock(undefined, 'bench'));
  const startUpMs = performance.now() - started;
  const lists = await matchListModel(mongo).countDocuments({});

  const missions: MatchCriteria[] = Array.from({ length: 100 }, (_, i) => ({
    region: REGION_KEYS[(i * 7) % REGION_KEYS.length]!,
    area: VOLUNTEER_AREAS[(i * 3) % VOLUNTEER_AREAS.length]!,
    skills: i % 5 === 0 ? [SKILLS[i % SKILLS.length]!] : [],
    minorsAllowed: i % 4 === 0,
    availability: AVAILABILITY[i % 3],
  }));
  await services.volunteers.matching(missions[0]!); // warm
  const times: number[] = [];
  let found = 0;
  for (const m of missions) {
    const s = performance.now();
    found += (await services.volunteers.matching(m)).length;
    times.push(performance.now() - s);
  }

  // A volunteer's change (a skill added) takes a change number for each of their keys; the next
  // mission of the key reads its list and that volunteer's record again. Timed: the change (the
  // volunteer's own update waits for it), then the mission.
  const changes: number[] = [];
  const afterChange: number[] = [];
  // (The seeded volunteers are never free on weekdays: those missions find nobody to change.)
  for (const m of missions) {
    if (changes.length === 20) break;
    const [first] = await services.volunteers.matching({ ...m, skills: [] });
    if (!first) continue;
    // Read directly: the seeded phone numbers are not sealed, so the profile would not open.
    const profile = await volunteerModel(mongo).findOne({ userId: first.userId }, { skills: 1 }).lean<{ skills: string[] }>();
    let s = performance.now();
    await services.volunteers.updateField(first.userId, 'skills', [...new Set([...(profile?.skills ?? []), 'languages'])]);
    changes.push(performance.now() - s);
    s = performance.now();
    await services.volunteers.matching(m);
    afterChange.push(performance.now() - s);
  }

  // A list that is not there (a change that found none to patch, or lost a race): built again
  // from the volunteer records.
  const rebuilds: number[] = [];
  for (const m of missions.slice(40, 60)) {
    await new MatchLists(mongo).touch([missionMatchKey(m)]);
    const s = performance.now();
    await services.volunteers.matching(m);
    rebuilds.push(performance.now() - s);
  }

  const key = missionMatchKey(missions[1]!);
  const plan = explainSummary(await matchListModel(mongo).find({ key }).explain());
  const rebuildPlan = explainSummary(await volunteerModel(mongo).find(matchFilter(missions[1]!)).explain());
  return {
    startUpMs,
    lists,
    p50: pct(times, 50),
    p99: pct(times, 99),
    avgFound: found / missions.length,
    change: { p50: pct(changes, 50), p99: pct(changes, 99) },
    afterChange: { p50: pct(afterChange, 50), p99: pct(afterChange, 99), missions: afterChange.length },
    rebuild: { p50: pct(rebuilds, 50), p99: pct(rebuilds, 99), missions: rebuilds.length },
    plan,
    rebuildPlan,
  };
}
