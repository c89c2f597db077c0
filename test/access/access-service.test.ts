// The access record and its Redis copy, against the real Redis and FerretDB: written through on
// every change, rebuilt on a miss, citizens cached too, never stale after a change made by
// another set of connections, and a scheduled broadcast that re-checks its author when it runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { createTestApp, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { connectMongo } from '../../src/db/connect.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { createLogger } from '../../src/logger.js';
import { createServices, type Services } from '../../src/services/index.js';
import { userModel } from '../../src/db/models/user.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { deliveryGuards } from '../../src/delivery/bot-worker.js';
import { allows, LEGACY_STAFF_ACCESS, type Access } from '../../src/app/access.js';
import { auditOf } from './helpers.js';

const ADMIN = 3000;
const reviewerIn = (regions: string[] | null): Access => ({ roles: ['reviewer'], regions, topics: null });

describe('access records and their cache', () => {
  let app: TestApp;
  let otherRedis: Redis;
  let otherMongo: Connection;
  /** The same services built on their own connections, as another bot process would have them. */
  let other: Services;

  beforeAll(async () => {
    app = await createTestApp('access_service', { adminIds: [ADMIN] });
    otherRedis = new Redis(app.config.REDIS_URL);
    otherMongo = await connectMongo(app.mongoUri);
    other = createServices({
      connection: otherMongo,
      redis: otherRedis,
      cipher: createDataCipher(app.config.DATA_KEY),
      config: app.config,
      i18n: app.bot.i18n,
      delivery: app.delivery,
      logger: createLogger('silent'),
      now: () => new Date(),
    });
  });
  afterAll(async () => {
    otherRedis?.disconnect();
    await otherMongo?.close();
    await app?.close();
  });

  const access = () => app.bot.services.access;

  it('gives ADMIN_IDS every role without a record, and citizens nothing, cached as "none"', async () => {
    expect(await access().get(ADMIN)).toMatchObject({ roles: ['admin', 'reviewer', 'coordinator', 'broadcaster', 'operator'], regions: null });
    expect(await access().get(3001)).toBeNull();
    expect(await app.redis.get(access().key(3001))).toBe('none');
  });

  it('writes a grant through to the cache and reads it back without MongoDB', async () => {
    await app.bot.services.users.makeStaff(3002, 3002, 'en', ADMIN, reviewerIn(['astana']));
    expect(JSON.parse((await app.redis.get(access().key(3002)))!)).toEqual(reviewerIn(['astana']));
    // Even with the record changed behind its back (never done by the code), a read is the cache's.
    await userModel(app.mongo).updateOne({ telegramId: 3002 }, { $set: { staffRegions: ['abai'] } });
    expect((await access().get(3002))?.regions).toEqual(['astana']);
    // A miss (expired or evicted) rebuilds the copy from MongoDB.
    await app.redis.del(access().key(3002));
    expect((await access().get(3002))?.regions).toEqual(['abai']);
  });

  it('refuses the very next read after another process revokes, even with a warm cache here', async () => {
    await app.bot.services.users.makeStaff(3003, 3003, 'en', ADMIN, reviewerIn(null));
    expect(allows(await access().get(3003), 'grants.review')).toBe(true);
    expect(await other.staff.revoke(ADMIN, 3003)).toBe(true);
    expect(await access().get(3003)).toBeNull();
    expect(await userModel(app.mongo).findOne({ telegramId: 3003 }).lean()).toMatchObject({ role: 'citizen' });
  });

  it('keeps a newer value written by a change over a stale rebuild racing it', async () => {
    await app.bot.services.users.makeStaff(3004, 3004, 'en', ADMIN, reviewerIn(null));
    await app.redis.del(access().key(3004));
    // A reader misses and rebuilds while another process revokes: whatever the order, the revoke wins.
    await Promise.all([access().get(3004), other.staff.revoke(ADMIN, 3004), access().get(3004)]);
    expect(await access().get(3004)).toBeNull();
    expect(await other.access.get(3004)).toBeNull();
  });

  it('reads a record from before roles existed as every staff power in every region', async () => {
    await userModel(app.mongo).create({ telegramId: 3005, chatId: 3005, locale: 'ru', role: 'staff', staffSince: new Date() });
    const legacy = await access().get(3005);
    expect(legacy).toEqual(LEGACY_STAFF_ACCESS);
    for (const p of ['grants.review', 'grants.export', 'missions.manage', 'broadcasts.send', 'inquiries.answer'] as const) {
      expect(allows(legacy, p, { region: 'abai', topic: 'other' })).toBe(true);
    }
    expect(allows(legacy, 'staff.manage')).toBe(false);
  });

  it('forgets the access of a member who deleted their data', async () => {
    await app.bot.services.users.makeStaff(3006, 3006, 'en', ADMIN, reviewerIn(null));
    await app.bot.services.users.erase(3006);
    expect(await access().get(3006)).toBeNull();
  });

  it('lets only staff managers invite or change staff, and audits the refusal', async () => {
    await app.bot.services.users.makeStaff(3007, 3007, 'en', ADMIN, reviewerIn(null));
    expect(await app.bot.services.staff.createInvite(3007, { role: 'admin', regions: null })).toBeNull();
    expect(await app.bot.services.staff.changeAccess(3007, 3007, { roles: ['admin'], regions: null, topics: null })).toBe('denied');
    expect((await access().get(3007))?.roles).toEqual(['reviewer']);
    expect((await auditOf(app, 3007, 'access.denied')).length).toBe(2);
  });

  it('stops a scheduled broadcast when it runs if its author lost the right to send it', async () => {
    await app.bot.services.users.makeStaff(3008, 3008, 'en', ADMIN, { roles: ['broadcaster'], regions: null, topics: null });
    await userModel(app.mongo).create({ telegramId: 3100, chatId: 3100, locale: 'en', region: 'abai' });
    const { id } = await app.bot.services.broadcasts.create({
      createdBy: 3008,
      staffChatId: 3008,
      staffLocale: 'en',
      texts: { en: 'Tomorrow the centre is closed.' },
      fallback: 'en',
      audience: { group: 'all', region: 'abai' },
      sendAt: new Date(Date.now() + 3_600_000),
    });
    const job = (app.delivery as RecordingDelivery).jobs.find((j) => j.broadcastId === id && j.chatId === 3100)!;
    const guard = deliveryGuards(app.bot.services).broadcast;
    expect(await guard(job)).toBe(true);
    // Narrowed to Astana: a broadcast to Abai is no longer theirs to send.
    await app.bot.services.staff.changeAccess(ADMIN, 3008, { roles: ['broadcaster'], regions: ['astana'], topics: null });
    expect(await guard(job)).toBe(false);
    expect(await broadcastModel(app.mongo).findById(id).lean()).toMatchObject({ status: 'cancelled' });
    const denied = await auditOf(app, 3008, 'access.denied');
    expect(denied.some((d) => d.target === `broadcast:${id}`)).toBe(true);
  });
});
