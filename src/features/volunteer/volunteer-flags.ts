import type { Connection, Types } from 'mongoose';
import { userModel } from '../../db/models/user.js';
import { walkUntilSettled } from '../../db/models/start-up-pass.js';
import type { StartUpLocks } from '../../app/types.js';
import { volunteerModel } from './volunteer.model.js';

const BATCH = 500;

interface ProfileRead {
  _id: Types.ObjectId;
  userId: number;
  paused?: boolean;
  region?: string;
}

/** The volunteer profiles after `after` (all when undefined), in `_id` order, with the fields read here. */
function profilesAfter(connection: Connection, after: Types.ObjectId | undefined): AsyncIterable<ProfileRead> {
  return volunteerModel(connection)
    .find(after ? { _id: { $gt: after } } : {}, { userId: 1, paused: 1, region: 1 })
    .sort({ _id: 1 })
    .lean<ProfileRead[]>()
    .cursor({ batchSize: BATCH }) as AsyncIterable<ProfileRead>;
}

/**
 * Fills the user records' `volunteer` flag from the volunteer profiles, for records made before
 * the flag existed. Broadcast audiences select on it; VolunteersService keeps it up to date from
 * then on. A walk over the profiles (start-up-pass.ts): a start stopped part-way leaves the next
 * to go on after the last profile handled; once settled, a start reads nothing but its mark. The
 * mark keeps the name of the first release's pass, so a finished one stays finished. Returns how
 * many user records it changed.
 */
export async function backfillVolunteerFlags(connection: Connection, locks: StartUpLocks): Promise<number> {
  const users = userModel(connection);
  return walkUntilSettled(
    connection,
    'volunteer-flags',
    (after) => profilesAfter(connection, after),
    async (v) => {
      // Under the record's lock: the previous release may revoke this person's access meanwhile.
      const r = await locks.userRecord.run(String(v.userId), () =>
        users.updateOne({ telegramId: v.userId, volunteer: { $exists: false } }, { $set: { volunteer: v.paused !== true } }),
      );
      return r.modifiedCount;
    },
  );
}

/**
 * Fills the user records' `region` from the volunteer profiles, for records made before the
 * profile's region was kept there. Broadcasts to a region select on it. A walk over the profiles,
 * as backfillVolunteerFlags; never replaces a region already kept. Returns how many it changed.
 */
export async function backfillVolunteerRegions(connection: Connection, locks: StartUpLocks): Promise<number> {
  const users = userModel(connection);
  return walkUntilSettled(
    connection,
    'volunteer-regions',
    (after) => profilesAfter(connection, after),
    async (v) => {
      if (!v.region) return 0;
      const region = v.region;
      const r = await locks.userRecord.run(String(v.userId), () => users.updateOne({ telegramId: v.userId, region: { $exists: false } }, { $set: { region } }));
      return r.modifiedCount;
    },
  );
}

/**
 * Fills the user records' `volunteerRegion` from the volunteer profiles, for records made before
 * each group kept its own region (announcements to volunteers of a region select on it, and a
 * volunteer may have applied for a grant in another region since). A walk over the profiles, as
 * backfillVolunteerFlags; never replaces a region already kept. Returns how many it changed.
 */
export async function backfillVolunteerGroupRegions(connection: Connection, locks: StartUpLocks): Promise<number> {
  const users = userModel(connection);
  return walkUntilSettled(
    connection,
    'volunteer-group-regions',
    (after) => profilesAfter(connection, after),
    async (v) => {
      if (!v.region) return 0;
      const region = v.region;
      const r = await locks.userRecord.run(String(v.userId), () =>
        users.updateOne({ telegramId: v.userId, volunteerRegion: { $exists: false } }, { $set: { volunteerRegion: region } }),
      );
      return r.modifiedCount;
    },
  );
}
