import type { Connection, Types } from 'mongoose';
import { userModel } from '../../db/models/user.js';
import { audienceBucket } from '../../db/models/audience-bucket.js';
import type { StartUpLocks } from '../../app/types.js';
import { runUntilSettled } from '../../db/models/start-up-pass.js';

const BATCH = 500;
/** Writes in flight: one update per record (FerretDB 1.24 stalled on a bulkWrite of 50). */
const IN_FLIGHT = 16;

/**
 * Gives user records made before audience buckets existed their bucket (User.bucket), which the
 * broadcast fan-out walks: a record without one would get no announcements. New records get it
 * when they are created, so after one complete run this finds nothing; each write is conditional
 * on the bucket still missing, so running it again, or in two processes at once, changes nothing
 * twice. On MongoDB the look-up is served by the `{ bucket: 1 }` index (missing is indexed as
 * null); FerretDB reads the collection at each start that runs it. A start stopped part-way
 * leaves to the next only the records still without a bucket; once settled (start-up-pass.ts:
 * a release from before buckets, still serving during the deploy, creates records without one),
 * a start reads nothing but its mark. Returns how many records it changed.
 */
export async function backfillAudienceBuckets(connection: Connection, locks: StartUpLocks): Promise<number> {
  return runUntilSettled(connection, 'audience-buckets', () => fillMissingBuckets(connection, locks));
}

async function fillMissingBuckets(connection: Connection, locks: StartUpLocks): Promise<number> {
  const users = userModel(connection);
  let changed = 0;
  // A batch at a time, each read to its end before its writes, so no cursor stays open on
  // records being changed.
  for (;;) {
    const batch = await users
      .find({ bucket: { $exists: false } }, { _id: 1, telegramId: 1 })
      .limit(BATCH)
      .lean<Array<{ _id: Types.ObjectId; telegramId: number }>>();
    if (batch.length === 0) return changed;
    let next = 0;
    const writer = async () => {
      while (next < batch.length) {
        const user = batch[next++]!;
        // A record without a numeric id (none is written so) still gets one, or it would be read again for ever.
        const bucket = typeof user.telegramId === 'number' ? audienceBucket(user.telegramId) : 0;
        const write = () => users.updateOne({ _id: user._id, bucket: { $exists: false } }, { $set: { bucket } });
        // Under the record's lock, as its other writers take it (the previous release serves
        // meanwhile): FerretDB writes the whole document read, and a revoke written between the
        // read and the write would be undone. A record without an id has no other writer.
        const result = typeof user.telegramId === 'number' ? await locks.userRecord.run(String(user.telegramId), write) : await write();
        changed += result.modifiedCount;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  }
}
