import type { Locale } from '../../telegram/types.js';
import { volunteerModel, type VolunteerModel, type VolunteerRecord } from './volunteer.model.js';
import { userModel, type UserModel } from '../../db/models/user.js';
import { isLocale } from '../../telegram/types.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import type { MatchCriteria } from './mission-match.js';
import { missionMatchKey } from './match-keys.js';
import { MatchLists } from './match-lists.js';
import { repairPendingMatches, syncMatch, unlistVolunteer } from './match-sync.js';
import type { UserCopies } from '../../services/users.js';
import type { RecordLock } from '../../services/record-lock.js';
import { userRecordLock } from '../../services/user-record-lock.js';

export interface VolunteerProfileInput {
  fullName: string;
  age: number;
  guardianConsent?: boolean;
  /** Normalised "+77XXXXXXXXX". */
  phone: string;
  region: string;
  areas: string[];
  availability: string[];
  skills: string[];
}

export interface VolunteerProfile extends VolunteerProfileInput {
  userId: number;
  chatId: number;
  locale: Locale;
  paused: boolean;
  createdAt?: Date;
}

/** Someone to send an invitation to, in their own language. */
export interface VolunteerRecipient {
  userId: number;
  chatId: number;
  locale: Locale;
}

type EditableField = keyof Omit<VolunteerProfileInput, 'guardianConsent'>;

/** The answers matching reads: the match keys are made of all but skills, which the lists hold. */
const MATCHED_ON = new Set<EditableField>(['region', 'areas', 'availability', 'age', 'skills']);
/** Set with every change matching must follow; removed when keys and lists follow it (match-sync.ts). */
const PENDING = { matchPending: true } as const;
/** A change pending this long is not in flight any more: its list update failed. */
const STUCK_AFTER_MS = 60_000;

/** Volunteer profiles: sign-up, edits, pause, leaving, and who matches a mission. */
export class VolunteersService implements UserCopies {
  private readonly volunteers: VolunteerModel;
  private readonly users: UserModel;
  private readonly lists: MatchLists;
  /** The user record's lock (user-record-lock.ts): a flag written here must not undo a revoke. */
  private readonly userLock: RecordLock;

  constructor(protected readonly deps: ServiceDeps) {
    this.volunteers = volunteerModel(deps.connection);
    this.users = userModel(deps.connection);
    this.lists = new MatchLists(deps.connection);
    this.userLock = userRecordLock(deps);
  }

  /** One write of the volunteer's user record, under that record's lock. */
  private writeUser<T>(userId: number, write: () => Promise<T>): Promise<T> {
    return this.userLock.run(String(userId), write);
  }

  /** Brings the match keys and lists in step with the records `who` selects (see match-sync.ts). */
  private sync(who: { userId: number } | { chatId: number }): Promise<void> {
    return syncMatch(this.volunteers, this.lists, who);
  }

  // The profile's copies of the user record (UserCopies): matching reads them without a join.

  /** A volunteer who comes back after blocking the bot is invited to missions again. */
  async returned(userId: number): Promise<void> {
    // Matches nobody in the usual case, and the unique userId index finds that at once.
    const back = await this.volunteers.updateOne({ userId, blocked: true }, { $unset: { blocked: 1 }, $set: PENDING });
    if (back.modifiedCount > 0) await this.sync({ userId });
  }

  /** Mission invitations are written in the profile's language (see matching). */
  async localeChanged(userId: number, locale: Locale): Promise<void> {
    // The match lists hold the language too. Nothing changes for someone who is not a volunteer.
    const changed = await this.volunteers.updateOne({ userId, locale: { $ne: locale } }, { $set: { locale, ...PENDING } });
    if (changed.modifiedCount > 0) await this.sync({ userId });
  }

  async blockedChanged(who: { userId: number } | { chatId: number }, blocked: boolean): Promise<void> {
    const changed = await this.volunteers.updateMany(
      blocked ? { ...who, blocked: { $ne: true } } : { ...who, blocked: true },
      blocked ? { $set: { blocked: true, ...PENDING } } : { $unset: { blocked: 1 }, $set: PENDING },
    );
    if (changed.modifiedCount > 0) await this.sync(who);
  }

