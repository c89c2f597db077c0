// "Delete my data" and what the chat mailbox keeps of a person beside their session: an update
// that failed (a dead letter: the update sealed, as they typed it, an IIN perhaps) and a session
// set aside because it could not be read (a half-filled form). Both are theirs and both go; the
// dead letters of other people stay for staff.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/features/index.js';
import { createTestApp, dropTestDatabase, onboard, type TestApp } from '../support/app-harness.js';
import { testMongoUri } from '../support/isolation.js';
import { mailboxTestFeature } from './features.js';
import { createDataCipher } from '../../src/security/crypto.js';

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});
const database = testMongoUri('mailbox_erase');
afterAll(() => dropTestDatabase(database));

const LEAVING = 521;
const STAYING = 522;

describe('"Delete my data" reaches what the mailbox set aside', () => {
  it('removes the person\'s dead letters and set-aside sessions, and keeps other people\'s dead letters', async () => {
    const a = await createTestApp('mailbox_erase_leftovers', { features: [...FEATURES, mailboxTestFeature], mongoUri: database, keepDatabase: true });
    apps.push(a);
    for (const chat of [LEAVING, STAYING]) {
      await onboard(a, chat);
      await a.command(chat, 'broken');
      a.drain(chat);
    }
    expect(await a.bot.mailbox.deadLetters()).toHaveLength(2);
    // A session that cannot be read (a changed key, a corrupt write) is set aside, still sealed.
    await a.redis.set(`${a.config.REDIS_PREFIX}:chat:{${LEAVING}}:sess`, 'v1.not-a-sealed-session');
    await a.command(LEAVING, 'menu', undefined, 'en');
    await a.tapLike(LEAVING, 'English');
    a.drain(LEAVING);
    expect(await a.redis.keys(`${a.config.REDIS_PREFIX}:chat:{${LEAVING}}:bad:*`)).toHaveLength(1);

    await a.command(LEAVING, 'mydata');
    await a.tapLike(LEAVING, 'Delete all my data');
    await a.tapLike(LEAVING, 'Yes, delete everything');
    expect(a.drain(LEAVING).join('\n')).toContain('your data has been deleted');

    expect(await a.redis.keys(`${a.config.REDIS_PREFIX}:chat:{${LEAVING}}:bad*`)).toEqual([]);
    const left = await a.bot.mailbox.deadLetters();
    expect(left).toHaveLength(1);
    const update = JSON.parse(createDataCipher(a.config.DATA_KEY).decrypt(String(left[0]!.update))) as { message?: { chat?: { id?: number } } };
    expect(update.message?.chat?.id).toBe(STAYING);
  });
});
