import { createHash, randomBytes } from 'node:crypto';
import type { Locale } from '../../telegram/types.js';
import { accessText } from './access-text.js';
import { staffInviteModel, staffInviteUseModel, type StaffInviteModel, type StaffInviteUseModel } from './staff-invite.model.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import type { UsersService } from '../../services/users.js';
import type { AuditService } from '../../services/audit.js';
import type { AccessService, RevokeMark } from '../../services/access.js';
import { allows, isStaffRole, LEGACY_STAFF_ACCESS, normalizeAccess, type Access, type StaffRole } from '../../app/access.js';

/** What an invite link grants: one role and, optionally, the regions (and topics) it covers. */
export interface InviteSpec {
  role: StaffRole;
  /** null = every region. */
  regions: string[] | null;
  /** Operators only; null = every topic. */
  topics?: string[] | null;
}

/** What a stored invite grants; links made before roles existed grant what staff could do then. */
function grantedBy(invite: { role?: string | null; regions?: string[] | null; topics?: string[] | null }): Access {
  return isStaffRole(invite.role)
    ? accessOfInvite({ role: invite.role, regions: invite.regions ?? null, topics: invite.topics ?? null })
    : { ...LEGACY_STAFF_ACCESS, roles: [...LEGACY_STAFF_ACCESS.roles] };
}

export function accessOfInvite(spec: InviteSpec): Access {
  return shapedAccess({ roles: [spec.role], regions: spec.regions, topics: spec.topics ?? null });
}

/**
 * Admins are never limited to regions or topics; only operators are limited to topics. A scope
 * that means nothing for the roles is not stored: it would come back to life, unseen, when the
 * member is later given a role it applies to.
 */
export function shapedAccess(access: Access): Access {
  const normal = normalizeAccess(access);
  if (normal.roles.includes('admin')) return { roles: ['admin'], regions: null, topics: null };
  return normal.roles.includes('operator') ? normal : { ...normal, topics: null };
}

const INVITE_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a claimant may come back to finish a redemption an outage cut short: a link's own
 * lifetime. It only matters for uses recorded before `doneAt` existed (a revoke marks a member's
 * uses done, and a finished one is never finished again).
 */
const FINISH_WINDOW_MS = INVITE_TTL_MS;
/** A redemption younger than this may still be finishing in its own process: the repair pass leaves it. */
const SETTLE_MS = 60_000;
/** The events a repair may write again, named once each in the audit log. */
const redeemedKey = (tokenHash: string) => `staff-invite-redeem:${tokenHash}`;
const refusedKey = (tokenHash: string, openedBy: number) => `staff-invite-refused:${tokenHash}:${openedBy}`;
const revokedKey = (staffId: number, mark: string) => `staff.revoke:${staffId}:${mark}`;
/** Deep-link payloads allow [A-Za-z0-9_-], at most 64 characters. */
export const INVITE_PREFIX = 'inv_';

