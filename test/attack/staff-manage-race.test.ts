// Two admins on "Staff, roles and regions" at once: one is choosing an operator's topics when the
// other makes that member a reviewer. Topics mean nothing for a reviewer, so the first change
// must not be stored (it would come back to life if the member were made an operator again) nor
// reported as made; the admin is told what the access is now.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';

const ADMIN = 8700;
const OTHER_ADMIN = 8701;
const MEMBER = 8702;

describe('staff screen: a change overtaken by another admin', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_staff_manage_race', { adminIds: [ADMIN, OTHER_ADMIN] });
    for (const chat of [ADMIN, MEMBER]) await onboard(app, chat);
    await app.bot.services.users.makeStaff(MEMBER, MEMBER, 'en', ADMIN, { roles: ['operator'], regions: ['astana'], topics: ['rehab'] });
  }, 60_000);
  afterAll(async () => app?.close());

  it('stores no topics on a member who stopped being an operator meanwhile, and says nothing was changed', async () => {
    await app.send(app.api.callback(ADMIN, 'm:staff-list', undefined, { enqueue: false }));
    await app.tapLike(ADMIN, `id ${MEMBER}`);
    await app.tapLike(ADMIN, 'Change the topics');
    await app.bot.services.staff.changeAccess(OTHER_ADMIN, MEMBER, { roles: ['reviewer'], regions: ['astana'], topics: null });
    await app.tapLike(ADMIN, 'Volunteering');
    app.drain(ADMIN);
    await app.tapLike(ADMIN, 'Done');
    const said = app.drain(ADMIN).join('\n');
    expect(said).not.toContain('is changed');
    expect(said).toContain('was changed by another administrator');
    expect(said).toContain('Now: Reviewer of grant applications · regions: Astana');

    expect(await app.bot.services.access.get(MEMBER)).toEqual({ roles: ['reviewer'], regions: ['astana'], topics: null });
    const record = await userModel(app.mongo).findOne({ telegramId: MEMBER }).lean();
    expect(record?.staffTopics).toBeUndefined();
  });

  it('keeps topics and regions off records where they mean nothing, whoever calls the service', async () => {
    const { staff, access } = app.bot.services;
    expect(await staff.changeAccess(ADMIN, MEMBER, { roles: ['reviewer'], regions: ['astana'], topics: ['grants'] })).toBe('changed');
    expect(await access.get(MEMBER)).toEqual({ roles: ['reviewer'], regions: ['astana'], topics: null });
    expect(await staff.changeAccess(ADMIN, MEMBER, { roles: ['admin'], regions: ['astana'], topics: ['grants'] })).toBe('changed');
    expect(await access.get(MEMBER)).toEqual({ roles: ['admin'], regions: null, topics: null });
  });
});
