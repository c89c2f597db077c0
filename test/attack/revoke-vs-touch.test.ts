// A member's own writes to their user record (the last-seen touch of an update, a language
// change, the blocked flag, the region) racing an admin's revoke or grant of the same record.
// FerretDB writes an update as the whole document it read a moment before, so a write of another
// field whose read came before the revoke's write would put `role: 'staff'` back: every one of
// these writes takes the record lock the access writes take (services/user-record-lock.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { holdRow, testPostgresUrl, type RowHold } from '../support/row-hold.js';
import { raceOnHeldRow } from '../support/lock-watch.js';
import { testRedisUrl } from '../support/isolation.js';
import { userRecordLock } from '../../src/services/user-record-lock.js';
import type { Access } from '../../src/app/access.js';
import { profile } from '../volunteer/helpers.js';

const ADMIN = 4400;
const reviewer: Access = { roles: ['reviewer'], regions: null, topics: null };

describe.skipIf(!testPostgresUrl())('attack: a member\'s own record writes racing a revoke or a grant', () => {
  let app: TestApp;
  let nextUpdate = 900_000;
  /** The bot's clock: moved on to make an update touch the record again (it does so every few hours). */
  let clock = Date.now();
  const services = () => app.bot.services;

  beforeAll(async () => {
    app = await createSceneHarness('atk_revoke_vs_touch', { adminIds: [ADMIN], now: () => new Date(clock) });
  }, 60_000);
  afterAll(async () => app?.close());

  async function staffMember(id: number): Promise<void> {
    await onboard(app, id);
    await services().users.makeStaff(id, id, 'en', ADMIN, reviewer);
    expect(await services().access.fromDatabase(id)).not.toBeNull();
  }

  const hold = (id: number): Promise<RowHold> => holdRow(testPostgresUrl()!, app.mongo.db!.databaseName, 'users', 'telegramId', String(id));

  /**
   * `first` is started with the member's row held, so its read is done and its write waits; then
   * `second`, whose read (unless it waits for `first` to finish) comes before that write too.
   */
  async function race(id: number, first: () => Promise<unknown>, second: () => Promise<unknown>): Promise<void> {
    const lockKey = `${app.config.REDIS_PREFIX}:access-write:lock:${id}`;
    await raceOnHeldRow(await hold(id), { redisUrl: testRedisUrl(), lockKey, first, second, letGoMs: 1_000 });
  }

  const meta = (id: number) => ({ updateId: (nextUpdate += 1), chatId: id, userId: id });

  const writers: Array<[string, (id: number) => Promise<unknown>]> = [
    ['the last-seen touch of an update', (id) => services().users.touch(meta(id), 'en')],
    ['a language change', (id) => services().users.setLocale(id, 'kk')],
    ['the blocked flag (Telegram answered 403)', (id) => services().users.setBlocked(id, true)],
    ['the blocked flag found by chat (the delivery worker)', (id) => services().users.setBlockedByChat(id)],
    ['the region', (id) => services().users.setRegion(id, 'almaty')],
    ['announcements turned off', (id) => services().users.setAnnouncements(id, false)],
  ];

  let serial = 4500;
  it.each(writers)('a revoke and %s at once: the revoke stands', async (_name, write) => {
    const id = (serial += 1);
    await staffMember(id);
    await race(id, () => services().access.revoke(id), () => write(id));
    expect(await services().access.fromDatabase(id)).toBeNull();
    const record = await app.mongo.db!.collection('users').findOne({ telegramId: id });
    expect(record?.role).toBe('citizen');
    expect(record).not.toHaveProperty('staffRoles');
  });

  it('a revoke and a volunteer\'s move to another region (kept on the user record for announcements) at once: the revoke stands', async () => {
    const id = 4604;
    await staffMember(id);
    await services().volunteers.register(id, id, 'en', profile());
    await race(id, () => services().access.revoke(id), () => services().volunteers.updateField(id, 'region', 'almaty'));
    const record = await app.mongo.db!.collection('users').findOne({ telegramId: id });
    expect(record).toMatchObject({ role: 'citizen', region: 'almaty' });
  });

  it('a grant and the touch at once: the grant stands', async () => {
    const id = 4601;
    await onboard(app, id);
    await race(id, () => services().users.makeStaff(id, id, 'en', ADMIN, reviewer), () => services().users.touch(meta(id), 'en'));
    expect(await services().access.fromDatabase(id)).toMatchObject({ roles: ['reviewer'] });
  });

  it('a revoke and the member\'s own update picking a language at once: the revoke stands, and so does the language', async () => {
    const id = 4602;
    await staffMember(id);
    await app.command(id, 'language');
    app.drain(id);
    await race(id, () => services().access.revoke(id), () => app.tapLike(id, 'Русский'));
    expect(app.drain(id).length).toBeGreaterThan(0);
    const record = await app.mongo.db!.collection('users').findOne({ telegramId: id });
    expect(record).toMatchObject({ role: 'citizen', locale: 'ru' });
    expect(await services().access.get(id)).toBeNull();
  });

  it('the record held by another writer for long: the member\'s update is still answered, and the touch is done by a later one', async () => {
    const id = 4603;
    await onboard(app, id);
    await app.mongo.db!.collection('users').updateOne({ telegramId: id }, { $set: { blocked: true, lastSeenAt: new Date(0) } });
    // A day later: this update touches the record again.
    clock += 24 * 60 * 60 * 1000;
    const lock = userRecordLock(app.bot.deps);
    await lock.run(String(id), async () => {
      await app.command(id, 'help');
      expect(app.drain(id).length).toBeGreaterThan(0);
    });
    expect(await app.mongo.db!.collection('users').findOne({ telegramId: id })).toMatchObject({ blocked: true });
    await app.command(id, 'help');
    expect(app.drain(id).length).toBeGreaterThan(0);
    expect(await app.mongo.db!.collection('users').findOne({ telegramId: id })).toMatchObject({ blocked: false });
  }, 30_000);
});
