// A member withdrawn by one admin (here from another process, as `npm run staff -- revoke` does)
// while another admin changes the same member's regions: whichever way the two interleave, the
// member must end up without access, in MongoDB and in the Redis copy every update reads.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { connectMongo } from '../../src/db/connect.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { createLogger } from '../../src/logger.js';
import { createServices, type Services } from '../../src/services/index.js';
import { userModel } from '../../src/db/models/user.js';
import type { Access } from '../../src/app/access.js';
import { auditOf } from '../access/helpers.js';
import { untilDoneOrWaiting, watchLock } from '../support/lock-watch.js';

const ADMIN = 3300;
const OTHER_ADMIN = 3301;
const reviewerIn = (regions: string[] | null): Access => ({ roles: ['reviewer'], regions, topics: null });
const DENIED = 'You do not have access to this.';

describe('a revoke and another admin\'s change of the same member at once', () => {
  let app: TestApp;
  let otherRedis: Redis;
  let otherMongo: Connection;
  /** The services of another process, on connections of their own. */
  let other: Services;
  const undo: Array<() => void> = [];

  beforeAll(async () => {
    app = await createSceneHarness('staff_revoke_race', { adminIds: [ADMIN, OTHER_ADMIN] });
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
  afterEach(() => {
    for (const restore of undo.splice(0)) restore();
  });
  afterAll(async () => {
    otherRedis?.disconnect();
    await otherMongo?.close();
    await app?.close();
  });

  async function member(id: number): Promise<void> {
    await onboard(app, id);
    await app.bot.services.users.makeStaff(id, id, 'en', ADMIN, reviewerIn(null));
  }

  async function expectWithdrawn(id: number): Promise<void> {
    expect(await other.access.fromDatabase(id)).toBeNull();
    // What the bot reads on the member's next update: the Redis copy.
    expect(await app.bot.services.access.get(id)).toBeNull();
    app.drain(id);
    await app.send(app.api.callback(id, 'm:grant-review', undefined, { enqueue: false }));
    expect(app.drain(id).join('\n')).toContain(DENIED);
  }

  it('the revoke landing between the change written to MongoDB and its copy written to Redis', async () => {
    const id = 3401;
    await member(id);
    const users = userModel(app.mongo);
    const original = users.updateOne.bind(users);
    let revoke: Promise<boolean> | undefined;
    const patched = async (...args: Parameters<typeof users.updateOne>) => {
      const [filter, update] = args as unknown as [Record<string, unknown>, { $set?: Record<string, unknown> }];
      const result = await original(...args);
      if (filter?.telegramId === id && update?.$set?.role === 'staff' && !revoke) {
        // The other admin's revoke runs now, start to end (or waits, if the change keeps it out).
        // The change holds the member's record lock here: every try to take it is the revoke's,
        // and the pause ends as soon as the revoke is seen waiting for it (lock-watch.ts), or is
        // done, or after 1.5 s as before.
        const watch = await watchLock(app.config.REDIS_URL, `${app.config.REDIS_PREFIX}:access-write:lock:${id}`);
        try {
          revoke = other.staff.revoke(OTHER_ADMIN, id);
          await untilDoneOrWaiting(revoke, watch, 1500);
        } finally {
          watch.stop();
        }
      }
      return result;
    };
    Object.assign(users, { updateOne: patched });
    undo.push(() => Object.assign(users, { updateOne: original }));
    await app.bot.services.staff.changeAccess(ADMIN, id, reviewerIn(['astana']));
    expect(revoke).toBeDefined();
    expect(await revoke).toBe(true);
    await expectWithdrawn(id);
  });

  it('the revoke landing between the change reading the member and writing the new access', async () => {
    const id = 3402;
    await member(id);
    const access = app.bot.services.access;
    const original = access.fromDatabase.bind(access);
    let revoked = false;
    access.fromDatabase = async (userId: number) => {
      const found = await original(userId);
      if (userId === id && !revoked) {
        revoked = true;
        expect(await other.staff.revoke(OTHER_ADMIN, id)).toBe(true);
      }
      return found;
    };
    undo.push(() => {
      access.fromDatabase = original;
    });
    expect(await app.bot.services.staff.changeAccess(ADMIN, id, reviewerIn(['astana']))).toBe('not-staff');
    await expectWithdrawn(id);
    // Nothing was changed, so no change is in the audit log after the revoke.
    expect((await auditOf(app, ADMIN, 'staff.access.change')).filter((a) => a.target === `user:${id}`)).toHaveLength(0);
  });
});