  /** Creates the profile, or replaces it when the person signs up again. */
  async register(userId: number, chatId: number, locale: Locale, input: VolunteerProfileInput): Promise<void> {
    const { phone, ...rest } = input;
    await this.volunteers.updateOne(
      { userId },
      {
        $set: {
          ...rest,
          guardianConsent: input.age < 18 ? input.guardianConsent === true : undefined,
          chatId,
          locale,
          phoneEnc: this.deps.cipher.encrypt(phone),
          phoneHash: this.deps.cipher.lookupHash(phone),
          consentAt: this.deps.now(),
          ...PENDING,
        },
        $setOnInsert: { userId, paused: false },
      },
      { upsert: true },
    );
    await this.sync({ userId });
    const record = await this.volunteers.findOne({ userId }, { paused: 1 }).lean<{ paused?: boolean }>();
    await this.markGroup(userId, chatId, locale, record?.paused !== true, input.region);
  }

  /**
   * The user record's `volunteer` flag, which broadcasts to "volunteers" select on (see User),
   * and the profile's region, which broadcasts to a region select on.
   */
  private async markGroup(userId: number, chatId: number, locale: Locale, active: boolean, region: string): Promise<void> {
    await this.writeUser(userId, () =>
      this.users.updateOne(
        { telegramId: userId },
        { $set: { volunteer: active, region, volunteerRegion: region }, $setOnInsert: { telegramId: userId, chatId, locale } },
        { upsert: true },
      ),
    );
  }

  async isVolunteer(userId: number): Promise<boolean> {
    return (await this.volunteers.exists({ userId })) !== null;
  }

  async get(userId: number): Promise<VolunteerProfile | null> {
    const record = await this.volunteers.findOne({ userId }).lean<VolunteerRecord>();
    return record ? this.toProfile(record) : null;
  }

  /** Several profiles at once (the roster), keyed by user id. */
  async getMany(userIds: number[]): Promise<Map<number, VolunteerProfile>> {
    if (userIds.length === 0) return new Map();
    const records = await this.volunteers.find({ userId: { $in: userIds } }).lean<VolunteerRecord[]>();
    return new Map(records.map((r) => [r.userId, this.toProfile(r)]));
  }

  /** Changes one answer of the profile; returns false when there is no profile. */
  async updateField(userId: number, field: EditableField, value: unknown, extra: { guardianConsent?: boolean } = {}): Promise<boolean> {
    const set: Record<string, unknown> = {};
    if (field === 'phone') {
      set.phoneEnc = this.deps.cipher.encrypt(String(value));
      set.phoneHash = this.deps.cipher.lookupHash(String(value));
    } else {
      set[field] = value;
    }
    if (field === 'age') set.guardianConsent = Number(value) < 18 ? extra.guardianConsent === true : undefined;
    if (MATCHED_ON.has(field)) Object.assign(set, PENDING);
    const result = await this.volunteers.updateOne({ userId }, { $set: set });
    // A volunteer who moved gets announcements to their new region.
    if (result.matchedCount === 1 && field === 'region') {
      await this.writeUser(userId, () => this.users.updateOne({ telegramId: userId }, { $set: { region: String(value), volunteerRegion: String(value) } }));
    }
    if (result.matchedCount === 1 && MATCHED_ON.has(field)) await this.sync({ userId });
    return result.matchedCount === 1;
  }

  async setPaused(userId: number, paused: boolean): Promise<boolean> {
    const result = await this.volunteers.updateOne({ userId }, { $set: { paused, ...PENDING } });
    if (result.matchedCount !== 1) return false;
    // The audience flag before the lists: a failed list update must not also keep "volunteers"
    // announcements going to someone who paused (the lists are repaired by the tick).
    await this.writeUser(userId, () => this.users.updateOne({ telegramId: userId }, { $set: { volunteer: !paused } }));
    await this.sync({ userId });
    return true;
  }

