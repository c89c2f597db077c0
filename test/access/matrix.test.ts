// Every staff button walked as a citizen, as each role and scope, as a legacy staff record and as
// a revoked member, against the real Redis and FerretDB: what each one sees in the Staff menu,
// what a hand-made button does, and what happens to a screen left open when access goes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';
import type { Access } from '../../src/app/access.js';
import { exportedFile, fillApplication, IIN, NOW, parseCsv, refIn } from '../grant/helpers.js';
import { iq } from '../../src/features/inquiries/callbacks.js';
import { auditOf } from './helpers.js';

const ADMIN = 1000;
const DENIED = 'You do not have access to this.';
const STAFF_ENTRIES = [
  'grant-review',
  'grant-export',
  'mission-create',
  'mission-manage',
  'broadcast-compose',
  'broadcast-history',
  'staff-invite',
  'staff-list',
  'rehab-figures',
  'inquiry-queue',
  'inquiry-figures',
] as const;
type EntryId = (typeof STAFF_ENTRIES)[number];

interface Persona {
  name: string;
  id: number;
  /** How the persona comes to be (after onboarding in English). */
  access?: Access | 'legacy' | 'revoked';
  /** Written by hand from the role table in issue 10, not computed from the code under test. */
  sees: EntryId[];
}

// Figures (centres, questions) are for every staff member; the question queue for operators.
const FIGURES: EntryId[] = ['rehab-figures', 'inquiry-figures'];
const REVIEW: EntryId[] = ['grant-review', 'grant-export', ...FIGURES];
const MISSIONS: EntryId[] = ['mission-create', 'mission-manage', ...FIGURES];
const BROADCASTS: EntryId[] = ['broadcast-compose', 'broadcast-history', ...FIGURES];

const PERSONAS: Persona[] = [
  { name: 'citizen', id: 1001, sees: [] },
  { name: 'admin from ADMIN_IDS', id: ADMIN, sees: [...STAFF_ENTRIES] },
  { name: 'invited admin', id: 1002, access: { roles: ['admin'], regions: null, topics: null }, sees: [...STAFF_ENTRIES] },
  { name: 'reviewer, all regions', id: 1003, access: { roles: ['reviewer'], regions: null, topics: null }, sees: REVIEW },
  { name: 'reviewer, Astana only', id: 1004, access: { roles: ['reviewer'], regions: ['astana'], topics: null }, sees: REVIEW },
  { name: 'coordinator, Astana only', id: 1005, access: { roles: ['coordinator'], regions: ['astana'], topics: null }, sees: MISSIONS },
  { name: 'broadcaster, all regions', id: 1006, access: { roles: ['broadcaster'], regions: null, topics: null }, sees: BROADCASTS },
  { name: 'broadcaster, Astana only', id: 1007, access: { roles: ['broadcaster'], regions: ['astana'], topics: null }, sees: BROADCASTS },
  { name: 'operator, grants topic', id: 1008, access: { roles: ['operator'], regions: null, topics: ['grants'] }, sees: ['inquiry-queue', ...FIGURES] },
  {
    name: 'staff record from before roles (legacy)',
    id: 1009,
    access: 'legacy',
    sees: ['grant-review', 'grant-export', 'mission-create', 'mission-manage', 'broadcast-compose', 'broadcast-history', 'inquiry-queue', ...FIGURES],
  },
  { name: 'revoked member', id: 1010, access: 'revoked', sees: [] },
];

