// Scoped roles as an admin gives and changes them on the Staff screens (not through the service):
// an invite link for a coordinator of one region, redeemed; then the role and the regions changed
// under "Staff, roles and regions", each change audited with before and after, and the member's
// Staff menu and scope following at once. A member without staff.manage cannot reach either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { auditOf } from './helpers.js';

const ADMIN = 7700;
const MEMBER = 7701;
const OUTSIDER = 7702;

describe('scoped roles on the Staff screens', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('staff_screens', { adminIds: [ADMIN] });
    for (const chat of [ADMIN, MEMBER, OUTSIDER]) await onboard(app, chat);
  }, 60_000);
  afterAll(async () => app?.close());

  const staffMenu = async (chat: number) => {
    await app.command(chat, 'menu');
    if (!app.last(chat).buttons.flat().some((b) => b.includes('Staff'))) return [];
    await app.tapLike(chat, 'Staff');
    return app.last(chat).buttons.flat();
  };

  it('invites a coordinator for one region, then changes the regions and the role, each change audited', async () => {
    await staffMenu(ADMIN);
    await app.tapLike(ADMIN, 'Invite a staff member');
    await app.tapLike(ADMIN, 'Volunteer coordinator');
    await app.tapLike(ADMIN, 'Astana');
    await app.tapLike(ADMIN, 'Done');
    const link = app.drain(ADMIN).find((t) => t.includes('?start='));
    expect(link).toContain('Volunteer coordinator · regions: Astana');
    const token = link!.match(/\?start=(inv_[\w-]+)/)![1]!;

    await app.command(MEMBER, 'start', token);
    expect(app.drain(MEMBER).join('\n')).toContain('You now have staff access: Volunteer coordinator · regions: Astana');
    expect(await app.bot.services.access.get(MEMBER)).toEqual({ roles: ['coordinator'], regions: ['astana'], topics: null });
    expect((await staffMenu(MEMBER)).join(' ')).toContain('Publish');

    // Regions: Astana → Karaganda.
    await staffMenu(ADMIN);
    await app.tapLike(ADMIN, 'Staff, roles and regions');
    await app.tapLike(ADMIN, `id ${MEMBER}`);
    await app.tapLike(ADMIN, 'Change the regions');
    await app.tapLike(ADMIN, 'Karaganda');
    await app.tapLike(ADMIN, 'Done');
    expect(app.drain(ADMIN).join('\n')).toContain(`Access of id ${MEMBER} is changed. Now: Volunteer coordinator · regions: Karaganda`);
    expect((await app.bot.services.access.get(MEMBER))?.regions).toEqual(['karaganda']);

    // Role: coordinator → reviewer, keeping the region.
    await staffMenu(ADMIN);
    await app.tapLike(ADMIN, 'Staff, roles and regions');
    await app.tapLike(ADMIN, `id ${MEMBER}`);
    await app.tapLike(ADMIN, 'Change the role');
    await app.tapLike(ADMIN, 'Reviewer of grant applications');
    expect(app.drain(ADMIN).join('\n')).toContain('Now: Reviewer of grant applications · regions: Karaganda');
    const menu = (await staffMenu(MEMBER)).join(' ');
    expect(menu).toContain('Review applications');
    expect(menu).not.toContain('Publish');

    const changes = await auditOf(app, ADMIN, 'staff.access.change');
    expect(changes.map((c) => c.details)).toEqual([
      expect.objectContaining({ from: expect.objectContaining({ roles: ['coordinator'], regions: ['karaganda'] }), to: expect.objectContaining({ roles: ['reviewer'], regions: ['karaganda'] }) }),
      expect.objectContaining({ from: expect.objectContaining({ regions: ['astana'] }), to: expect.objectContaining({ regions: ['karaganda'] }) }),
    ]);
    expect((await auditOf(app, ADMIN, 'staff.invite.create')).length).toBe(1);
  });

  it('refuses the Staff screens to a member without staff.manage, hand-made buttons included, and audits it', async () => {
    for (const entry of ['staff-invite', 'staff-list']) {
      app.drain(MEMBER);
      await app.send(app.api.callback(MEMBER, `m:${entry}`, undefined, { enqueue: false }));
      expect(app.drain(MEMBER).join('\n')).toContain('You do not have access to this.');
    }
    expect(await app.bot.services.staff.changeAccess(MEMBER, OUTSIDER, { roles: ['admin'], regions: null, topics: null })).toBe('denied');
    expect(await app.bot.services.access.get(OUTSIDER)).toBeNull();
    const denied = await auditOf(app, MEMBER, 'access.denied');
    expect(denied.map((d) => d.target)).toEqual(expect.arrayContaining(['menu:staff-invite', 'menu:staff-list', 'staff']));
  });
});
