// Invite links attacked as a tester would: a link made by an admin who has since lost access
// (a revocation often answers misconduct, and open links are the easiest way back in), and a
// redemption cut short by an outage after the link was claimed, then tried again as the mailbox
// retries the update.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { AccessService } from '../../src/services/access.js';
import { AuditService } from '../../src/services/audit.js';
import { auditOf } from '../access/helpers.js';
import { staffInviteUseModel } from '../../src/features/staff-admin/staff-invite.model.js';

const ADMIN = 8800;
const DEPUTY = 8801;
const DEPUTY_SECOND_ACCOUNT = 8802;
const NEWCOMER = 8803;
const LATECOMER = 8804;
const outage = () => Object.assign(new Error('Redis is not answering'), { code: 'ECONNRESET' });

describe('staff invites: revoked inviters and interrupted redemptions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_staff_invite', { adminIds: [ADMIN] });
    for (const chat of [ADMIN, DEPUTY, DEPUTY_SECOND_ACCOUNT, NEWCOMER, LATECOMER]) await onboard(app, chat);
  }, 60_000);
  afterAll(async () => app?.close());

  it('refuses a link made by an admin who has lost the right to manage staff since, and audits it', async () => {
    const { staff, access } = app.bot.services;
    const deputyInvite = (await staff.createInvite(ADMIN, { role: 'admin', regions: null }))!;
    expect(await staff.redeemInvite(deputyInvite.token, DEPUTY, DEPUTY, 'en')).toBe('ok');
    // The deputy prepares a way back in, then is revoked; another one is narrowed to announcements.
    const adminLink = (await staff.createInvite(DEPUTY, { role: 'admin', regions: null }))!;
    const reviewerLink = (await staff.createInvite(DEPUTY, { role: 'reviewer', regions: ['astana'] }))!;
    expect(await staff.revoke(ADMIN, DEPUTY)).toBe(true);

    await app.command(DEPUTY_SECOND_ACCOUNT, 'start', `inv_${adminLink.token}`);
    expect(app.drain(DEPUTY_SECOND_ACCOUNT).join('\n')).toContain('This invite link does not work');
    expect(await access.get(DEPUTY_SECOND_ACCOUNT)).toBeNull();

    // Giving the deputy access back does not bring the links made before the revoke back to life.
    await access.grant(DEPUTY, { roles: ['admin'], regions: null, topics: null }, ADMIN);
    expect(await staff.redeemInvite(reviewerLink.token, NEWCOMER, NEWCOMER, 'en')).toBe('ok');
    expect(await staff.redeemInvite(adminLink.token, DEPUTY_SECOND_ACCOUNT, DEPUTY_SECOND_ACCOUNT, 'en')).toBe('invalid');
    expect(await access.get(DEPUTY_SECOND_ACCOUNT)).toBeNull();
    expect(await staff.revoke(ADMIN, NEWCOMER)).toBe(true);

    const denied = await auditOf(app, DEPUTY, 'access.denied');
    expect(denied.map((d) => d.target)).toContain('staff-invite');
    expect((await auditOf(app, DEPUTY, 'staff.invite.redeem')).map((r) => r.target)).not.toContain(`user:${DEPUTY_SECOND_ACCOUNT}`);
  });

  it('refuses a link whose admin was narrowed to another role', async () => {
    const { staff, access } = app.bot.services;
    await access.grant(DEPUTY, { roles: ['admin'], regions: null, topics: null }, ADMIN);
    const link = (await staff.createInvite(DEPUTY, { role: 'coordinator', regions: null }))!;
    expect(await staff.changeAccess(ADMIN, DEPUTY, { roles: ['broadcaster'], regions: ['astana'], topics: null })).toBe('changed');
    expect(await staff.redeemInvite(link.token, LATECOMER, LATECOMER, 'en')).toBe('invalid');
    expect(await access.get(LATECOMER)).toBeNull();
  });

  it('makes the person staff when the mailbox retries a redemption an outage cut short after the link was claimed', async () => {
    const { staff, access } = app.bot.services;
    const link = (await staff.createInvite(ADMIN, { role: 'reviewer', regions: ['astana'] }))!;
    const spy = vi.spyOn(AccessService.prototype, 'grant').mockRejectedValueOnce(outage());
    await app.command(LATECOMER, 'start', `inv_${link.token}`);
    spy.mockRestore();
    const said = app.drain(LATECOMER).join('\n');
    expect(said).not.toContain('This invite link does not work');
    expect(said).toContain('You now have staff access: Reviewer of grant applications · regions: Astana');
    expect(await access.get(LATECOMER)).toEqual({ roles: ['reviewer'], regions: ['astana'], topics: null });
    const redeemed = await auditOf(app, ADMIN, 'staff.invite.redeem');
    expect(redeemed.filter((r) => r.target === `user:${LATECOMER}`)).toHaveLength(1);
    // Used for good now.
    expect(await staff.redeemInvite(link.token, DEPUTY_SECOND_ACCOUNT, DEPUTY_SECOND_ACCOUNT, 'en')).toBe('invalid');
  });

  it('keeps a claimed link for its claimant only while the redemption waits for its retry', async () => {
    const { staff, access } = app.bot.services;
    const link = (await staff.createInvite(ADMIN, { role: 'operator', regions: null, topics: ['rehab'] }))!;
    const spy = vi.spyOn(AccessService.prototype, 'grant').mockRejectedValueOnce(outage());
    await expect(staff.redeemInvite(link.token, NEWCOMER, NEWCOMER, 'en')).rejects.toThrow('Redis');
    spy.mockRestore();
    expect(await access.get(NEWCOMER)).toBeNull();
    expect(await staff.redeemInvite(link.token, DEPUTY_SECOND_ACCOUNT, DEPUTY_SECOND_ACCOUNT, 'en')).toBe('invalid');
    expect(await staff.redeemInvite(link.token, NEWCOMER, NEWCOMER, 'en')).toBe('ok');
    expect(await access.get(NEWCOMER)).toEqual({ roles: ['operator'], regions: null, topics: ['rehab'] });
    expect(await staff.redeemInvite(link.token, NEWCOMER, NEWCOMER, 'en')).toBe('already-staff');
    expect(await access.get(DEPUTY_SECOND_ACCOUNT)).toBeNull();
  });

  it('does not let a member who was revoked get access back by opening their own used link again', async () => {
    const { staff, access } = app.bot.services;
    const RETURNER = 8807;
    await onboard(app, RETURNER);
    const link = (await staff.createInvite(ADMIN, { role: 'broadcaster', regions: null }))!;
    expect(await staff.redeemInvite(link.token, RETURNER, RETURNER, 'en')).toBe('ok');
    expect(await staff.revoke(ADMIN, RETURNER)).toBe(true);
    await app.command(RETURNER, 'start', `inv_${link.token}`);
    expect(app.drain(RETURNER).join('\n')).toContain('This invite link does not work');
    expect(await access.get(RETURNER)).toBeNull();
    expect((await auditOf(app, ADMIN, 'staff.invite.redeem')).filter((r) => r.target === `user:${RETURNER}`)).toHaveLength(1);
    // A use recorded before redemptions were marked finished: only a fresh one may be finished.
    await staffInviteUseModel(app.mongo).updateOne({ userId: RETURNER }, { $unset: { doneAt: 1 }, $set: { at: new Date(Date.now() - 2 * 24 * 60 * 60 * 1000) } });
    expect(await staff.redeemInvite(link.token, RETURNER, RETURNER, 'en')).toBe('invalid');
    expect(await access.get(RETURNER)).toBeNull();
  });

  it('finishes a redemption cut short after the access was written (audit, notice), and a revoke after it holds', async () => {
    const { staff, access } = app.bot.services;
    const CUT_SHORT = 8808;
    await onboard(app, CUT_SHORT);
    const link = (await staff.createInvite(ADMIN, { role: 'admin', regions: null }))!;
    // The access is written, then the audit line fails: the mailbox retries the same /start.
    const spy = vi.spyOn(AuditService.prototype, 'record').mockRejectedValueOnce(outage());
    await expect(staff.redeemInvite(link.token, CUT_SHORT, CUT_SHORT, 'en')).rejects.toThrow('Redis');
    spy.mockRestore();
    expect(await access.get(CUT_SHORT)).not.toBeNull();
    expect(await staff.redeemInvite(link.token, CUT_SHORT, CUT_SHORT, 'en')).toBe('ok');
    expect((await auditOf(app, ADMIN, 'staff.invite.redeem')).filter((r) => r.target === `user:${CUT_SHORT}`)).toHaveLength(1);
    expect((app.delivery as RecordingDelivery).to(ADMIN).some((j) => j.text.includes(String(CUT_SHORT)))).toBe(true);
    // Once finished (or once revoked, whichever comes first) the link gives nothing again.
    expect(await staff.redeemInvite(link.token, CUT_SHORT, CUT_SHORT, 'en')).toBe('already-staff');
    expect(await staff.revoke(ADMIN, CUT_SHORT)).toBe(true);
    expect(await staff.redeemInvite(link.token, CUT_SHORT, CUT_SHORT, 'en')).toBe('invalid');
    expect(await access.get(CUT_SHORT)).toBeNull();
  });

  it('a member revoked before a cut-short redemption was finished cannot finish it afterwards', async () => {
    const { staff, access } = app.bot.services;
    const REVOKED_EARLY = 8809;
    await onboard(app, REVOKED_EARLY);
    const link = (await staff.createInvite(ADMIN, { role: 'admin', regions: null }))!;
    const spy = vi.spyOn(AuditService.prototype, 'record').mockRejectedValueOnce(outage());
    await expect(staff.redeemInvite(link.token, REVOKED_EARLY, REVOKED_EARLY, 'en')).rejects.toThrow('Redis');
    spy.mockRestore();
    expect(await staff.revoke(ADMIN, REVOKED_EARLY)).toBe(true);
    expect(await staff.redeemInvite(link.token, REVOKED_EARLY, REVOKED_EARLY, 'en')).toBe('invalid');
    expect(await access.get(REVOKED_EARLY)).toBeNull();
  });

  it('tells the admin who made the link who used it, in the admin language, so a link opened by the wrong person is seen at once', async () => {
    const { staff } = app.bot.services;
    const RU_ADMIN = 8805;
    const STRANGER = 8806;
    await onboard(app, RU_ADMIN, 'Русский');
    await app.bot.services.access.grant(RU_ADMIN, { roles: ['admin'], regions: null, topics: null }, ADMIN);
    const link = (await staff.createInvite(RU_ADMIN, { role: 'coordinator', regions: ['abai'] }))!;
    expect(await staff.redeemInvite(link.token, STRANGER, STRANGER, 'en')).toBe('ok');
    const delivery = app.delivery as RecordingDelivery;
    const told = delivery.to(RU_ADMIN);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(String(STRANGER));
    expect(told[0]!.text).toContain('Координатор волонтёров');
    expect(told[0]!.text).toContain('Отозвать доступ');
  });
});
