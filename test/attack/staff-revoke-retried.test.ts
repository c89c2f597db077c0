// "Yes, withdraw access" whose audit line the database dropped: the chat's mailbox runs the same
// update again. The first try had withdrawn the access, so the second found the member no longer
// staff, answered "has no staff access" and never took them out of the staff group, where they
// kept reading every citizen's question.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { TransientError } from '../../src/app/failure-kind.js';

const STAFF_CHAT = -1005550004444;
const ADMIN = 8860;
const OPERATOR = 8861;

describe('attack: withdrawing access, run again after the database dropped a write', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_staff_revoke_retried', {
      adminIds: [ADMIN],
      env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en', MAILBOX_RETRY_BASE_MS: '20', MAILBOX_RETRY_MAX_MS: '50' },
    });
    for (const chat of [ADMIN, OPERATOR]) await onboard(app, chat);
    await app.bot.services.users.makeStaff(OPERATOR, OPERATOR, 'en', ADMIN, { roles: ['operator'], regions: null, topics: null });
  }, 60_000);
  afterAll(async () => app?.close());

  it('the member is taken out of the staff group all the same', async () => {
    await app.send(app.api.callback(ADMIN, 'm:staff-list', undefined, { enqueue: false }));
    await app.tapLike(ADMIN, `id ${OPERATOR}`);
    await app.tapLike(ADMIN, 'Withdraw access');
    app.drain(ADMIN);
    const audit = vi.spyOn(app.bot.services.audit, 'record').mockImplementationOnce(async () => {
      throw new TransientError('database away');
    });
    const since = app.api.calls.length;
    await app.tapLike(ADMIN, 'Yes, withdraw access');
    await app.api.waitFor((call) => call.method === 'sendMessage' && Number(call.payload.chat_id) === ADMIN && String(call.payload.text ?? '').includes(`id ${OPERATOR}`), 10_000, since);
    audit.mockRestore();
    expect(await app.bot.services.access.get(OPERATOR)).toBeNull();
    expect(app.api.removedMembers(STAFF_CHAT)).toEqual([{ userId: OPERATOR, banned: true }]);
    const told = app.drain(ADMIN).join('\n');
    expect(told).toContain('also removed from the staff group');
    // The try run again finished this admin's withdrawal: told so, and its audit line written, once.
    expect(told).toContain(`Staff access of id ${OPERATOR} is withdrawn.`);
    expect(await app.bot.services.audit.recent(10, { action: 'staff.revoke', target: `user:${OPERATOR}` })).toMatchObject([{ actorId: ADMIN }]);
  }, 60_000);
});
