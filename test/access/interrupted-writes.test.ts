// A process that dies between two writes: the access is written and the audit line or the
// inviter's notice is not; a broadcast is stopped at send time and its author is not told. The
// person never comes back to retry, so the repair pass (src/app/repair-tick.ts) must finish it:
// run again and again, and from two processes at once, it writes one audit line and sends one
// notice. The real BullMQ queue and delivery worker, FerretDB, Redis and the local Bot API.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { onboard, type TestApp } from '../support/app-harness.js';
import { startLiveRelay, type LiveRelay } from '../features/inquiries/helpers.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';
import { until } from '../support/until.js';
import { AuditService } from '../../src/services/audit.js';
import { AccessService } from '../../src/services/access.js';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import { staffInviteModel, staffInviteUseModel } from '../../src/features/staff-admin/staff-invite.model.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { userModel } from '../../src/db/models/user.js';
import { deliveryGuards } from '../../src/delivery/bot-worker.js';
import { runRepairs, startRepairTick } from '../../src/app/repair-tick.js';
import { FEATURES } from '../../src/features/index.js';
import type { Feature } from '../../src/app/types.js';

const ADMIN = 9300;
const DEPUTY = 9301;
const AUTHOR = 9302;
const RECIPIENT = 9310;
const outage = () => Object.assign(new Error('FerretDB is not answering'), { code: 'ECONNRESET' });
/** The pass leaves what is younger than a minute to the process doing it: it runs "later". */
const later = () => new Date(Date.now() + 2 * 60_000);

