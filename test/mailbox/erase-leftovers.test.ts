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
import { eraseChatLeftovers } from '../../src/app/erase-leftovers.js';
import { testRedisUrl } from '../support/isolation.js';
import { monitorRedis } from '../support/redis-monitor.js';

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

describe('"Delete my data" finds the person\'s dead letters without reading anyone else\'s', () => {
  const OTHERS = [531, 532, 533, 534, 535];
  const LEAVER = 530;

  /** Every Redis command (scripts' inner calls included) while `work` runs, as lower-case words. */
  async function commandsDuring(url: string, work: () => Promise<void>): Promise<string[][]> {
    const seen: string[][] = [];
    const monitor = await monitorRedis(url, (args) => seen.push(args.map((a) => a.toLowerCase())));
    try {
      await work();
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      monitor.stop();
    }
    return seen;
  }

  it('touches only the person\'s own entries and their index, and leaves the others whole', async () => {
    const a = await createTestApp('mailbox_erase_index', { features: [...FEATURES, mailboxTestFeature], mongoUri: database, keepDatabase: true });
    apps.push(a);
    for (const chat of [...OTHERS.slice(0, 2), LEAVER, ...OTHERS.slice(2)]) {
      await onboard(a, chat);
      await a.command(chat, 'broken');
      if (chat === LEAVER) await a.command(chat, 'broken');
      a.drain(chat);
    }
    expect(await a.bot.mailbox.deadLetters()).toHaveLength(OTHERS.length + 2);
    const prefix = `${a.config.REDIS_PREFIX}:chat`;
    const cipher = createDataCipher(a.config.DATA_KEY);
    let opened = 0;
    const counting = { ...cipher, decrypt: (sealed: string) => (opened++, cipher.decrypt(sealed)) };

    const seen = await commandsDuring(testRedisUrl(), () => eraseChatLeftovers(a.bot.mailbox, counting, LEAVER));
    const ours = seen.filter((args) => args.some((arg) => arg.startsWith(prefix.toLowerCase())));
    // The script's own calls are seen too: the letters went by the chat's numbers.
    expect(ours.filter((args) => args[0] === 'zrem')).toHaveLength(2);
    // No sealed update was opened to find out whose it is, and no command read a whole list of
    // dead letters or named another person's keys.
    expect(opened).toBe(0);
    expect(ours.filter((args) => ['lrange', 'hgetall', 'zrange', 'zrevrange'].includes(args[0]!))).toEqual([]);
    for (const other of OTHERS) expect(ours.filter((args) => args.some((arg) => arg.includes(`{${other}}`)))).toEqual([]);

    const left = await a.bot.mailbox.deadLetters();
    expect(left).toHaveLength(OTHERS.length);
    const chatsLeft = left.map((record) => (JSON.parse(cipher.decrypt(String(record.update))) as { message: { chat: { id: number } } }).message.chat.id);
    expect(chatsLeft.sort()).toEqual(OTHERS);
    // Nothing of theirs is left in the index either.
    expect(await a.redis.keys(`${prefix}:{${LEAVER}}:dead*`)).toEqual([]);
    expect(await a.bot.mailbox.forgetDeadLetters(LEAVER)).toBe(0);
  });

  it('dead letters kept by an earlier release in one list are sorted out once, then found like new ones', async () => {
    const a = await createTestApp('mailbox_erase_legacy', { features: [...FEATURES, mailboxTestFeature], mongoUri: database, keepDatabase: true });
    apps.push(a);
    for (const chat of [LEAVER, OTHERS[0]!, LEAVER]) {
      // Someone who picked a language before (an earlier test of this file, or the first round)
      // has it taken from their record: the picker shows only to the others.
      await a.command(chat, 'start');
      if (a.last(chat).buttons.flat().some((text) => text.includes('English'))) await a.tapLike(chat, 'English');
      await a.command(chat, 'broken');
      a.drain(chat);
    }
    // As the earlier release kept them: one list for everyone, newest first.
    const legacy = `${a.config.REDIS_PREFIX}:chat:dead`;
    const records = await a.bot.mailbox.deadLetters();
    expect(records).toHaveLength(3);
    for (const chat of [LEAVER, OTHERS[0]!]) await a.bot.mailbox.forgetDeadLetters(chat);
    await a.redis.rpush(legacy, ...records.map((record) => JSON.stringify(record)), JSON.stringify({ at: 'x', update: 'v1.sealed.with-another-key' }));
    expect(await a.bot.mailbox.deadLetters()).toHaveLength(4);

    await eraseChatLeftovers(a.bot.mailbox, createDataCipher(a.config.DATA_KEY), LEAVER);
    expect(await a.redis.exists(legacy)).toBe(0);
    const left = await a.bot.mailbox.deadLetters();
    // The other person's letter and the one nobody can open stay, in their order.
    expect(left).toEqual([records[1], { at: 'x', update: 'v1.sealed.with-another-key' }]);
    expect(await a.bot.mailbox.forgetDeadLetters(OTHERS[0]!)).toBe(1);
  });
});