describe('staff access matrix', () => {
  let app: TestApp;
  let labels: Map<string, EntryId>;
  let refs: { astana: string; karaganda: string };

  async function setUp(p: Persona): Promise<void> {
    await onboard(app, p.id);
    const { users, staff } = app.bot.services;
    if (p.access === 'legacy') {
      // As a record written before this release; the cache starts empty after a deploy.
      await userModel(app.mongo).updateOne({ telegramId: p.id }, { $set: { role: 'staff', staffSince: NOW, invitedBy: ADMIN } });
      await app.redis.del(app.bot.services.access.key(p.id));
    } else if (p.access === 'revoked') {
      await users.makeStaff(p.id, p.id, 'en', ADMIN, { roles: ['reviewer', 'coordinator', 'broadcaster'], regions: null, topics: null });
      expect(await staff.revoke(ADMIN, p.id)).toBe(true);
    } else if (p.access) {
      await users.makeStaff(p.id, p.id, 'en', ADMIN, p.access);
    }
  }

  beforeAll(async () => {
    app = await createSceneHarness('access_matrix', { now: () => NOW, adminIds: [ADMIN] });
    const t = app.bot.i18n.t('en');
    labels = new Map(app.bot.registry.staffMenu.map((e) => [t(e.labelKey), e.id as EntryId]));
    await onboard(app, 2001);
    await onboard(app, 2002);
    refs = {
      astana: refIn(await fillApplication(app, 2001, { iin: IIN.adultC, region: 'Астана' })),
      karaganda: refIn(await fillApplication(app, 2002, { iin: IIN.adultD, region: 'Караганда' })),
    };
    for (const p of PERSONAS) await setUp(p);
  }, 120_000);
  afterAll(async () => app?.close());

  async function staffMenuOf(id: number): Promise<EntryId[]> {
    await app.command(id, 'menu');
    const main = app.last(id).buttons.flat();
    if (!main.some((b) => b.includes('Staff'))) return [];
    await app.tapLike(id, 'Staff');
    const shown = app.last(id).buttons.flat().map((b) => b.replace(/^\d+\.\s*/, ''));
    app.drain(id);
    return shown.flatMap((label) => (labels.has(label) ? [labels.get(label)!] : []));
  }

  it.each(PERSONAS.map((p) => [p.name, p] as const))('shows %s exactly the staff entries of their roles', async (_name, p) => {
    expect((await staffMenuOf(p.id)).sort()).toEqual([...p.sees].sort());
  });

  it.each(PERSONAS.map((p) => [p.name, p] as const))('refuses %s every hand-made staff button outside their roles, and audits it', async (_name, p) => {
    for (const entry of STAFF_ENTRIES) {
      app.drain(p.id);
      await app.send(app.api.callback(p.id, `m:${entry}`, undefined, { enqueue: false }));
      const texts = app.drain(p.id).join('\n');
      if (p.sees.includes(entry)) {
        expect(texts, `${p.name} → ${entry}`).not.toContain(DENIED);
        expect(texts, `${p.name} → ${entry}`).not.toContain('This is only for staff');
      } else {
        expect(texts, `${p.name} → ${entry}`).toContain(DENIED);
        const denied = await auditOf(app, p.id, 'access.denied');
        expect(denied.some((d) => d.target === `menu:${entry}`), `${p.name} → ${entry} audited`).toBe(true);
      }
      await app.command(p.id, 'cancel');
    }
  });

  it.each(PERSONAS.map((p) => [p.name, p] as const))('lets %s use the Cancel button of an announcement only as a broadcaster', async (_name, p) => {
    const before = app.api.callsOf('answerCallbackQuery').length;
    await app.send(app.api.callback(p.id, 'bc:cancel:0123456789abcdef01234567', undefined, { enqueue: false }));
    const toast = String(app.api.callsOf('answerCallbackQuery').slice(before).at(-1)?.payload.text ?? '');
    if (p.sees.includes('broadcast-compose')) expect(toast).not.toContain(DENIED);
    else expect(toast).toContain(DENIED);
  });

  // A question about grants from Astana; only those who answer that topic may touch it.
  const ANSWERS_GRANTS = new Set(['admin from ADMIN_IDS', 'invited admin', 'operator, grants topic', 'staff record from before roles (legacy)']);
  it.each(PERSONAS.map((p) => [p.name, p] as const))('lets %s use the staff buttons of a citizen question only when answering its topic', async (_name, p) => {
    const created = await app.bot.services.inquiries.create({
      submissionKey: `matrix-${p.id}`, userId: 20_000 + p.id, chatId: 20_000 + p.id, locale: 'en', topic: 'grants', region: 'astana', text: 'When will my grant be decided?',
    });
    if (created.result !== 'created') throw new Error(`no question: ${created.result}`);
    const ref = created.ref;
    const tap = async (data: string) => {
      app.drain(p.id);
      const before = app.api.callsOf('answerCallbackQuery').length;
      await app.send(app.api.callback(p.id, data, undefined, { enqueue: false }));
      const toast = String(app.api.callsOf('answerCallbackQuery').slice(before).at(-1)?.payload.text ?? '');
      const seen = [...app.drain(p.id), toast].join('\n');
      await app.command(p.id, 'cancel');
      return seen;
    };
    const deniedBefore = (await auditOf(app, p.id, 'access.denied')).length;
    const view = await tap(iq.staff('view', ref));
    if (ANSWERS_GRANTS.has(p.name)) {
      expect(view, p.name).toContain(ref);
      expect(view, p.name).toContain('When will my grant be decided?');
      return;
    }
    expect(view, p.name).not.toContain('When will my grant be decided?');
    for (const action of ['faq', 'close', 'reply'] as const) {
      const seen = await tap(iq.staff(action, ref));
      expect(seen, `${p.name} → ${action}`).not.toContain('When will my grant be decided?');
    }
    // Nothing changed, and each refusal is in the audit log.
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('open');
    const all = await auditOf(app, p.id, 'access.denied');
    const refusals = all.slice(0, all.length - deniedBefore);
    expect(refusals.length, p.name).toBeGreaterThanOrEqual(4);
    const figures = await tap(iq.figures(7));
    if (p.sees.length === 0) expect(figures).not.toMatch(/\d+ questions?/i);
  });

  it('shows a reviewer for Astana only Astana: the region choice, the list and the CSV export', async () => {
    const id = 1004;
    await app.command(id, 'menu');
    await app.tapLike(id, 'Staff');
    await app.tapLike(id, 'Review applications');
    await app.say(id, '1');
    const regionButtons = app.last(id).buttons.flat();
    expect(regionButtons.some((b) => b.includes('All my regions'))).toBe(true);
    expect(regionButtons.some((b) => b.includes('Astana'))).toBe(true);
    expect(regionButtons.some((b) => b.includes('Karaganda'))).toBe(false);
    // Typing a region outside the scope is not an option either.
    await app.say(id, 'Караганда');
    expect(app.last(id).buttons.flat().some((b) => b.includes(refs.karaganda))).toBe(false);
    await app.tapLike(id, 'All my regions');
    const list = app.last(id).buttons.flat().join(' ');
    expect(list).toContain(refs.astana);
    expect(list).not.toContain(refs.karaganda);
    await app.command(id, 'cancel');
    const { file } = await exportedFile(app, id, () => app.send(app.api.callback(id, 'm:grant-export', undefined, { enqueue: false })));
    const rows = parseCsv(file.document!.content.slice(1)).slice(1);
    expect(rows.map((r) => r[0])).toEqual([refs.astana]);
  });

  it('takes a reviewer out of an application whose region was taken from them, at the next input', async () => {
    const id = 1020;
    await onboard(app, id);
    await app.bot.services.users.makeStaff(id, id, 'en', ADMIN, { roles: ['reviewer'], regions: ['astana', 'karaganda'], topics: null });
    await app.command(id, 'menu');
    await app.tapLike(id, 'Staff');
    await app.tapLike(id, 'Review applications');
    await app.say(id, '1');
    await app.tapLike(id, 'All my regions');
    await app.tapLike(id, refs.karaganda);
    app.drain(id);
    expect(await app.bot.services.staff.changeAccess(ADMIN, id, { roles: ['reviewer'], regions: ['astana'], topics: null })).toBe('changed');
    await app.say(id, '1');
    expect(app.drain(id).join('\n')).toContain('Your access to "Application review" has been withdrawn or changed');
    expect((await app.bot.services.grants.get(refs.karaganda))?.status).toBe('submitted');
    const change = await auditOf(app, ADMIN, 'staff.access.change');
    expect(change.at(0)?.details).toMatchObject({ from: { regions: ['astana', 'karaganda'] }, to: { regions: ['astana'] } });
  });

  it('offers a coordinator and a broadcaster for Astana only Astana', async () => {
    await app.send(app.api.callback(1005, 'm:mission-create', undefined, { enqueue: false }));
    await app.say(1005, 'Tree planting');
    await app.say(1005, 'Planting trees along the river embankment with the neighbours.');
    await app.say(1005, '1');
    const regions = app.last(1005).buttons.flat().join(' ');
    expect(regions).toContain('Astana');
    expect(regions).not.toContain('Karaganda');
    await app.command(1005, 'cancel');
    // Announcement: one language, its text, everyone → the region question.
    await app.send(app.api.callback(1007, 'm:broadcast-compose', undefined, { enqueue: false }));
    await app.say(1007, '3');
    await app.tapLike(1007, 'Done');
    await app.say(1007, 'The centre in Astana is closed tomorrow for maintenance.');
    await app.say(1007, '1');
    expect(app.last(1007).text).toContain('Which of your regions should get it?');
    const broadcastRegions = app.last(1007).buttons.flat();
    expect(broadcastRegions.some((b) => b.includes('Astana'))).toBe(true);
    expect(broadcastRegions.some((b) => b.includes('Karaganda') || b.includes('All regions'))).toBe(false);
    await app.command(1007, 'cancel');
  });

  it('shows a coordinator for Astana only the missions of Astana, and their rosters', async () => {
    const { missions } = app.bot.services;
    const base = { description: 'Helping at the city festival for families.', area: 'sport-events', place: 'Central park', durationHours: 3, slots: 5, skills: [] };
    const startsAt = new Date(NOW.getTime() + 3 * 24 * 3600 * 1000);
    await missions.publish({ ...base, title: 'Astana festival', region: 'astana', startsAt }, ADMIN);
    await missions.publish({ ...base, title: 'Karaganda festival', region: 'karaganda', startsAt }, ADMIN);
    await app.send(app.api.callback(1005, 'm:mission-manage', undefined, { enqueue: false }));
    const list = app.last(1005).buttons.flat().join(' ');
    expect(list).toContain('Astana festival');
    expect(list).not.toContain('Karaganda festival');
    await app.command(1005, 'cancel');
    // An unlimited coordinator (the legacy record) sees both.
    await app.send(app.api.callback(1009, 'm:mission-manage', undefined, { enqueue: false }));
    const all = app.last(1009).buttons.flat().join(' ');
    expect(all).toContain('Astana festival');
    expect(all).toContain('Karaganda festival');
    await app.command(1009, 'cancel');
  });

  // Each staff screen, opened by a member who then loses the role: the next input takes them out.
  const SCREENS: Array<{ entry: EntryId; title: string; access: Access }> = [
    { entry: 'grant-review', title: 'Application review', access: { roles: ['reviewer'], regions: null, topics: null } },
    { entry: 'mission-create', title: '', access: { roles: ['coordinator'], regions: null, topics: null } },
    { entry: 'broadcast-compose', title: '', access: { roles: ['broadcaster'], regions: null, topics: null } },
    { entry: 'staff-invite', title: 'Staff invite', access: { roles: ['admin'], regions: null, topics: null } },
    { entry: 'staff-list', title: 'Staff, roles and regions', access: { roles: ['admin'], regions: null, topics: null } },
    { entry: 'grant-export', title: '', access: { roles: ['admin'], regions: null, topics: null } },
    { entry: 'mission-manage', title: '', access: { roles: ['coordinator'], regions: null, topics: null } },
  ];
  it.each(SCREENS.map((s, i) => [s.entry, s, i] as const))('closes %s at the next input after the access is withdrawn', async (_entry, screen, i) => {
    const id = 1100 + i;
    await onboard(app, id);
    await app.bot.services.users.makeStaff(id, id, 'en', ADMIN, screen.access);
    await app.send(app.api.callback(id, `m:${screen.entry}`, undefined, { enqueue: false }));
    const open = await app.bot.sessions.peek(id);
    expect(open?.scene).toBeDefined();
    await app.bot.services.staff.revoke(ADMIN, id);
    app.drain(id);
    await app.say(id, '1');
    const texts = app.drain(id).join('\n');
    expect(texts).toContain('has been withdrawn or changed, so this screen is closed');
    if (screen.title) expect(texts).toContain(`"${screen.title}"`);
    expect((await app.bot.sessions.peek(id))?.scene).toBeUndefined();
    const denied = await auditOf(app, id, 'access.denied');
    expect(denied.some((d) => String(d.target).startsWith('scene:'))).toBe(true);
  });

  it("takes an operator out of an answer being typed when the question's topic is taken from them, and sends nothing", async () => {
    const id = 1200;
    await onboard(app, id);
    await app.bot.services.users.makeStaff(id, id, 'en', ADMIN, { roles: ['operator'], regions: null, topics: ['grants', 'rehab'] });
    const created = await app.bot.services.inquiries.create({
      submissionKey: 'matrix-reply', userId: 2100, chatId: 2100, locale: 'en', topic: 'grants', text: 'Is my application complete?',
    });
    if (created.result !== 'created') throw new Error(created.result);
    await app.send(app.api.callback(id, iq.staff('reply', created.ref), undefined, { enqueue: false }));
    expect((await app.bot.sessions.peek(id))?.scene?.id).toBe('inquiry-reply');
    expect(await app.bot.services.staff.changeAccess(ADMIN, id, { roles: ['operator'], regions: null, topics: ['rehab'] })).toBe('changed');
    app.drain(id);
    await app.say(id, 'Yes, it is complete, we will call you.');
    expect(app.drain(id).join('\n')).toContain('has been withdrawn or changed, so this screen is closed');
    const inquiry = await app.bot.services.inquiries.get(created.ref);
    expect(app.bot.services.inquiries.messages(inquiry!).filter((m) => m.from === 'operator')).toHaveLength(0);
    expect((await auditOf(app, id, 'access.denied')).some((d) => d.target === 'scene:inquiry-reply')).toBe(true);
  });
});
