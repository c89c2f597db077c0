// The scene harness hands its database back emptied, and the next app skips the collection and
// index builds the database holds. What must not change: the next app starts from no records, and
// the unique indexes that settle races hold in it, also for a model the first app never compiled.
import { Schema } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { createSceneHarness, onboard } from './app-harness.js';

const DUPLICATE_KEY = 11000;

describe('the scene harness database pool', () => {
  it('gives the next app an emptied database whose unique indexes still hold', async () => {
    const first = await createSceneHarness('pool-first');
    await onboard(first, 101);
    expect(await first.mongo.collection('users').countDocuments()).toBe(1);
    await first.close();

    const next = await createSceneHarness('pool-next');
    try {
      expect(next.mongoUri, 'the database handed back is reused').toBe(first.mongoUri);
      const users = next.mongo.collection('users');
      expect(await users.countDocuments(), 'no record of the first app is left').toBe(0);
      await users.insertOne({ telegramId: 7, locale: 'en' });
      await expect(users.insertOne({ telegramId: 7, locale: 'ru' })).rejects.toMatchObject({ code: DUPLICATE_KEY });

      // A model this database never held builds its own collection and indexes as usual.
      const probe = next.mongo.model('PoolProbe', new Schema({ key: { type: String, unique: true } }));
      await probe.init();
      await probe.create({ key: 'a' });
      await expect(probe.create({ key: 'a' })).rejects.toMatchObject({ code: DUPLICATE_KEY });

      await onboard(next, 102);
      expect(next.last(102).text, 'the bot works on the reused database').toBeTruthy();
    } finally {
      await next.close();
    }
  });
});
