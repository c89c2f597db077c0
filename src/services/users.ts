import type { Locale, UpdateMeta } from '../telegram/types.js';
import { userModel, type UserModel, type UserRecord } from '../db/models/user.js';
import { upsertRacing } from '../db/models/counter.js';
import type { ServiceDeps } from './service-deps.js';
import type { AccessService, RevokeMark } from './access.js';
import { LEGACY_STAFF_ACCESS, type Access } from '../app/access.js';
import { ReachMarkers } from './reach-markers.js';
import { RecordLockedError, type RecordLock } from './record-lock.js';
import { userRecordLock } from './user-record-lock.js';

/**
 * How long the touch of an update waits for another writer of the record (the lock is normally
 * held for one write): past that it is left to a later update rather than hold up this one.
 */
const TOUCH_WAIT_MS = 2_000;

/**
 * Records of other features that copy part of the user record (a volunteer profile keeps the
 * chat's language and whether it blocked the bot, so matching needs no join). The composition
 * (services/index.ts) hands them in, so this service imports no feature.
 */
export interface UserCopies {
  /** The user wrote again: a copy marked blocked is cleared. */
  returned(userId: number): Promise<void>;
  localeChanged(userId: number, locale: Locale): Promise<void>;
  blockedChanged(who: { userId: number } | { chatId: number }, blocked: boolean): Promise<void>;
}

