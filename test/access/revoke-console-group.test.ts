// `npm run staff -- revoke` (the console way to withdraw access at once when someone leaves)
// takes the member out of the staff group as the Staff screen does, over the Bot API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { revokeInAnotherProcess } from './helpers.js';

const STAFF_CHAT = -1005550003333;
const ADMIN = 8850;
const OPERATOR = 8851;

describe('withdrawing access from the console', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('access_revoke_console', { adminIds: [ADMIN], env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' } });
    await onboard(app, OPERATOR);
    await app.bot.services.users.makeStaff(OPERATOR, OPERATOR, 'en', ADMIN, { roles: ['operator'], regions: null, topics: null });
  }, 60_000);
  afterAll(async () => app?.close());

  it('removes the member from the staff group, or says to do it by hand', async () => {
    const out = await revokeInAnotherProcess(app, OPERATOR, ADMIN);
    expect(out).toContain(`revoked ${OPERATOR}`);
    expect(out).toContain(`removed ${OPERATOR} from the staff group`);
    expect(app.api.removedMembers(STAFF_CHAT)).toEqual([{ userId: OPERATOR, banned: true }]);
    // Given back and taken again while the bot may not ban there.
    await app.bot.services.users.makeStaff(OPERATOR, OPERATOR, 'en', ADMIN, { roles: ['operator'], regions: null, topics: null });
    app.api.failNext('banChatMember', 400, 'Bad Request: not enough rights to restrict/ban chat member');
    expect(await revokeInAnotherProcess(app, OPERATOR, ADMIN)).toContain('remove them by hand');
  });

  it('run again after a first run that stopped past the withdrawal: the member is taken out of the group all the same', async () => {
    await app.bot.services.users.makeStaff(OPERATOR, OPERATOR, 'en', ADMIN, { roles: ['operator'], regions: null, topics: null });
    // The first run withdrew the access, then the database (the audit write) or the process stopped.
    expect(await app.bot.services.users.revokeStaff(OPERATOR)).toBe(true);
    // Let back in when given access again (as a redeemed invitation does).
    await app.bot.runtime.api.call('unbanChatMember', { chat_id: STAFF_CHAT, user_id: OPERATOR, only_if_banned: true });
    const banned = () => app.api.removedMembers(STAFF_CHAT).filter((m) => m.userId === OPERATOR).every((m) => m.banned);
    expect(banned()).toBe(false);
    const out = await revokeInAnotherProcess(app, OPERATOR, ADMIN);
    expect(out).toContain(`${OPERATOR} had no staff access`);
    expect(out).toContain(`removed ${OPERATOR} from the staff group`);
    expect(banned()).toBe(true);
  });
});
