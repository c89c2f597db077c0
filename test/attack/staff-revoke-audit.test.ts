// Withdrawing a member's access writes the access, then the audit line. A failure in between (the
// database away a moment) was run again by the mailbox, or by the admin at the console: the
// second try found the member no longer staff and wrote no line, so the audit log never said who
// withdrew the access, or that it was withdrawn at all.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { runRepairs } from '../../src/app/repair-tick.js';
import { staffAdminFeature } from '../../src/features/staff-admin/index.js';
import { clock } from '../volunteer/helpers.js';

const ADMIN = 8870;
const OTHER_ADMIN = 8871;

describe('attack: withdrawing access run again after a failure between the access and its audit line', () => {
  let app: TestApp;
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  const staff = () => app.bot.services.staff;
  const revokeLines = (member: number) => app.bot.services.audit.recent(50, { action: 'staff.revoke', target: `user:${member}` });
  const makeStaff = (member: number) =>
    app.bot.services.users.makeStaff(member, member, 'en', ADMIN, { roles: ['operator'], regions: null, topics: null });
  /** The next audit line written fails, as a database going away right after the access was written. */
  const failNextAuditLine = () => vi.spyOn(app.bot.services.audit, 'record').mockImplementationOnce(async () => {
    throw new TransientError('database away');
  });

  beforeAll(async () => {
    app = await createSceneHarness('atk_staff_revoke_audit', { adminIds: [ADMIN, OTHER_ADMIN], now: time.now });
    for (const chat of [ADMIN, OTHER_ADMIN]) await onboard(app, chat);
  }, 60_000);
  afterAll(async () => app?.close());

  it('run again, the withdrawal writes its one audit line, in the name of the admin who withdrew', async () => {
    const member = 8880;
    await makeStaff(member);
    const fail = failNextAuditLine();
    await expect(staff().revoke(ADMIN, member)).rejects.toThrow('database away');
    fail.mockRestore();
    expect(await app.bot.services.access.get(member)).toBeNull();
    // The mailbox (or the admin at the console) runs it again: the member is no longer staff.
    await staff().revoke(ADMIN, member);
    await staff().revoke(ADMIN, member);
    const lines = await revokeLines(member);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ actorId: ADMIN, action: 'staff.revoke', target: `user:${member}` });
  });

  it('finished by another admin withdrawing the same member: still one line, in the first admin\'s name', async () => {
    const member = 8881;
    await makeStaff(member);
    const fail = failNextAuditLine();
    await expect(staff().revoke(ADMIN, member)).rejects.toThrow('database away');
    fail.mockRestore();
    expect(await staff().revoke(OTHER_ADMIN, member)).toBe(false);
    const lines = await revokeLines(member);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ actorId: ADMIN });
  });

  it('never run again: the repair pass writes the line, once, however often it runs', async () => {
    const member = 8882;
    await makeStaff(member);
    const fail = failNextAuditLine();
    await expect(staff().revoke(ADMIN, member)).rejects.toThrow('database away');
    fail.mockRestore();
    const at = time.now();
    try {
      time.advance(2 * 60_000);
      await Promise.all([runRepairs([staffAdminFeature], app.bot.deps), runRepairs([staffAdminFeature], app.bot.deps)]);
      await runRepairs([staffAdminFeature], app.bot.deps);
    } finally {
      time.set(at);
    }
    expect(await revokeLines(member)).toHaveLength(1);
    expect((await revokeLines(member))[0]).toMatchObject({ actorId: ADMIN });
  });

  it('a member invited again and withdrawn again: a line for each withdrawal, one each', async () => {
    const member = 8883;
    await makeStaff(member);
    expect(await staff().revoke(ADMIN, member)).toBe(true);
    await makeStaff(member);
    const fail = failNextAuditLine();
    await expect(staff().revoke(OTHER_ADMIN, member)).rejects.toThrow('database away');
    fail.mockRestore();
    await staff().revoke(OTHER_ADMIN, member);
    const lines = await revokeLines(member);
    expect(lines.map((l) => l.actorId).sort()).toEqual([ADMIN, OTHER_ADMIN]);
  });
});