  /** Deletes the profile; missions and hours are handled by MissionsService.eraseVolunteer. */
  async remove(userId: number): Promise<boolean> {
    // Out of the match lists first (they hold the chat id); a crash before the delete is finished at start-up.
    await unlistVolunteer(this.volunteers, this.lists, userId);
    // The record as it went (FerretDB 1.24 takes no projection here).
    const gone = await this.volunteers.findOneAndDelete({ userId }).lean<{ matchKeys?: string[] | null; matchTouch?: string[] | null }>();
    // A key refresh racing this one (another process's start-up repair, a block reported by the
    // delivery worker) may have given the record its keys back, and a mission may have listed
    // it since: the keys the record had when it went are dropped once more.
    const regained = [...(gone?.matchKeys ?? []), ...(gone?.matchTouch ?? [])];
    if (regained.length > 0) await this.lists.touch(regained);
    await this.writeUser(userId, async () => {
      await this.users.updateOne({ telegramId: userId }, { $unset: { volunteer: 1, volunteerRegion: 1 } });
      // The region came from the profile unless they also applied for a grant (an application keeps its own).
      await this.users.updateOne({ telegramId: userId, applicant: { $ne: true } }, { $unset: { region: 1 } });
    });
    return gone !== null;
  }

  /** Telegram ids of volunteers who have not paused invitations (broadcasts to "volunteers"). */
  async activeUserIds(): Promise<number[]> {
    const records = await this.volunteers.find({ paused: { $ne: true } }, { userId: 1 }).lean<Array<{ userId: number }>>();
    return records.map((r) => r.userId);
  }

  /**
   * Volunteers a mission should invite: not paused, not blocked, and fitting the mission
   * (fitsMission: region, area, every required skill, age, availability).
   */
  async matching(criteria: MatchCriteria): Promise<VolunteerRecipient[]> {
    // The match key's list (match-lists.ts): the volunteer records the { matchKeys } index
    // selects, checked against every rule but skills (checked here), packed 100 to a record, so a
    // mission reads a few records however many volunteers it invites. Blocked and language are
    // copies of the user record's (UsersService keeps them).
    const [members, pending] = await Promise.all([this.lists.members(missionMatchKey(criteria)), this.pendingIds()]);
    return members
      // A volunteer whose change is not yet in the lists (in flight, or its list update failed
      // until the repair tick) is left out rather than invited on what they may have just undone:
      // paused, blocked the bot, moved region.
      .filter((m) => !pending.has(m.userId))
      .filter((m) => criteria.skills.every((s) => m.skills.includes(s)))
      .map((m) => ({ userId: m.userId, chatId: m.chatId, locale: isLocale(m.locale) ? m.locale : this.deps.config.DEFAULT_LOCALE }));
  }

  /** Volunteers with a change not yet carried into the match lists (an indexed equality; usually none). */
  private async pendingIds(): Promise<Set<number>> {
    const pending = await this.volunteers.find({ matchPending: true }, { userId: 1 }).lean<Array<{ userId: number }>>();
    return new Set(pending.map((p) => p.userId));
  }

  /** The repair tick: changes whose list update failed (pending for over a minute) are finished. */
  repairStuckMatches(now = new Date()): Promise<number> {
    return repairPendingMatches(this.volunteers, this.lists, new Date(now.getTime() - STUCK_AFTER_MS));
  }

  /** Where and in which language to reach one volunteer (or any user, for notices). */
  async recipient(userId: number): Promise<VolunteerRecipient | null> {
    const user = await this.users.findOne({ telegramId: userId }, { chatId: 1, locale: 1, blocked: 1 }).lean<{ chatId: number; locale: string; blocked?: boolean }>();
    const volunteer = await this.volunteers.findOne({ userId }, { chatId: 1, locale: 1 }).lean<{ chatId: number; locale: string }>();
    if (user?.blocked) return null;
    const chatId = user?.chatId ?? volunteer?.chatId;
    if (chatId === undefined) return null;
    const locale = [user?.locale, volunteer?.locale].find(isLocale) ?? this.deps.config.DEFAULT_LOCALE;
    return { userId, chatId, locale };
  }

  private toProfile(record: VolunteerRecord): VolunteerProfile {
    return {
      userId: record.userId,
      chatId: record.chatId,
      locale: record.locale,
      fullName: record.fullName,
      age: record.age,
      ...(record.guardianConsent !== undefined && record.guardianConsent !== null ? { guardianConsent: record.guardianConsent } : {}),
      phone: this.deps.cipher.decrypt(record.phoneEnc),
      region: record.region,
      areas: [...record.areas],
      availability: [...record.availability],
      skills: [...record.skills],
      paused: record.paused === true,
      ...(record.createdAt ? { createdAt: record.createdAt } : {}),
    };
  }
}
