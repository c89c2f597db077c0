import { createHash, randomBytes } from 'node:crypto';
import type { Locale } from '../telegram/types.js';
import { staffInviteModel, type StaffInviteModel } from '../db/models/staff-invite.js';
import type { ServiceDeps } from './service-deps.js';
import type { UsersService } from './users.js';
import type { AuditService } from './audit.js';

const INVITE_TTL_MS = 24 * 60 * 60 * 1000;
/** Deep-link payloads allow [A-Za-z0-9_-], at most 64 characters. */
export const INVITE_PREFIX = 'inv_';

export type RedeemResult = 'ok' | 'invalid' | 'already-staff';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export class StaffService {
  private readonly invites: StaffInviteModel;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {
    this.invites = staffInviteModel(deps.connection);
  }

  isAdmin(userId: number): boolean {
    return this.deps.config.ADMIN_IDS.includes(userId);
  }

  /** A one-time token for `?start=inv_<token>`, valid for 24 hours. */
  async createInvite(adminId: number): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(18).toString('base64url');
    const expiresAt = new Date(this.deps.now().getTime() + INVITE_TTL_MS);
    await this.invites.create({ tokenHash: hashToken(token), createdBy: adminId, expiresAt });
    await this.audit.record(adminId, 'staff.invite.create', undefined, { expiresAt });
    return { token, expiresAt };
  }

  /**
   * Takes the invite in one conditional update, so two people opening the same link at
   * once cannot both become staff.
   */
  async redeemInvite(token: string, userId: number, chatId: number, locale: Locale): Promise<RedeemResult> {
    if (this.isAdmin(userId) || (await this.users.isStaff(userId))) return 'already-staff';
    const now = this.deps.now();
    const invite = await this.invites.findOneAndUpdate(
      { tokenHash: hashToken(token), usedBy: { $exists: false }, revokedAt: { $exists: false }, expiresAt: { $gt: now } },
      { $set: { usedBy: userId, usedAt: now } },
      { new: true },
    );
    if (!invite) return 'invalid';
    await this.users.makeStaff(userId, chatId, locale, invite.createdBy);
    await this.audit.record(invite.createdBy, 'staff.invite.redeem', `user:${userId}`);
    return 'ok';
  }

  async revoke(adminId: number, staffId: number): Promise<boolean> {
    const revoked = await this.users.revokeStaff(staffId);
    if (revoked) await this.audit.record(adminId, 'staff.revoke', `user:${staffId}`);
    return revoked;
  }

  async list() {
    return this.users.listStaff();
  }
}
