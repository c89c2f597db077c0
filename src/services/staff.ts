import { createHash, randomBytes } from 'node:crypto';
import type { Locale } from '../telegram/types.js';
import { staffInviteModel, staffInviteUseModel, type StaffInviteModel, type StaffInviteUseModel } from '../db/models/staff-invite.js';
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
  private readonly uses: StaffInviteUseModel;
  private indexes?: Promise<unknown>;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {
    this.invites = staffInviteModel(deps.connection);
    this.uses = staffInviteUseModel(deps.connection);
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

  /** Redeems an invite once: the first person to open the link becomes staff, nobody after them. */
  async redeemInvite(token: string, userId: number, chatId: number, locale: Locale): Promise<RedeemResult> {
    if (this.isAdmin(userId) || (await this.users.isStaff(userId))) return 'already-staff';
    const now = this.deps.now();
    const tokenHash = hashToken(token);
    const invite = await this.invites
      .findOne({ tokenHash, usedBy: { $exists: false }, revokedAt: { $exists: false }, expiresAt: { $gt: now } })
      .lean();
    if (!invite) return 'invalid';
    this.indexes ??= this.uses.init();
    await this.indexes;
    try {
      await this.uses.create({ tokenHash, userId, at: now });
    } catch (error) {
      if ((error as { code?: unknown }).code === 11000) return 'invalid';
      throw error;
    }
    await this.invites.updateOne({ tokenHash }, { $set: { usedBy: userId, usedAt: now } });
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
