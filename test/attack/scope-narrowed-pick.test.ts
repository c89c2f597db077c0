// A list a staff member was shown before their regions were narrowed (in another process, by
// another admin) stays on screen: its buttons, or its numbers typed, must not open what the list
// offered outside the regions they have now.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { fillApplication, IIN, NOW, refIn } from '../grant/helpers.js';
import { auditOf } from '../access/helpers.js';

const ADMIN = 3000;
const KARAGANDA_NAME = 'Gulnara Karagandina';

describe('a pick from a list shown before the scope was narrowed', () => {
  let app: TestApp;
  let refs: { astana: string; karaganda: string };

  beforeAll(async () => {
    app = await createSceneHarness('scope_narrowed_pick', { now: () => NOW, adminIds: [ADMIN] });
    await onboard(app, 3101);
    await onboard(app, 3102);
    refs = {
      astana: refIn(await fillApplication(app, 3101, { iin: IIN.adultC, region: 'Астана' })),
      karaganda: refIn(await fillApplication(app, 3102, { iin: IIN.adultD, region: 'Караганда', name: KARAGANDA_NAME, phone: '+7 702 555 44 33' })),
    };
  }, 120_000);
  afterAll(async () => app?.close());

  async function reviewerAtTheList(id: number): Promise<void> {
    await onboard(app, id);
    await app.bot.services.users.makeStaff(id, id, 'en', ADMIN, { roles: ['reviewer'], regions: ['astana', 'karaganda'], topics: null });
    await app.command(id, 'menu');
    await app.tapLike(id, 'Staff');
    await app.tapLike(id, 'Review applications');
    await app.say(id, '1');
    await app.tapLike(id, 'All my regions');
    const list = app.last(id).buttons.flat().join(' ');
    expect(list).toContain(refs.karaganda);
    // Karaganda is taken from the reviewer while the list is on screen.
    expect(await app.bot.services.staff.changeAccess(ADMIN, id, { roles: ['reviewer'], regions: ['astana'], topics: null })).toBe('changed');
    app.drain(id);
  }

  async function expectNothingOfKaraganda(id: number): Promise<void> {
    const seen = app.drain(id).join('\n');
    expect(seen).not.toContain(KARAGANDA_NAME);
    expect(seen).not.toContain('555 44 33');
    expect(seen).toContain('has been withdrawn or changed, so this screen is closed');
    expect((await app.bot.sessions.peek(id))?.scene).toBeUndefined();
    const denied = await auditOf(app, id, 'access.denied');
    expect(denied.some((d) => d.target === 'scene:grant-review')).toBe(true);
    expect((await app.bot.services.grants.get(refs.karaganda))?.status).toBe('submitted');
  }

  it("a reviewer narrowed to Astana tapping the Karaganda application on the old list does not see the applicant's details", async () => {
    const id = 3201;
    await reviewerAtTheList(id);
    await app.tapLike(id, refs.karaganda);
    await expectNothingOfKaraganda(id);
  });

  it('nor by typing its number from the old list', async () => {
    const id = 3202;
    await reviewerAtTheList(id);
    // The list is sorted by date: Astana's application came first, Karaganda's second.
    await app.say(id, '2');
    await expectNothingOfKaraganda(id);
  });

  it('a coordinator narrowed to Astana picking the Karaganda mission on the old list is taken out before its actions are offered', async () => {
    const id = 3301;
    const { missions } = app.bot.services;
    const base = { description: 'Helping at the city festival for families.', area: 'sport-events', place: 'Central park', durationHours: 3, slots: 5, skills: [] };
    const startsAt = new Date(NOW.getTime() + 3 * 24 * 3600 * 1000);
    await missions.publish({ ...base, title: 'Astana festival', region: 'astana', startsAt }, ADMIN);
    await missions.publish({ ...base, title: 'Karaganda festival', region: 'karaganda', startsAt }, ADMIN);
    await onboard(app, id);
    await app.bot.services.users.makeStaff(id, id, 'en', ADMIN, { roles: ['coordinator'], regions: ['astana', 'karaganda'], topics: null });
    await app.send(app.api.callback(id, 'm:mission-manage', undefined, { enqueue: false }));
    expect(app.last(id).buttons.flat().join(' ')).toContain('Karaganda festival');
    expect(await app.bot.services.staff.changeAccess(ADMIN, id, { roles: ['coordinator'], regions: ['astana'], topics: null })).toBe('changed');
    app.drain(id);
    await app.tapLike(id, 'Karaganda festival');
    const seen = app.drain(id).join('\n');
    expect(seen).toContain('has been withdrawn or changed, so this screen is closed');
    expect((await app.bot.sessions.peek(id))?.scene).toBeUndefined();
    expect((await auditOf(app, id, 'access.denied')).some((d) => d.target === 'scene:mission-manage')).toBe(true);
  });

  it('the application of a region still held opens as before', async () => {
    const id = 3203;
    await reviewerAtTheList(id);
    await app.tapLike(id, refs.astana);
    const seen = app.drain(id).join('\n');
    expect(seen).toContain('Aliya Sarsenbayeva');
    expect((await app.bot.sessions.peek(id))?.scene?.step).toBe('action');
  });
});
