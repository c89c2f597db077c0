// The audience buckets the broadcast fan-out walks: every way a user record is created gives it its
// bucket, records from older versions get theirs at start-up (once), and a broadcast then reaches
// every one of them, each once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';
import { AUDIENCE_BUCKETS, audienceBucket } from '../../src/db/models/audience-bucket.js';
import { backfillAudienceBuckets } from '../../src/features/broadcast/audience-buckets.js';
import { BroadcastsService } from '../../src/features/broadcast/broadcasts.service.js';
import { LEGACY_STAFF_ACCESS } from '../../src/app/access.js';
import { AuditService } from '../../src/services/audit.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { createLogger } from '../../src/logger.js';
import { profile } from '../volunteer/helpers.js';
import { startUpLocks } from '../support/start-up-locks.js';

const OLD_FIRST = 40_000;
const OLD_N = 1200;

describe('audience buckets', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('broadcasts_buckets');
  });
  afterAll(async () => app?.close());

  it('spreads ids evenly over the buckets, the same way every time', () => {
    const counts = new Array<number>(AUDIENCE_BUCKETS).fill(0);
    for (let i = 0; i < 64_000; i++) counts[audienceBucket(5_000_000_000 + i * 2)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(900);
    expect(Math.max(...counts)).toBeLessThan(1100);
    // Stored in every record: the function must never change.
    expect([1, 42, 123_456_789, 7_000_000_001].map(audienceBucket)).toEqual([39, 61, 31, 47]);
  });

  it('gives every new user record its bucket, however it is created', async () => {
    const users = userModel(app.mongo);
    const s = app.bot.services;
    await s.users.touch({ updateId: 1, chatId: 501, userId: 501 }, 'kk');
    await s.users.makeStaff(502, 502, 'ru', 1, { ...LEGACY_STAFF_ACCESS, roles: [...LEGACY_STAFF_ACCESS.roles] });
    await s.volunteers.register(503, 503, 'en', profile());
    await users.create({ telegramId: 504, chatId: 504, locale: 'en' });
    await users.insertMany([{ telegramId: 505, chatId: 505, locale: 'en' }]);
    for (const id of [501, 502, 503, 504, 505]) {
      expect(await users.findOne({ telegramId: id }, { bucket: 1 }).lean()).toMatchObject({ bucket: audienceBucket(id) });
    }
    await users.deleteMany({ telegramId: { $in: [501, 502, 503, 504, 505] } });
  });

  it('fills the bucket in for records of older versions once, and a broadcast then reaches all of them', async () => {
    // Written as an older version did: no bucket (straight to the collection, past the schema).
    await app.mongo.collection('users').insertMany(
      Array.from({ length: OLD_N }, (_, i) => ({ telegramId: OLD_FIRST + i, chatId: OLD_FIRST + i, locale: 'ru', region: 'abai', announcements: true, blocked: false })),
    );
    const deps = {
      connection: app.mongo,
      cipher: createDataCipher(app.config.DATA_KEY),
      config: app.config,
      i18n: app.bot.i18n,
      delivery: new RecordingDelivery(),
      logger: createLogger('silent'),
      now: () => new Date(),
    };
    const broadcasts = new BroadcastsService(deps, new AuditService(deps));
    const audience = { group: 'all' as const, region: 'abai' };
    // Counted, but not walked: the fan-out reads bucket by bucket, so without one nobody is queued.
    expect(await broadcasts.countAudience(audience)).toBe(OLD_N);

    expect(await backfillAudienceBuckets(app.mongo, startUpLocks(app))).toBe(OLD_N);
    const stored = await userModel(app.mongo).find({ telegramId: { $gte: OLD_FIRST } }, { telegramId: 1, bucket: 1 }).lean();
    expect(stored).toHaveLength(OLD_N);
    for (const u of stored) expect(u.bucket).toBe(audienceBucket(u.telegramId));
    // Done once: a second start (or a second process) changes nothing.
    expect(await backfillAudienceBuckets(app.mongo, startUpLocks(app))).toBe(0);

    const { total } = await broadcasts.create({ createdBy: 1, staffChatId: 1, staffLocale: 'en', texts: { ru: 'Всем' }, fallback: 'ru', audience });
    expect(total).toBe(OLD_N);
    const chats = deps.delivery.jobs.map((j) => j.chatId);
    expect(chats).toHaveLength(OLD_N);
    expect(new Set(chats).size).toBe(OLD_N);
  });
});
