import type { Connection } from 'mongoose';
import { userModel } from '../../db/models/user.js';
import { grantApplicationModel } from './grant-application.model.js';

const BATCH = 500;

/**
 * Fills the user records' `applicant` flag from the grant applications, for records made before
 * the flag existed. Broadcast audiences select on it; GrantsService keeps it up to date from then
 * on, so this runs once: as soon as one user record carries the flag, it does nothing.
 * Returns how many user records it changed.
 */
export async function backfillApplicantFlags(connection: Connection): Promise<number> {
  const users = userModel(connection);
  if ((await users.exists({ applicant: { $exists: true } })) !== null) return 0;
  let changed = 0;
  const applications = grantApplicationModel(connection).find({ userId: { $exists: true } }, { userId: 1 }).lean<{ userId?: number }>().cursor({ batchSize: BATCH });
  for await (const a of applications) {
    if (typeof a.userId !== 'number') continue;
    const r = await users.updateOne({ telegramId: a.userId, applicant: { $exists: false } }, { $set: { applicant: true } });
    changed += r.modifiedCount;
  }
  return changed;
}
