// "Delete my data" (UsersService.erase) racing another writer of the same user record: the
// touch of an update, a language or region change, the volunteer flag, the blocked flag found by
// the delivery worker, an admin's revoke. FerretDB writes an update as the whole document it
// read a moment before; none of them may write the erased record back, in either order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { holdRow, testPostgresUrl, type RowHold } from '../support/row-hold.js';
import type { Access } from '../../src/app/access.js';
import { profile } from '../volunteer/helpers.js';

const ADMIN = 4800;
const reviewer: Access = { roles: ['reviewer'], regions: null, topics: null };

describe.skipIf(!testPostgresUrl())('attack: "Delete my data" racing another write of the user record', () => {
  let app: TestApp;
  let nextUpdate = 950_000;
  const services = () => app.bot.services;
  const users = () => app.mongo.db!.collection('users');

  beforeAll(async () => {
    app = await createSceneHarness('atk_erase_vs_writes', { adminIds: [ADMIN] });
  }, 60_000);
  afterAll(async () => app?.close());

  const hold = (id: number): Promise<RowHold> => holdRow(testPostgresUrl()!, app.mongo.db!.databaseName, 'users', 'telegramId', String(id));

  /** As revoke-vs-touch.test.ts: `first`'s read done and its write held, then `second` started. */
  async function race(id: number, first: () => Promise<unknown>, second: () => Promise<unknown>): Promise<void> {
    const row = await hold(id);
    let one: Promise<unknown> = Promise.resolve();
    let two: Promise<unknown> = Promise.resolve();
    try {
      one = first();
      expect(await row.untilWaiting(1, 10_000)).toBe(1);
      two = second();
      await row.untilWaiting(2, 1_500);
    } finally {
      await row.release();
    }
    await Promise.all([one, two]);
  }

  const meta = (id: number) => ({ updateId: (nextUpdate += 1), chatId: id, userId: id });

  const writers: Array<[string, (id: number) => Promise<unknown>]> = [
    ['the last-seen touch of an update (an upsert)', (id) => services().users.touch(meta(id), 'en')],
    ['a language change', (id) => services().users.setLocale(id, 'kk')],
    ['the region', (id) => services().users.setRegion(id, 'almaty')],
    ['announcements turned off', (id) => services().users.setAnnouncements(id, false)],
    ['the blocked flag found by chat (the delivery worker)', (id) => services().users.setBlockedByChat(id)],
    ['a volunteer pausing invitations (the volunteer flag)', (id) => services().volunteers.setPaused(id, true)],
    ['an admin\'s revoke', (id) => services().access.revoke(id)],
  ];

  async function member(id: number): Promise<void> {
    await onboard(app, id);
    await services().volunteers.register(id, id, 'en', profile());
    await services().users.makeStaff(id, id, 'en', ADMIN, reviewer);
    await services().users.setRegion(id, 'abai');
  }

  let serial = 4810;
  describe.each([
    ['the write first, the erasure while it is held', 'write-first'],
    ['the erasure first, the write while it is held', 'erase-first'],
  ] as const)('%s', (_title, order) => {
    it.each(writers)('%s: the record stays erased', async (_name, write) => {
      const id = (serial += 1);
      await member(id);
      const erase = () => services().users.erase(id);
      if (order === 'write-first') await race(id, () => write(id), erase);
      else await race(id, erase, () => write(id));
      expect(await users().findOne({ telegramId: id })).toBeNull();
      expect(await services().access.get(id)).toBeNull();
    });
  });
});