export class UsersService {
  private readonly users: UserModel;
  /** Redis copies of blocked / announcements off, for the send-time check of broadcast jobs. */
  private readonly markers: ReachMarkers;
  /**
   * Every write of the record, however small, is a write of the whole document on FerretDB: each
   * takes the lock access changes take, or it could write back the role a revoke just took away.
   */
  private readonly lock: RecordLock;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly access: AccessService,
    private readonly copies: UserCopies[] = [],
  ) {
    this.users = userModel(deps.connection);
    this.markers = new ReachMarkers(deps.redis, deps.config.REDIS_PREFIX);
    this.lock = userRecordLock(deps);
  }

  /** One write of this user's record, under the record lock. */
  private writeRecord<T>(userId: number, write: () => Promise<T>, waitMs?: number): Promise<T> {
    return this.lock.run(String(userId), write, waitMs);
  }

  /**
   * Records that the user wrote to the bot: creates them, and a message clears "blocked". Returns
   * false, having written nothing, when another writer kept the record for TOUCH_WAIT_MS: the
   * caller tries again with a later update, and this one is not held up or failed for it.
   * A tap on a button of someone who deleted their data lately only refreshes a record there is:
   * a tap on a button from before the erasure is not writing to the bot again. False when there
   * was none.
   */
  async touch(meta: UpdateMeta, locale: Locale, tap = false): Promise<boolean> {
    const create = !tap || !(await this.markers.erasedLately(meta.chatId));
    let written: { upsertedCount: number; matchedCount: number };
    try {
      written = await this.writeRecord(
        meta.userId,
        () =>
          upsertRacing(() =>
            this.users.updateOne(
              { telegramId: meta.userId },
              {
                $set: { chatId: meta.chatId, lastSeenAt: this.deps.now(), blocked: false },
                $unset: { blockedAt: 1 },
                $setOnInsert: { telegramId: meta.userId, locale },
              },
              { upsert: create },
            ),
          ),
        TOUCH_WAIT_MS,
      );
    } catch (error) {
      if (error instanceof RecordLockedError) return false;
      throw error;
    }
    if (written.matchedCount + written.upsertedCount === 0) return false;
    await this.markers.setBlocked(meta.chatId, false);
    // A new record (first visit, or back after erasure) wants announcements, as the default says.
    if (written.upsertedCount > 0) await this.markers.setAnnouncements(meta.chatId, true);
    if (written.upsertedCount > 0) await this.markers.returned(meta.chatId);
    for (const copy of this.copies) await copy.returned(meta.userId);
    return true;
  }

  async setLocale(userId: number, locale: Locale): Promise<void> {
    await this.writeRecord(userId, () => this.users.updateOne({ telegramId: userId }, { $set: { locale, localeChosen: true } }));
    await this.markers.setLanguage(userId, locale);
    for (const copy of this.copies) await copy.localeChanged(userId, locale);
  }

  async setBlocked(userId: number, blocked: boolean): Promise<void> {
    await this.writeRecord(userId, () =>
      this.users.updateOne(
        { telegramId: userId },
        blocked ? { $set: { blocked: true, blockedAt: this.deps.now() } } : { $set: { blocked: false }, $unset: { blockedAt: 1 } },
      ),
    );
    await this.markers.setBlocked(userId, blocked);
    for (const copy of this.copies) await copy.blockedChanged({ userId }, blocked);
  }

  async setBlockedByChat(chatId: number): Promise<void> {
    // The lock is by user: whose chat it is comes first (a read, and only when Telegram said 403).
    const user = await this.users.findOne({ chatId }, { telegramId: 1 }).lean<{ telegramId: number }>();
    if (user) {
      await this.writeRecord(user.telegramId, () =>
        this.users.updateOne({ telegramId: user.telegramId, chatId }, { $set: { blocked: true, blockedAt: this.deps.now() } }),
      );
      await this.markers.setBlocked(chatId, true);
    } else {
      // After "Delete my data": a job queued before is still skipped, without a lasting trace.
      await this.markers.setBlockedWhileQueued(chatId);
    }
    for (const copy of this.copies) await copy.blockedChanged({ chatId }, true);
  }

  async setAnnouncements(userId: number, on: boolean): Promise<void> {
    await this.writeRecord(userId, () => this.users.updateOne({ telegramId: userId }, { $set: { announcements: on } }));
    await this.markers.setAnnouncements(userId, on);
  }

  async setRegion(userId: number, region: string): Promise<void> {
    await this.writeRecord(userId, () => this.users.updateOne({ telegramId: userId }, { $set: { region } }));
  }

  /** The language the person picked, if they ever did (and their record was not deleted since). */
  async chosenLocale(userId: number): Promise<Locale | null> {
    const user = await this.users.findOne({ telegramId: userId, localeChosen: true }, { locale: 1 }).lean<{ locale: Locale }>();
    return user?.locale ?? null;
  }

  async get(userId: number): Promise<UserRecord | null> {
    return this.users.findOne({ telegramId: userId }).lean<UserRecord>();
  }

  /** Staff access of any kind (read through the access cache, so as fresh as the last change). */
  async isStaff(userId: number): Promise<boolean> {
    return (await this.access.get(userId)) !== null;
  }

  /**
   * Makes the user a staff member; without `access`, with every staff power in every region (what
   * staff could do before roles existed). Written through the access cache.
   */
  async makeStaff(userId: number, chatId: number, locale: Locale, invitedBy: number, access?: Access): Promise<void> {
    const given = access ?? { ...LEGACY_STAFF_ACCESS, roles: [...LEGACY_STAFF_ACCESS.roles] };
    await this.access.grant(userId, given, invitedBy, { chatId, locale });
  }

  /** Returns whether the user was staff. */
  async revokeStaff(userId: number, mark?: RevokeMark): Promise<boolean> {
    return this.access.revoke(userId, mark);
  }

  async listStaff(): Promise<
    Array<Pick<UserRecord, 'telegramId' | 'staffSince' | 'invitedBy' | 'locale' | 'role' | 'staffRoles' | 'staffRegions' | 'staffTopics'>>
  > {
    return this.users
      .find({ role: 'staff' }, { telegramId: 1, staffSince: 1, invitedBy: 1, locale: 1, role: 1, staffRoles: 1, staffRegions: 1, staffTopics: 1 })
      .sort({ staffSince: 1 })
      .lean();
  }

  /** Deleted their data lately and wrote nothing since: a tap makes no account again. */
  erasedLately(chatId: number): Promise<boolean> {
    return this.markers.erasedLately(chatId);
  }

  async erase(userId: number): Promise<void> {
    // Without the record lock: no write can bring a deleted record back. FerretDB writes an update
    // by the document's _id, which finds the row gone, and an upsert whose read found the record
    // takes that same path (test/attack/erase-vs-writes.test.ts, both orders, every writer).
    await this.users.deleteOne({ telegramId: userId });
    // Jobs already queued for them are dropped at send time, as for someone who opted out.
    await this.markers.forget(userId);
    // Whatever the record granted goes with it, in the cache too.
    await this.access.forget(userId);
  }
}
