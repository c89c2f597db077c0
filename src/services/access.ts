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
import type { RecordLock } from './record-lock.js';
import { userRecordLock } from './user-record-lock.js';

/** The cached form of "not staff": citizens are cached too, so their updates skip MongoDB as well. */
const NONE = 'none';

/** A withdrawal whose audit line is still to be written (the user record's `revokeDue`): which one, and by whom. */
export interface RevokeMark {
  key: string;
  by: number;
  at: Date;
}

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
  private readonly lock: RecordLock;

  constructor(
    private readonly deps: ServiceDepsWithRedis,
    private readonly audit: AuditService,
  ) {
    this.users = userModel(deps.connection);
    // The lock every writer of the user record takes: any of them could write an older role back.
    this.lock = userRecordLock(deps);
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
    await this.store(userId, access, { by, newcomer });
  }

  /**
   * Changes the access of a member who is staff now (the Staff screen's change): one read before
   * another admin's revoke and written after it gives nothing back. Returns whether it was written.
   */
  async change(userId: number, access: Access): Promise<boolean> {
    return this.store(userId, access, { onlyStaff: true });
  }

  private async store(userId: number, access: Access, how: { by?: number; newcomer?: { chatId: number; locale: Locale }; onlyStaff?: boolean }): Promise<boolean> {
    const normal = normalizeAccess(access);
    const { newcomer } = how;
    const set: Record<string, unknown> = { role: 'staff', staffRoles: normal.roles };
    const unset: Record<string, 1> = {};
    if (normal.regions === null) unset.staffRegions = 1;
    else set.staffRegions = normal.regions;
    if (normal.topics === null) unset.staffTopics = 1;
    else set.staffTopics = normal.topics;
    if (newcomer) Object.assign(set, { staffSince: this.deps.now(), invitedBy: how.by, chatId: newcomer.chatId });
    return this.writing(userId, async () => {
      const result = await this.users.updateOne(
        how.onlyStaff ? { telegramId: userId, role: 'staff' } : { telegramId: userId },
        {
          $set: set,
          ...(Object.keys(unset).length ? { $unset: unset } : {}),
          ...(newcomer ? { $setOnInsert: { telegramId: userId, locale: newcomer.locale } } : {}),
        },
        { upsert: Boolean(newcomer) },
      );
      if (!how.onlyStaff || result.matchedCount === 1) return { written: true, access: normal };
      return { written: false, access: await this.fromDatabase(userId) };
    });
  }

  /**
   * Takes staff access away; returns whether the user had it. `mark`: written in the same update,
   * so the withdrawal carries its audit line still due (see `revokeDue` on the user record).
   */
  async revoke(userId: number, mark?: RevokeMark): Promise<boolean> {
    return this.writing(userId, async () => {
      const result = await this.users.updateOne(
        { telegramId: userId, role: 'staff' },
        {
          $set: { role: 'citizen', ...(mark ? { revokeDue: { ...mark, due: true } } : {}) },
          $unset: { staffSince: 1, invitedBy: 1, staffRoles: 1, staffRegions: 1, staffTopics: 1 },
        },
      );
      return { written: result.modifiedCount === 1, access: null };
    });
  }

  /** The withdrawal of this member whose audit line is still due, if any. */
  async revokeDue(userId: number): Promise<RevokeMark | null> {
    const user = await this.users.findOne({ telegramId: userId }, { revokeDue: 1 }).lean<{ revokeDue?: RevokeMark | null }>();
    return user?.revokeDue ? { key: user.revokeDue.key, by: user.revokeDue.by, at: user.revokeDue.at } : null;
  }

  /** Members with a withdrawal whose audit line is still due (the repair pass), a batch at a time. */
  async revokesDue(limit = 100): Promise<Array<{ userId: number; mark: RevokeMark }>> {
    const users = await this.users.find({ 'revokeDue.due': true }, { telegramId: 1, revokeDue: 1 }).limit(limit).lean<Array<{ telegramId: number; revokeDue: RevokeMark }>>();
    return users.map((u) => ({ userId: u.telegramId, mark: { key: u.revokeDue.key, by: u.revokeDue.by, at: u.revokeDue.at } }));
  }

  /**
   * The line of withdrawal `key` is written: its mark goes. Under the member's record lock, as
   * every write of the record's access is: FerretDB writes an update as the whole document read a
   * moment before, and this one must not undo a new invitation redeemed at the same moment.
   */
  async revokeAudited(userId: number, key: string): Promise<void> {
    await this.lock.run(String(userId), () => this.users.updateOne({ telegramId: userId, 'revokeDue.key': key }, { $unset: { revokeDue: 1 } }));
  }

  /** The record is gone ("delete my data"): whatever it granted is gone with it. */
  async forget(userId: number): Promise<void> {
    await this.writing(userId, async () => ({ written: true, access: null }));
  }

  /**
   * One writer of a member's access at a time, across processes (the record lock): the copy is
   * dropped, MongoDB written, then the copy written. Two writers interleaved (a revoke landing
   * between another admin's change and its copy) would leave the copy of the change over a
   * record that says "citizen", and every update would read that copy for an hour. Readers need
   * no lock: their rebuild is SET NX, and the writer's last SET wins over it.
   */
  private async writing(userId: number, write: () => Promise<{ written: boolean; access: Access | null }>): Promise<boolean> {
    return this.lock.run(String(userId), async () => {
      // A failed cache write must not leave an old copy behind: drop it before the record changes.
      await this.deps.redis.del(this.key(userId));
      const { written, access } = await write();
      await this.write(userId, access);
      return written;
    });
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
