import type { Connection, Types } from 'mongoose';
import { userModel } from '../../db/models/user.js';
import { walkUntilSettled } from '../../db/models/start-up-pass.js';
import type { StartUpLocks } from '../../app/types.js';
import { grantApplicationModel } from './grant-application.model.js';

const BATCH = 500;

interface ApplicationRead {
  _id: Types.ObjectId;
  userId?: number;
  region?: string;
}

/** The applications after `after` (all when undefined), in `_id` order, with the fields read here. */
function applicationsAfter(connection: Connection, after: Types.ObjectId | undefined): AsyncIterable<ApplicationRead> {
  return grantApplicationModel(connection)
    .find({ ...(after ? { _id: { $gt: after } } : {}), userId: { $exists: true } }, { userId: 1, region: 1 })
    .sort({ _id: 1 })
    .lean<ApplicationRead[]>()
    .cursor({ batchSize: BATCH }) as AsyncIterable<ApplicationRead>;
}

/**
 * Fills the user records' `applicant` flag from the grant applications, for records made before
 * the flag existed. Broadcast audiences select on it; GrantsService keeps it up to date from then
 * on. A walk over the applications (start-up-pass.ts): a start stopped part-way leaves the next
 * to go on after the last application handled; once settled, a start reads nothing but its
 * mark. The mark keeps the name of the first release's pass, so a finished one stays finished.
 * Returns how many user records it changed.
 */
export async function backfillApplicantFlags(connection: Connection, locks: StartUpLocks): Promise<number> {
  const users = userModel(connection);
  return walkUntilSettled(
    connection,
    'applicant-flags',
    (after) => applicationsAfter(connection, after),
    async (a) => {
      if (typeof a.userId !== 'number') return 0;
      const userId = a.userId;
      // Under the record's lock: the previous release may revoke this person's access meanwhile.
      const r = await locks.userRecord.run(String(userId), () => users.updateOne({ telegramId: userId, applicant: { $exists: false } }, { $set: { applicant: true } }));
      return r.modifiedCount;
    },
  );
}

/**
 * Fills the user records' `region` from the applicant's latest application, for records made
 * before submitting kept it there. Broadcasts to a region select on it. A walk over the
 * applications, as backfillApplicantFlags: only a person's latest application writes (one indexed
 * look-up by person tells), and never over a region already kept. Returns how many it changed.
 */
export async function backfillApplicantRegions(connection: Connection, locks: StartUpLocks): Promise<number> {
  const users = userModel(connection);
  const applications = grantApplicationModel(connection);
  return walkUntilSettled(
    connection,
    'applicant-regions',
    (after) => applicationsAfter(connection, after),
    async (a) => {
      if (typeof a.userId !== 'number' || !a.region) return 0;
      const { userId, region } = a;
      const latest = await applications.findOne({ userId }, { _id: 1 }).sort({ createdAt: -1, _id: -1 }).lean<{ _id: Types.ObjectId }>();
      if (!latest?._id.equals(a._id)) return 0;
      const r = await locks.userRecord.run(String(userId), () => users.updateOne({ telegramId: userId, region: { $exists: false } }, { $set: { region } }));
      return r.modifiedCount;
    },
  );
}

/**
 * Fills the user records' `applicantRegion` from the applicant's latest application, for records
 * made before each group kept its own region (announcements to applicants of a region select on
 * it, and an applicant may volunteer in another region). A walk over the applications, as
 * backfillApplicantRegions; never replaces a region already kept. Returns how many it changed.
 */
export async function backfillApplicantGroupRegions(connection: Connection, locks: StartUpLocks): Promise<number> {
  const users = userModel(connection);
  const applications = grantApplicationModel(connection);
  return walkUntilSettled(
    connection,
    'applicant-group-regions',
    (after) => applicationsAfter(connection, after),
    async (a) => {
      if (typeof a.userId !== 'number' || !a.region) return 0;
      const { userId, region } = a;
      const latest = await applications.findOne({ userId }, { _id: 1 }).sort({ createdAt: -1, _id: -1 }).lean<{ _id: Types.ObjectId }>();
      if (!latest?._id.equals(a._id)) return 0;
      const r = await locks.userRecord.run(String(userId), () =>
        users.updateOne({ telegramId: userId, applicantRegion: { $exists: false } }, { $set: { applicantRegion: region } }),
      );
      return r.modifiedCount;
    },
  );
}
