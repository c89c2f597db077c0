import type { Locale } from '../telegram/types.js';
import { userModel, type UserModel } from '../db/models/user.js';
import {
  FULL_ACCESS,
  LEGACY_STAFF_ACCESS,
  isStaffRole,
  normalizeAccess,
  type Access,
  type Permission,
} from '../app/access.js';
import type { ServiceDepsWithRedis } from './service-deps.js';
import type { AuditService } from './audit.js';

/** The cached form of "not staff": citizens are cached too, so their updates skip MongoDB as well. */
const NONE = 'none';

interface StaffFields {
  role?: string | null;
  staffRoles?: string[] | null;
  staffRegions?: string[] | null;
  staffTopics?: string[] | null;
}

/** What a user record grants; legacy staff records (no roles yet) keep every staff power. */
export function accessOfRecord(user: StaffFields | null): Access | null {
  if (!user || user.role !== 'staff') return null;
  if (!user.staffRoles || user.staffRoles.length === 0) return { ...LEGACY_STAFF_ACCESS, roles: [...LEGACY_STAFF_ACCESS.roles] };
  const roles = user.staffRoles.filter(isStaffRole);
  if (roles.length === 0) return null;
  return normalizeAccess({ roles, regions: user.staffRegions ?? null, topics: user.staffTopics ?? null });
}

/**
 * Staff access, read on (almost) every update. MongoDB holds the truth; Redis holds a
 * write-through copy under `{prefix}:access:{telegramId}`, so a read is one GET instead of a
 * MongoDB look-up (a scan on FerretDB). Every grant, change and revoke writes MongoDB, then the
 * copy; a miss rebuilds the copy from MongoDB with SET NX, so a reader that raced a change can
 * never overwrite the newer value the writer put there. The chat session never holds a copy.
 */
export class AccessService {
  private readonly users: UserModel;

  constructor(
    private readonly deps: ServiceDepsWithRedis,
    private readonly audit: AuditService,
  ) {
    this.users = userModel(deps.connection);
  }

  key(userId: number): string {
    return `${this.deps.config.REDIS_PREFIX}:access:${userId}`;
  }

  isAdminId(userId: number): boolean {
    return this.deps.config.ADMIN_IDS.includes(userId);
  }

  /** The user's access now; null for citizens. */
  async get(userId: number): Promise<Access | null> {
    if (this.isAdminId(userId)) return { ...FULL_ACCESS, roles: [...FULL_ACCESS.roles] };
    const cached = await this.deps.redis.get(this.key(userId));
    if (cached !== null) return cached === NONE ? null : (JSON.parse(cached) as Access);
    const access = await this.fromDatabase(userId);
    await this.deps.redis.set(this.key(userId), this.encode(access), 'EX', this.deps.config.ACCESS_CACHE_SECONDS, 'NX');
    return access;
  }

  async fromDatabase(userId: number): Promise<Access | null> {
    const user = await this.users
      .findOne({ telegramId: userId }, { role: 1, staffRoles: 1, staffRegions: 1, staffTopics: 1 })
      .lean<StaffFields>();
    return accessOfRecord(user);
  }

  /**
   * Gives or changes a member's access (MongoDB first, then the cache). `newcomer` creates the
   * user record when the person never wrote to the bot before opening the invite.
   */
  async grant(userId: number, access: Access, by: number, newcomer?: { chatId: number; locale: Locale }): Promise<void> {
    const normal = normalizeAccess(access);
    // A failed cache write must not leave an old copy behind: drop it before the record changes.
    await this.deps.redis.del(this.key(userId));
    const set: Record<string, unknown> = { role: 'staff', staffRoles: normal.roles };
    const unset: Record<string, 1> = {};
    if (normal.regions === null) unset.staffRegions = 1;
    else set.staffRegions = normal.regions;
    if (normal.topics === null) unset.staffTopics = 1;
    else set.staffTopics = normal.topics;
    if (newcomer) Object.assign(set, { staffSince: this.deps.now(), invitedBy: by, chatId: newcomer.chatId });
    await this.users.updateOne(
      { telegramId: userId },
      {
        $set: set,
        ...(Object.keys(unset).length ? { $unset: unset } : {}),
        ...(newcomer ? { $setOnInsert: { telegramId: userId, locale: newcomer.locale } } : {}),
      },
      { upsert: Boolean(newcomer) },
    );
    await this.write(userId, normal);
  }

  /** Takes staff access away; returns whether the user had it. */
  async revoke(userId: number): Promise<boolean> {
    await this.deps.redis.del(this.key(userId));
    const result = await this.users.updateOne(
      { telegramId: userId, role: 'staff' },
      { $set: { role: 'citizen' }, $unset: { staffSince: 1, invitedBy: 1, staffRoles: 1, staffRegions: 1, staffTopics: 1 } },
    );
    await this.write(userId, null);
    return result.modifiedCount === 1;
  }

  /** The record is gone ("delete my data"): whatever it granted is gone with it. */
  async forget(userId: number): Promise<void> {
    await this.write(userId, null);
  }

  /** An attempt refused for lack of access, in the audit log (never with personal data). */
  async recordDenied(userId: number, permission: Permission | 'staff', target: string, details: Record<string, unknown> = {}): Promise<void> {
    await this.audit.record(userId, 'access.denied', target, { permission, ...details });
  }

  /**
   * The same, for a refusal whose effect is written first (a link withdrawn, a broadcast stopped):
   * a repair that finds the effect without its line writes it, once per `onceKey`.
   */
  async recordDeniedOnce(onceKey: string, userId: number, permission: Permission | 'staff', target: string, details: Record<string, unknown> = {}): Promise<boolean> {
    return this.audit.recordOnce(onceKey, userId, 'access.denied', target, { permission, ...details });
  }

  private async write(userId: number, access: Access | null): Promise<void> {
    await this.deps.redis.set(this.key(userId), this.encode(access), 'EX', this.deps.config.ACCESS_CACHE_SECONDS);
  }

  private encode(access: Access | null): string {
    return access ? JSON.stringify(access) : NONE;
  }
}