describe('effects promised between two writes, finished by the repair pass', () => {
  let relay: LiveRelay;
  let app: TestApp;

  const usedNotices = (userId: number) =>
    app.api.messagesTo(ADMIN).filter((m) => m.text?.includes('Your invite link has been used') && m.text.includes(`id ${userId}`)).length;
  const redeemLines = async (userId: number) =>
    auditLogModel(app.mongo).countDocuments({ action: 'staff.invite.redeem', target: `user:${userId}` });
  /** Two processes' passes at once, then once more: what they do must happen once. */
  const passes = async () => {
    const { staff } = app.bot.services;
    await Promise.all([staff.finishInterrupted(later()), staff.finishInterrupted(later())]);
    await staff.finishInterrupted(later());
    await untilDeliveryIdle(app.config);
  };

  beforeAll(async () => {
    relay = await startLiveRelay('interrupted_writes', ADMIN);
    app = relay.app;
    for (const chat of [ADMIN, DEPUTY]) await onboard(app, chat);
  }, 120_000);
  afterAll(async () => relay?.close());

  it('a redemption stopped after the access was written gets its audit line and the inviter one notice, without a retry', async () => {
    const { staff, access } = app.bot.services;
    const NEWCOMER = 9320;
    await onboard(app, NEWCOMER);
    const link = (await staff.createInvite(ADMIN, { role: 'reviewer', regions: ['astana'] }))!;
    // The process dies at the audit line: the access is there, nothing after it.
    const spy = vi.spyOn(AuditService.prototype, 'record').mockRejectedValueOnce(outage());
    await expect(staff.redeemInvite(link.token, NEWCOMER, NEWCOMER, 'en')).rejects.toThrow('FerretDB');
    spy.mockRestore();
    expect(await access.get(NEWCOMER)).toEqual({ roles: ['reviewer'], regions: ['astana'], topics: null });
    expect(await redeemLines(NEWCOMER)).toBe(0);

    // A pass within the minute leaves it: the redemption may still be finishing in its process.
    expect(await staff.finishInterrupted()).toBe(0);
    await passes();
    expect(await redeemLines(NEWCOMER)).toBe(1);
    expect(usedNotices(NEWCOMER)).toBe(1);
    expect(await staffInviteUseModel(app.mongo).findOne({ userId: NEWCOMER }).lean()).toMatchObject({ doneAt: expect.any(Date), toldAt: expect.any(Date) });
    expect((await staffInviteUseModel(app.mongo).findOne({ userId: NEWCOMER }).lean())?.noticeDue).toBeUndefined();
    // Finished for good: the person opening the link now changes nothing, and a revoke holds.
    expect(await staff.redeemInvite(link.token, NEWCOMER, NEWCOMER, 'en')).toBe('already-staff');
    expect(await staff.revoke(ADMIN, NEWCOMER)).toBe(true);
    await passes();
    expect(await access.get(NEWCOMER)).toBeNull();
    expect(await redeemLines(NEWCOMER)).toBe(1);
    expect(usedNotices(NEWCOMER)).toBe(1);
  });

  it('an inviter notice the queue refused is sent by the pass, once', async () => {
    const { staff } = app.bot.services;
    const NEWCOMER = 9321;
    await onboard(app, NEWCOMER);
    const link = (await staff.createInvite(ADMIN, { role: 'coordinator', regions: null }))!;
    const enqueue = vi.spyOn(app.delivery, 'enqueue').mockRejectedValueOnce(outage());
    expect(await staff.redeemInvite(link.token, NEWCOMER, NEWCOMER, 'en')).toBe('ok');
    enqueue.mockRestore();
    await untilDeliveryIdle(app.config);
    expect(usedNotices(NEWCOMER)).toBe(0);
    expect(await staffInviteUseModel(app.mongo).findOne({ userId: NEWCOMER }).lean()).toMatchObject({ noticeDue: true });

    await passes();
    expect(usedNotices(NEWCOMER)).toBe(1);
    expect(await redeemLines(NEWCOMER)).toBe(1);
  });

  it('a notice queued by a process that died before noting it is not sent twice', async () => {
    const { staff } = app.bot.services;
    const NEWCOMER = 9322;
    await onboard(app, NEWCOMER);
    const link = (await staff.createInvite(ADMIN, { role: 'broadcaster', regions: null }))!;
    // The notice is queued; the write that notes it fails (the process stops there).
    const uses = staffInviteUseModel(app.mongo);
    const original = uses.updateOne.bind(uses);
    let writes = 0;
    // The second write of the finish is the one that notes the notice (the first marks it done).
    const note = vi.spyOn(uses, 'updateOne').mockImplementation((...args: Parameters<typeof original>) => {
      writes += 1;
      if (writes === 2) throw outage();
      return original(...args);
    });
    expect(await staff.redeemInvite(link.token, NEWCOMER, NEWCOMER, 'en')).toBe('ok');
    note.mockRestore();
    await passes();
    // The job id is the link's: the queue keeps the sent job and drops the second.
    expect(usedNotices(NEWCOMER)).toBe(1);
    expect(await staffInviteUseModel(app.mongo).findOne({ userId: NEWCOMER }).lean()).toMatchObject({ toldAt: expect.any(Date) });
  });

  /** A redemption of ADMIN's new link by `newcomer` that failed before the access was written. */
  async function failedRedemption(newcomer: number): Promise<{ token: string }> {
    await onboard(app, newcomer);
    const link = (await app.bot.services.staff.createInvite(ADMIN, { role: 'admin', regions: null }))!;
    const grant = vi.spyOn(AccessService.prototype, 'grant').mockRejectedValueOnce(outage());
    await expect(app.bot.services.staff.redeemInvite(link.token, newcomer, newcomer, 'en')).rejects.toThrow('FerretDB');
    grant.mockRestore();
    return link;
  }

  /** `newcomer` made staff in full through a link of DEPUTY's. */
  async function staffThroughAnotherLink(newcomer: number): Promise<void> {
    await app.bot.services.access.grant(DEPUTY, { roles: ['admin'], regions: null, topics: null }, ADMIN);
    const second = (await app.bot.services.staff.createInvite(DEPUTY, { role: 'admin', regions: null }))!;
    expect(await app.bot.services.staff.redeemInvite(second.token, newcomer, newcomer, 'en')).toBe('ok');
  }

  it('a use whose access was never written is not audited or announced by the pass', async () => {
    const { staff, access } = app.bot.services;
    const NEWCOMER = 9323;
    const link = await failedRedemption(NEWCOMER);
    await passes();
    expect(await access.get(NEWCOMER)).toBeNull();
    expect(await redeemLines(NEWCOMER)).toBe(0);
    expect(usedNotices(NEWCOMER)).toBe(0);
    // The claimant may still come back and finish it themselves (the retry the mailbox makes).
    expect(await staff.redeemInvite(link.token, NEWCOMER, NEWCOMER, 'en')).toBe('ok');
    await passes();
    expect(await redeemLines(NEWCOMER)).toBe(1);
    expect(usedNotices(NEWCOMER)).toBe(1);
  });

  it('a use whose access was never written stays unannounced when the person became staff through another link', async () => {
    const NEWCOMER = 9325;
    await failedRedemption(NEWCOMER);
    await staffThroughAnotherLink(NEWCOMER);
    await passes();
    // One line (the second link's); the first link's maker is not told their link was used.
    expect(await redeemLines(NEWCOMER)).toBe(1);
    expect(usedNotices(NEWCOMER)).toBe(0);
  });

  it('a use whose access was never written is not finished when the person, staff through another link since, opens it again', async () => {
    const { staff } = app.bot.services;
    const NEWCOMER = 9326;
    const first = await failedRedemption(NEWCOMER);
    await staffThroughAnotherLink(NEWCOMER);
    // The first link opened again (the person was told it failed): nothing of it happened.
    expect(await staff.redeemInvite(first.token, NEWCOMER, NEWCOMER, 'en')).toBe('already-staff');
    await passes();
    expect(await redeemLines(NEWCOMER)).toBe(1);
    expect(usedNotices(NEWCOMER)).toBe(0);
  });

  it('a link withdrawn from a maker who lost the right gets its refusal audited once, though the line failed', async () => {
    const { staff, access } = app.bot.services;
    const OPENER = 9324;
    await access.grant(DEPUTY, { roles: ['admin'], regions: null, topics: null }, ADMIN);
    const link = (await staff.createInvite(DEPUTY, { role: 'admin', regions: null }))!;
    expect(await staff.revoke(ADMIN, DEPUTY)).toBe(true);
    const refusals = () => auditLogModel(app.mongo).countDocuments({ actorId: DEPUTY, action: 'access.denied', target: 'staff-invite', 'details.openedBy': OPENER });
    const line = vi.spyOn(AccessService.prototype, 'recordDeniedOnce').mockRejectedValueOnce(outage());
    await expect(staff.redeemInvite(link.token, OPENER, OPENER, 'en')).rejects.toThrow('FerretDB');
    line.mockRestore();
    expect(await refusals()).toBe(0);
    // Withdrawn for good already: opening it again is refused at once, without a line.
    expect(await staff.redeemInvite(link.token, OPENER, OPENER, 'en')).toBe('invalid');
    expect(await refusals()).toBe(0);

    await passes();
    expect(await refusals()).toBe(1);
    expect((await staffInviteModel(app.mongo).findOne({ createdBy: DEPUTY }).lean())?.refusalDue).toBeUndefined();
    expect(await access.get(OPENER)).toBeNull();
  });

  it('a broadcast stopped at send time tells its author once, though the process died before telling', async () => {
    const { broadcasts, users, staff } = app.bot.services;
    await users.makeStaff(AUTHOR, AUTHOR, 'en', ADMIN, { roles: ['broadcaster'], regions: null, topics: null });
    await userModel(app.mongo).create({ telegramId: RECIPIENT, chatId: RECIPIENT, locale: 'en', region: 'abai' });
    const { id } = await broadcasts.create({
      createdBy: AUTHOR,
      staffChatId: AUTHOR,
      staffLocale: 'en',
      texts: { en: 'The centre is closed tomorrow for repairs.' },
      fallback: 'en',
      audience: { group: 'all' },
      sendAt: new Date(Date.now() + 3_600_000),
    });
    // Its recipients queued (by the fan-out worker) before the queue is made to fail.
    await until('the broadcast queued', async () => (await broadcastModel(app.mongo).findById(id).lean())?.enqueue?.done === true);
    await staff.changeAccess(ADMIN, AUTHOR, { roles: ['broadcaster'], regions: ['astana'], topics: null });
    const withdrawnNotices = () =>
      app.api.messagesTo(AUTHOR).filter((m) => m.text?.includes('was stopped') && m.text.includes('The centre is closed tomorrow')).length;
    const lines = (action: string) => auditLogModel(app.mongo).countDocuments({ action, target: `broadcast:${id}` });

    // The send-time check stops it; the process dies before the author's notice is queued.
    const enqueue = vi.spyOn(app.delivery, 'enqueue').mockRejectedValueOnce(outage());
    const guard = deliveryGuards(app.bot.services).broadcast;
    await expect(guard({ id: `bc-${id}-${RECIPIENT}`, chatId: RECIPIENT, kind: 'broadcast', broadcastId: id, text: '' })).rejects.toThrow('FerretDB');
    enqueue.mockRestore();
    expect(await broadcastModel(app.mongo).findById(id).lean()).toMatchObject({ status: 'cancelled', withdrawnAt: expect.any(Date) });
    // The next job of it finds it cancelled already: nobody else would tell the author.
    expect(await guard({ id: `bc-${id}-${RECIPIENT}`, chatId: RECIPIENT, kind: 'broadcast', broadcastId: id, text: '' })).toBe(false);
    await untilDeliveryIdle(app.config);
    expect(withdrawnNotices()).toBe(0);

    const authority = app.bot.services.broadcastAuthority;
    expect(await authority.finishWithdrawals()).toBe(0);
    await Promise.all([authority.finishWithdrawals(later()), authority.finishWithdrawals(later())]);
    await authority.finishWithdrawals(later());
    await untilDeliveryIdle(app.config);
    expect(withdrawnNotices()).toBe(1);
    expect(await lines('access.denied')).toBe(1);
    expect(await lines('broadcast.cancel')).toBe(1);
    expect(await broadcastModel(app.mongo).findById(id).lean()).toMatchObject({ authorToldAt: expect.any(Date) });
  });

  it('the repair tick runs every pass, and one failing does not stop the others', async () => {
    const ran: string[] = [];
    const failing: Feature = { id: 'failing', repairs: [{ name: 'broken', run: () => Promise.reject(outage()) }] };
    const counting: Feature = { id: 'counting', repairs: [{ name: 'one', run: async () => (ran.push('one'), 1) }] };
    expect(await runRepairs([failing, counting], app.bot.deps)).toBe(1);
    expect(ran).toEqual(['one']);
    // The real features' passes, with nothing left to do, finish nothing and throw nothing.
    expect(await runRepairs(FEATURES, app.bot.deps)).toBe(0);
  });

  it('the tick runs at start, then on its interval, never two ticks at once, and stops', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const slow: Feature = {
      id: 'slow',
      repairs: [{ name: 'slow', run: async () => {
        running += 1;
        most = Math.max(most, running);
        runs += 1;
        await new Promise((resolve) => setTimeout(resolve, 120));
        running -= 1;
        return 0;
      } }],
    };
    const tick = startRepairTick([slow], app.bot.deps, 20);
    // The first run starts at once, before the first interval.
    expect(runs).toBe(1);
    await until('a second tick', () => runs >= 2);
    await tick.stop();
    const after = runs;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs).toBe(after);
    expect(most).toBe(1);
    expect(running).toBe(0);
  });
});
