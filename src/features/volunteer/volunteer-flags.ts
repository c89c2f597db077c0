import type { Connection } from 'mongoose';
import { userModel } from '../../db/models/user.js';
import { runUntilFinished } from '../../db/models/start-up-pass.js';
import type { StartUpLocks } from '../../app/types.js';
import { volunteerModel } from './volunteer.model.js';

const BATCH = 500;

/**
 * Fills the user records' `volunteer` flag from the volunteer profiles, for records made before
 * the flag existed. Broadcast audiences select on it; VolunteersService keeps it up to date from
 * then on, so this runs until one start has gone through every profile (the pass is marked
 * finished then: a start stopped part-way goes through them all again, setting only the flags
 * still missing). Returns how many user records it changed.
 */
export async function backfillVolunteerFlags(connection: Connection, locks: StartUpLocks): Promise<number> {
  return runUntilFinished(connection, 'volunteer-flags', async () => {
    const users = userModel(connection);
    let changed = 0;
    const profiles = volunteerModel(connection).find({}, { userId: 1, paused: 1 }).lean<{ userId: number; paused?: boolean }>().cursor({ batchSize: BATCH });
    for await (const v of profiles) {
      // Under the record's lock: the previous release may revoke this person's access meanwhile.
      const r = await locks.userRecord.run(String(v.userId), () =>
        users.updateOne({ telegramId: v.userId, volunteer: { $exists: false } }, { $set: { volunteer: v.paused !== true } }),
      );
      changed += r.modifiedCount;
    }
    return changed;
  });
}

/**
 * Fills the user records' `region` from the volunteer profiles, for records made before the
 * profile's region was kept there. Broadcasts to a region select on it. Runs while a volunteer's
 * record lacks a region, and never replaces a region already kept. Returns how many it changed.
 */
export async function backfillVolunteerRegions(connection: Connection, locks: StartUpLocks): Promise<number> {
  const users = userModel(connection);
  if ((await users.exists({ volunteer: { $exists: true }, region: { $exists: false } })) === null) return 0;
  let changed = 0;
  const profiles = volunteerModel(connection).find({}, { userId: 1, region: 1 }).lean<{ userId: number; region?: string }>().cursor({ batchSize: BATCH });
  for await (const v of profiles) {
    if (!v.region) continue;
    const region = v.region;
    const r = await locks.userRecord.run(String(v.userId), () => users.updateOne({ telegramId: v.userId, region: { $exists: false } }, { $set: { region } }));
    changed += r.modifiedCount;
  }
  return changed;
}
