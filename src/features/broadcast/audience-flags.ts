import type { Connection } from 'mongoose';
import { userModel } from '../../db/models/user.js';
import { volunteerModel } from '../volunteer/volunteer.model.js';
import { grantApplicationModel } from '../grant/grant-application.model.js';

const BATCH = 500;

/**
 * Fills the user records' `volunteer` and `applicant` flags from the volunteer profiles and grant
 * applications, for records made before the flags existed. Broadcast audiences select on these
 * flags; the services keep them up to date from then on, so this runs once: as soon as one user
 * record carries a flag, that part is skipped.
 */
export async function backfillAudienceFlags(connection: Connection): Promise<{ volunteers: number; applicants: number }> {
  const users = userModel(connection);
  let volunteers = 0;
  let applicants = 0;
  const flagged = async (field: 'volunteer' | 'applicant') => (await users.exists({ [field]: { $exists: true } })) !== null;
  if (!(await flagged('volunteer'))) volunteers = await backfillVolunteers(connection);
  if (!(await flagged('applicant'))) applicants = await backfillApplicants(connection);
  return { volunteers, applicants };
}

async function backfillVolunteers(connection: Connection): Promise<number> {
  const users = userModel(connection);
  let volunteers = 0;
  const volunteerCursor = volunteerModel(connection)
    .find({}, { userId: 1, paused: 1 })
    .lean<{ userId: number; paused?: boolean }>()
    .cursor({ batchSize: BATCH });
  for await (const v of volunteerCursor) {
    const r = await users.updateOne({ telegramId: v.userId, volunteer: { $exists: false } }, { $set: { volunteer: v.paused !== true } });
    volunteers += r.modifiedCount;
  }
  return volunteers;
}

async function backfillApplicants(connection: Connection): Promise<number> {
  const users = userModel(connection);
  let applicants = 0;
  const applicationCursor = grantApplicationModel(connection)
    .find({ userId: { $exists: true } }, { userId: 1 })
    .lean<{ userId?: number }>()
    .cursor({ batchSize: BATCH });
  for await (const a of applicationCursor) {
    if (typeof a.userId !== 'number') continue;
    const r = await users.updateOne({ telegramId: a.userId, applicant: { $exists: false } }, { $set: { applicant: true } });
    applicants += r.modifiedCount;
  }
  return applicants;
}