export type RedeemResult = 'ok' | 'invalid' | 'already-staff';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export class StaffService {
  private readonly invites: StaffInviteModel;
  private readonly uses: StaffInviteUseModel;
  private indexes?: Promise<unknown>;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly access: AccessService,
  ) {
    this.invites = staffInviteModel(deps.connection);
    this.uses = staffInviteUseModel(deps.connection);
  }

  isAdmin(userId: number): boolean {
    return this.deps.config.ADMIN_IDS.includes(userId);
  }

  /** Whether the actor may manage staff right now (checked again here, not only by the screen). */
  async mayManage(actorId: number): Promise<boolean> {
    const may = allows(await this.access.get(actorId), 'staff.manage');
    if (!may) await this.access.recordDenied(actorId, 'staff.manage', 'staff');
    return may;
  }

  /** A one-time token for `?start=inv_<token>`, valid for 24 hours, granting `spec`. */
  async createInvite(adminId: number, spec: InviteSpec = { role: 'admin', regions: null }): Promise<{ token: string; expiresAt: Date } | null> {
    if (!(await this.mayManage(adminId))) return null;
    const token = randomBytes(18).toString('base64url');
    const expiresAt = new Date(this.deps.now().getTime() + INVITE_TTL_MS);
    const access = accessOfInvite(spec);
    await this.invites.create({
      tokenHash: hashToken(token),
      createdBy: adminId,
      expiresAt,
      role: spec.role,
      ...(access.regions ? { regions: access.regions } : {}),
      ...(access.topics ? { topics: access.topics } : {}),
    });
    await this.audit.record(adminId, 'staff.invite.create', undefined, { expiresAt, ...access });
    return { token, expiresAt };
  }

  /**
   * Redeems an invite once: the first person to open the link becomes staff, nobody after them.
   * The person who claimed it may open it again to finish a redemption an outage cut short (the
   * mailbox retries the update); and a link only works while its maker may still manage staff.
   */
  async redeemInvite(token: string, userId: number, chatId: number, locale: Locale): Promise<RedeemResult> {
    if (this.isAdmin(userId)) return 'already-staff';
    const now = this.deps.now();
    const tokenHash = hashToken(token);
    this.indexes ??= this.uses.init();
    await this.indexes;
    // Staff already: a retry of a redemption cut short after the access was written (before its
    // audit line and `doneAt`) is finished here; anything else is simply "already staff".
    if (await this.users.isStaff(userId)) return (await this.finishCutShort(tokenHash, userId, now)) ? 'ok' : 'already-staff';
    const invite = await this.invites.findOne({ tokenHash }).lean();
    if (!invite || invite.revokedAt) return 'invalid';
    const use = await this.uses.findOne({ tokenHash }, { userId: 1, at: 1, doneAt: 1 }).lean();
    const claimedBy = use?.userId;
    // A finished redemption is never finished again (the member may have been revoked since,
    // which marks their uses done); uses recorded before `doneAt` existed are held to the window.
    const finishable = use !== null && !use.doneAt && now.getTime() - use.at.getTime() < FINISH_WINDOW_MS;
    if (claimedBy !== undefined && (claimedBy !== userId || !finishable)) return 'invalid';
    if (claimedBy === undefined && (invite.usedBy !== undefined || invite.expiresAt.getTime() <= now.getTime())) return 'invalid';
    if (!(await this.makerMayStillInvite(tokenHash, invite.createdBy, userId))) return 'invalid';
    if (claimedBy === undefined && !(await this.claim(tokenHash, userId, now))) return 'invalid';
    await this.invites.updateOne({ tokenHash }, { $set: { usedBy: userId, usedAt: now } });
    const access = grantedBy(invite);
    await this.users.makeStaff(userId, chatId, locale, invite.createdBy, access);
    await this.finish(tokenHash, invite.createdBy, userId, access, now);
    return 'ok';
  }

  /**
   * The audit line, `doneAt` with the notice due, then the inviter's notice and `toldAt`: what
   * follows the access being written. Each step may run again (a retry by the claimant, the
   * repair pass, both at once): the line is written once (its key), the notice queued once (its
   * job id).
   */
  private async finish(tokenHash: string, inviterId: number, userId: number, access: Access, now: Date): Promise<void> {
    await this.audit.recordOnce(redeemedKey(tokenHash), inviterId, 'staff.invite.redeem', `user:${userId}`, { ...access });
    await this.uses.updateOne({ tokenHash }, { $set: { doneAt: now, noticeDue: true } });
    // The access is given and audited: a queue hiccup must not turn the welcome into an error.
    // The notice stays due, and the repair pass queues it (finishInterrupted).
    await this.tellInviterOnce(tokenHash, inviterId, userId, access).catch((err: unknown) =>
      this.deps.logger.warn({ err, inviterId }, 'telling the inviter that their link was used failed; the repair pass tries again'),
    );
  }

  private async tellInviterOnce(tokenHash: string, inviterId: number, userId: number, access: Access): Promise<void> {
    await this.tellInviter(inviterId, userId, access, tokenHash);
    await this.uses.updateOne({ tokenHash }, { $set: { toldAt: this.deps.now() }, $unset: { noticeDue: 1 } });
  }

  /** Finishes this person's redemption of this link if an outage stopped it after the access was written. */
  private async finishCutShort(tokenHash: string, userId: number, now: Date): Promise<boolean> {
    const use = await this.uses.findOne({ tokenHash, userId }, { doneAt: 1, at: 1 }).lean();
    if (!use || use.doneAt) return false;
    const invite = await this.invites.findOne({ tokenHash }).lean();
    // Staff through another link since (this one's write failed): not this link's doing.
    if (!invite || !(await this.grantedByThisUse(userId, invite.createdBy, use.at))) return false;
    await this.finish(tokenHash, invite.createdBy, userId, grantedBy(invite), now);
    return true;
  }

  /**
   * The repair pass: redemptions a process stopped after the access was written (no audit line,
   * no `doneAt`, or the inviter's notice still due) are finished, though the person never opens
   * the link again; links withdrawn from a maker who lost the right have their refusal audited;
   * and withdrawals of access stopped before their audit line get it. Only uses of the last day (a link's lifetime), older than a minute (one finishing
   * right now is left to itself, though finishing it too would do no harm). Returns how many
   * were finished; as often as it runs, from any number of processes at once, each effect
   * happens once.
   */
  async finishInterrupted(now = this.deps.now()): Promise<number> {
    this.indexes ??= this.uses.init();
    await this.indexes;
    const uses = await this.uses
      .find({
        at: { $gte: new Date(now.getTime() - FINISH_WINDOW_MS), $lt: new Date(now.getTime() - SETTLE_MS) },
        $or: [{ doneAt: { $exists: false } }, { noticeDue: true, toldAt: { $exists: false } }],
      })
      .lean();
    let finished = 0;
    for (const use of uses) {
      const invite = await this.invites.findOne({ tokenHash: use.tokenHash }).lean();
      if (!invite) continue;
      const access = grantedBy(invite);
      if (!use.doneAt) {
        // The access was never written (the person was told it failed, and may open the link
        // again): nothing happened to audit. A revoke marks the member's uses done first. Staff
        // through another link since is not this link's doing: its maker must not be told so.
        if (!(await this.grantedByThisUse(use.userId, invite.createdBy, use.at))) continue;
        await this.finish(use.tokenHash, invite.createdBy, use.userId, access, now);
      } else {
        await this.tellInviterOnce(use.tokenHash, invite.createdBy, use.userId, access);
      }
      finished += 1;
    }
    for (const invite of await this.invites.find({ refusalDue: { $exists: true } }, { tokenHash: 1, createdBy: 1, refusalDue: 1 }).lean()) {
      if (!invite.refusalDue) continue;
      await this.auditRefusal(invite.tokenHash, invite.createdBy, invite.refusalDue.openedBy);
      finished += 1;
    }
    // Withdrawals stopped before their audit line, that nobody ran again.
    for (const { userId, mark } of await this.access.revokesDue()) {
      if (now.getTime() - new Date(mark.at).getTime() < SETTLE_MS) continue;
      if (await this.finishRevoke(userId)) finished += 1;
    }
    return finished;
  }

  /** Whether the member's access is the one this use wrote: given by the link's maker, at or after the claim. */
  private async grantedByThisUse(userId: number, inviterId: number, claimedAt: Date): Promise<boolean> {
    const user = await this.users.get(userId);
    return user?.role === 'staff' && user.invitedBy === inviterId && user.staffSince != null && user.staffSince.getTime() >= claimedAt.getTime();
  }

  /**
   * A link forwarded or opened by the wrong person is only caught if the admin who made it learns
   * who used it; they can then withdraw the access at once. One notice per link (its job id).
   */
  private async tellInviter(inviterId: number, userId: number, access: Access, tokenHash: string): Promise<void> {
    const inviter = await this.users.get(inviterId);
    const locale = inviter?.locale ?? this.deps.config.DEFAULT_LOCALE;
    const t = this.deps.i18n.t(locale);
    const text = t('staff:invite.used-notice', { id: userId, access: accessText({ t, locale }, access) });
    await this.deps.delivery.enqueue([{ id: `staff-invite-used-${tokenHash.slice(0, 16)}`, chatId: inviter?.chatId ?? inviterId, kind: 'notice', text }]);
  }

  /** Only one insert of the use can win, on MongoDB and FerretDB alike (see staff-invite.model.ts). */
  private async claim(tokenHash: string, userId: number, now: Date): Promise<boolean> {
    try {
      await this.uses.create({ tokenHash, userId, at: now });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 11000) throw error;
      // Two opens by the same person at once: the other one claimed it for them.
      return (await this.uses.findOne({ tokenHash }, { userId: 1 }).lean())?.userId === userId;
    }
  }

  /**
   * A revoked (or narrowed) admin's open links are the easiest way back in, so a link is checked
   * against its maker's access when it is opened. A refused link is withdrawn for good: giving the
   * maker access back does not revive what they handed out before.
   */
  private async makerMayStillInvite(tokenHash: string, createdBy: number, userId: number): Promise<boolean> {
    if (allows(await this.access.get(createdBy), 'staff.manage')) return true;
    // The withdrawal carries the refusal still to audit: a crash before the line leaves it for the repair pass.
    await this.invites.updateOne({ tokenHash, revokedAt: { $exists: false } }, { $set: { revokedAt: this.deps.now(), refusalDue: { openedBy: userId } } });
    await this.auditRefusal(tokenHash, createdBy, userId);
    return false;
  }

  private async auditRefusal(tokenHash: string, createdBy: number, openedBy: number): Promise<void> {
    await this.access.recordDeniedOnce(refusedKey(tokenHash, openedBy), createdBy, 'staff.manage', 'staff-invite', { stage: 'redeem', openedBy });
    await this.invites.updateOne({ tokenHash, 'refusalDue.openedBy': openedBy }, { $unset: { refusalDue: 1 } });
  }

  /** The access a member has now (null: not staff). */
  async accessOf(staffId: number): Promise<Access | null> {
    return this.access.fromDatabase(staffId);
  }

  /** Changes a member's roles and scope; audited with what it was and what it became. */
  async changeAccess(adminId: number, staffId: number, next: Access): Promise<'changed' | 'not-staff' | 'denied'> {
    if (!(await this.mayManage(adminId))) return 'denied';
    const before = await this.access.fromDatabase(staffId);
    if (!before) return 'not-staff';
    const after = shapedAccess(next);
    // Withdrawn by another admin since it was read: nothing is changed (nor given back).
    if (!(await this.access.change(staffId, after))) return 'not-staff';
    await this.audit.record(adminId, 'staff.access.change', `user:${staffId}`, { from: before, to: after });
    return 'changed';
  }

  /**
   * Withdraws a member's access. The withdrawal carries its audit line still due (a mark written
   * with it), so the same withdrawal run again after a failure in between (the mailbox retries the
   * tap, the admin runs the console again) writes that line, once, though it finds the member no
   * longer staff. Returns whether this admin withdrew the access, now or in the try run again.
   */
  async revoke(adminId: number, staffId: number): Promise<boolean> {
    if (!(await this.mayManage(adminId))) return false;
    // First: no link this member redeemed may be "finished" again once they are revoked (a crash
    // after this and before the revoke leaves them staff, and the admin revokes again).
    await this.uses.updateMany({ userId: staffId, doneAt: { $exists: false } }, { $set: { doneAt: this.deps.now() } });
    // A withdrawal cut short before its line: this try run again, another admin's, or one before
    // the member was invited again (its mark would be replaced by the one written now).
    const earlier = await this.finishRevoke(staffId);
    const mark = { key: randomBytes(9).toString('base64url'), by: adminId, at: this.deps.now() };
    const revoked = await this.users.revokeStaff(staffId, mark);
    if (revoked) await this.finishRevoke(staffId);
    return revoked || earlier?.by === adminId;
  }

  /** Writes the line of the member's withdrawal still due, once (its key), then drops the mark. Returns the withdrawal finished. */
  private async finishRevoke(staffId: number): Promise<RevokeMark | null> {
    const mark = await this.access.revokeDue(staffId);
    if (!mark) return null;
    await this.audit.recordOnce(revokedKey(staffId, mark.key), mark.by, 'staff.revoke', `user:${staffId}`);
    await this.access.revokeAudited(staffId, mark.key);
    return mark;
  }

  async list() {
    return this.users.listStaff();
  }
}
