// The start-up back-fills of user records (audience flags, regions, buckets) racing an admin's
// revoke or change of the same record. A deploy runs them while the previous process still
// serves, so an admin may revoke a member at that very moment; FerretDB writes a back-fill's one
// field as the whole document it read a moment before, which would put the revoked role back.
// Each back-fill takes the user-record lock per record (services/user-record-lock.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { holdRow, testPostgresUrl, type RowHold } from '../support/row-hold.js';
import { startUpLocks } from '../support/start-up-locks.js';
import { raceOnHeldRow } from '../support/lock-watch.js';
import { testRedisUrl } from '../support/isolation.js';
import type { Access } from '../../src/app/access.js';
import type { StartUpLocks } from '../../src/app/types.js';
import { backfillApplicantFlags, backfillApplicantRegions } from '../../src/features/grant/applicant-flags.js';
import { backfillVolunteerFlags, backfillVolunteerRegions } from '../../src/features/volunteer/volunteer-flags.js';
import { backfillAudienceBuckets } from '../../src/features/broadcast/audience-buckets.js';
import { grantApplicationModel } from '../../src/features/grant/grant-application.model.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';

const ADMIN = 4700;
const reviewer: Access = { roles: ['reviewer'], regions: null, topics: null };
const broadcaster: Access = { roles: ['broadcaster'], regions: null, topics: null };

interface Backfill {
  /** The record as an older version left it, for the back-fill to find. */
  before(id: number): Promise<void>;
  run(mongo: Connection, locks: StartUpLocks): Promise<number>;
  /** What the back-fill wrote to the record. */
  filled: Record<string, unknown>;
}

describe.skipIf(!testPostgresUrl())('attack: a start-up back-fill of user records racing a revoke or a change of access', () => {
  let app: TestApp;
  const users = () => app.mongo.db!.collection('users');

  beforeAll(async () => {
    app = await createSceneHarness('atk_backfill_vs_revoke', { adminIds: [ADMIN] });
  }, 60_000);
  afterAll(async () => app?.close());

  async function staffMember(id: number): Promise<void> {
    await onboard(app, id);
    await app.bot.services.users.makeStaff(id, id, 'en', ADMIN, reviewer);
    expect(await app.bot.services.access.fromDatabase(id)).not.toBeNull();
  }

  /** An application as stored before the user record kept the applicant flag (only what the back-fill reads). */
  const application = (id: number, region: string) =>
    grantApplicationModel(app.mongo).collection.insertOne({ ref: `BF-${id}`, submissionKey: `bf-${id}`, userId: id, region, createdAt: new Date() });
  const volunteer = (id: number, region: string) => volunteerModel(app.mongo).collection.insertOne({ userId: id, chatId: id, region, paused: false });

  const backfills: Array<[string, Backfill]> = [
    [
      'the applicant flags',
      {
        // Runs only while no record has the flag (once).
        before: async (id) => {
          await application(id, 'almaty');
          await users().updateMany({}, { $unset: { applicant: 1 } });
        },
        run: backfillApplicantFlags,
        filled: { applicant: true },
      },
    ],
    [
      'the applicants\' regions',
      {
        before: async (id) => {
          await application(id, 'almaty');
          await users().updateOne({ telegramId: id }, { $set: { applicant: true }, $unset: { region: 1 } });
        },
        run: backfillApplicantRegions,
        filled: { region: 'almaty' },
      },
    ],
    [
      'the volunteer flags',
      {
        before: async (id) => {
          await volunteer(id, 'abai');
          await users().updateMany({}, { $unset: { volunteer: 1 } });
        },
        run: backfillVolunteerFlags,
        filled: { volunteer: true },
      },
    ],
    [
      'the volunteers\' regions',
      {
        before: async (id) => {
          await volunteer(id, 'abai');
          await users().updateOne({ telegramId: id }, { $set: { volunteer: true }, $unset: { region: 1 } });
        },
        run: backfillVolunteerRegions,
        filled: { region: 'abai' },
      },
    ],
    [
      'the audience buckets',
      {
        before: async (id) => void (await users().updateOne({ telegramId: id }, { $unset: { bucket: 1 } })),
        run: backfillAudienceBuckets,
        filled: { bucket: expect.any(Number) },
      },
    ],
  ];

  const hold = (id: number): Promise<RowHold> => holdRow(testPostgresUrl()!, app.mongo.db!.databaseName, 'users', 'telegramId', String(id));

  /**
   * `first` is started with the member's row held, so its read is done and its write waits; then
   * `second`, whose read (unless it waits for `first` in Redis) comes before that write too.
   */
  async function race(id: number, first: () => Promise<unknown>, second: () => Promise<unknown>): Promise<void> {
    const lockKey = `${app.config.REDIS_PREFIX}:access-write:lock:${id}`;
    await raceOnHeldRow(await hold(id), { redisUrl: testRedisUrl(), lockKey, first, second, letGoMs: 1_500 });
  }

  let serial = 4710;
  it.each(backfills)('a revoke and the back-fill of %s at once: the revoke stands, and the back-fill is written', async (_name, backfill) => {
    const id = (serial += 1);
    await staffMember(id);
    await backfill.before(id);
    await race(id, () => app.bot.services.access.revoke(id), () => backfill.run(app.mongo, startUpLocks(app)));
    expect(await app.bot.services.access.fromDatabase(id)).toBeNull();
    const record = await users().findOne({ telegramId: id });
    expect(record).toMatchObject({ role: 'citizen', ...backfill.filled });
    expect(record).not.toHaveProperty('staffRoles');
  });

  it('a change of a member\'s roles and the back-fill of the audience buckets at once: the new roles stand', async () => {
    const id = 4730;
    await staffMember(id);
    await users().updateOne({ telegramId: id }, { $unset: { bucket: 1 } });
    await race(id, () => app.bot.services.access.change(id, broadcaster), () => backfillAudienceBuckets(app.mongo, startUpLocks(app)));
    expect(await app.bot.services.access.fromDatabase(id)).toMatchObject({ roles: ['broadcaster'] });
    expect(await users().findOne({ telegramId: id })).toMatchObject({ staffRoles: ['broadcaster'], bucket: expect.any(Number) });
  });
});
