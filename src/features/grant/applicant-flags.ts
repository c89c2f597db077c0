import type { Connection } from 'mongoose';
import { userModel } from '../../db/models/user.js';
import { runUntilFinished } from '../../db/models/start-up-pass.js';
import type { StartUpLocks } from '../../app/types.js';
import { grantApplicationModel } from './grant-application.model.js';

const BATCH = 500;

/**
 * Fills the user records' `applicant` flag from the grant applications, for records made before
 * the flag existed. Broadcast audiences select on it; GrantsService keeps it up to date from then
 * on, so this runs until one start has gone through every application (the pass is marked
 * finished then: a start stopped part-way goes through them all again, setting only the flags
 * still missing). Returns how many user records it changed.
 */
export async function backfillApplicantFlags(connection: Connection, locks: StartUpLocks): Promise<number> {
  return runUntilFinished(connection, 'applicant-flags', async () => {
    const users = userModel(connection);
    let changed = 0;
    const applications = grantApplicationModel(connection).find({ userId: { $exists: true } }, { userId: 1 }).lean<{ userId?: number }>().cursor({ batchSize: BATCH });
    for await (const a of applications) {
      if (typeof a.userId !== 'number') continue;
      const userId = a.userId;
      // Under the record's lock: the previous release may revoke this person's access meanwhile.
      const r = await locks.userRecord.run(String(userId), () => users.updateOne({ telegramId: userId, applicant: { $exists: false } }, { $set: { applicant: true } }));
      changed += r.modifiedCount;
    }
    return changed;
  });
}

/**
 * Fills the user records' `region` from the applicant's latest application, for records made
 * before submitting kept it there. Broadcasts to a region select on it. Runs while an applicant's
 * record lacks a region (none does once it has run: every application names one), and never
 * replaces a region already kept. Returns how many user records it changed.
 */
export async function backfillApplicantRegions(connection: Connection, locks: StartUpLocks): Promise<number> {
  const users = userModel(connection);
  if ((await users.exists({ applicant: true, region: { $exists: false } })) === null) return 0;
  let changed = 0;
  const applications = grantApplicationModel(connection)
    .find({ userId: { $exists: true } }, { userId: 1, region: 1 })
    .sort({ createdAt: -1 })
    .lean<{ userId?: number; region?: string }>()
    .cursor({ batchSize: BATCH });
  for await (const a of applications) {
    if (typeof a.userId !== 'number' || !a.region) continue;
    // Newest first: the first application met for a person sets their region.
    const { userId, region } = a;
    const r = await locks.userRecord.run(String(userId), () => users.updateOne({ telegramId: userId, region: { $exists: false } }, { $set: { region } }));
    changed += r.modifiedCount;
  }
  return changed;
}
