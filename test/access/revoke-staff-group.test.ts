// Every citizen's question is posted in full in the staff group, so a member whose access is
// withdrawn must leave it too: before, they stayed and kept reading every new question (names,
// phone numbers, health details) until someone remembered to remove them by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';

const STAFF_CHAT = -1005550002222;
const ADMIN = 8800;
const OPERATOR = 8801;
const REVIEWER = 8802;
/** Staff first, then made an administrator in the bot's settings (ADMIN_IDS). */
const PROMOTED = 8803;

describe('withdrawing access takes the member out of the staff group', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('access_revoke_group', { adminIds: [ADMIN, PROMOTED], env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' } });
    for (const chat of [ADMIN, OPERATOR, REVIEWER, PROMOTED]) await onboard(app, chat);
    await app.bot.services.users.makeStaff(OPERATOR, OPERATOR, 'en', ADMIN, { roles: ['operator'], regions: null, topics: null });
    await app.bot.services.users.makeStaff(REVIEWER, REVIEWER, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    await app.bot.services.users.makeStaff(PROMOTED, PROMOTED, 'en', ADMIN, { roles: ['operator'], regions: null, topics: null });
  }, 60_000);
  afterAll(async () => app?.close());

  async function withdraw(member: number): Promise<string> {
    await app.send(app.api.callback(ADMIN, 'm:staff-list', undefined, { enqueue: false }));
    await app.tapLike(ADMIN, `id ${member}`);
    await app.tapLike(ADMIN, 'Withdraw access');
    app.drain(ADMIN);
    await app.tapLike(ADMIN, 'Yes, withdraw access');
    return app.drain(ADMIN).join('\n');
  }

  it('removes them from the group and keeps them out, and says so', async () => {
    const said = await withdraw(OPERATOR);
    expect(said).toContain(`Staff access of id ${OPERATOR} is withdrawn`);
    expect(said).toContain('also removed from the staff group');
    expect(app.api.removedMembers(STAFF_CHAT)).toEqual([{ userId: OPERATOR, banned: true }]);
    expect(await app.bot.services.access.get(OPERATOR)).toBeNull();
  });

  it('asks the admin to remove them by hand when the bot may not, and still withdraws the access', async () => {
    app.api.failNext('banChatMember', 400, 'Bad Request: not enough rights to restrict/ban chat member');
    const said = await withdraw(REVIEWER);
    expect(said).toContain(`Staff access of id ${REVIEWER} is withdrawn`);
    expect(said).toContain('could not remove them from the staff group');
    expect(await app.bot.services.access.get(REVIEWER)).toBeNull();
    expect(app.api.removedMembers(STAFF_CHAT).map((m) => m.userId)).not.toContain(REVIEWER);
  });

  it('invited again with a new link, they may be added to the group again', async () => {
    const invite = await app.bot.services.staff.createInvite(ADMIN, { role: 'operator', regions: null, topics: null });
    await app.command(OPERATOR, 'start', `inv_${invite!.token}`, 'en');
    expect(app.drain(OPERATOR).join('\n')).toContain('You now have staff access');
    expect(app.api.removedMembers(STAFF_CHAT)).toEqual([{ userId: OPERATOR, banned: false }]);
  });

  it('an administrator of the bot settings (ADMIN_IDS) stays in the group: their staff record goes, their rights stay', async () => {
    const said = await withdraw(PROMOTED);
    expect(said).toContain(`Staff access of id ${PROMOTED} is withdrawn`);
    expect(said).toContain('stays an administrator');
    expect(app.api.removedMembers(STAFF_CHAT).map((m) => m.userId)).not.toContain(PROMOTED);
    expect(await app.bot.services.access.get(PROMOTED)).not.toBeNull();
  });
});
