import type { Locale } from '../../telegram/types.js';
import { volunteerModel, type VolunteerModel, type VolunteerRecord } from './volunteer.model.js';
import { userModel, type UserModel } from '../../db/models/user.js';
import { isLocale } from '../../telegram/types.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import { fitsMission, matchFilter, type MatchCriteria } from './mission-match.js';
import { refreshMatchKeys } from './match-keys.js';
import type { UserCopies } from '../../services/users.js';

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

/** The answers the mission match keys are made of (skills are checked in code). */
const MATCHED_ON = new Set<EditableField>(['region', 'areas', 'availability', 'age']);

/** Volunteer profiles: sign-up, edits, pause, leaving, and who matches a mission. */
export class VolunteersService implements UserCopies {
  private readonly volunteers: VolunteerModel;
  private readonly users: UserModel;

  constructor(protected readonly deps: ServiceDeps) {
    this.volunteers = volunteerModel(deps.connection);
    this.users = userModel(deps.connection);
  }

  // The profile's copies of the user record (UserCopies): matching reads them without a join.

  /** A volunteer who comes back after blocking the bot is invited to missions again. */
  async returned(userId: number): Promise<void> {
    // Matches nobody in the usual case, and the unique userId index finds that at once.
    const back = await this.volunteers.updateOne({ userId, blocked: true }, { $unset: { blocked: 1 } });
    if (back.modifiedCount > 0) await refreshMatchKeys(this.volunteers, { userId });
  }

  /** Mission invitations are written in the profile's language (see matching). */
  async localeChanged(userId: number, locale: Locale): Promise<void> {
    await this.volunteers.updateOne({ userId }, { $set: { locale } });
  }

  async blockedChanged(who: { userId: number } | { chatId: number }, blocked: boolean): Promise<void> {
    const changed = await this.volunteers.updateOne(who, blocked ? { $set: { blocked: true } } : { $unset: { blocked: 1 } });
    if (changed.modifiedCount > 0) await refreshMatchKeys(this.volunteers, who);
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
        },
        $setOnInsert: { userId, paused: false },
      },
      { upsert: true },
    );
    await refreshMatchKeys(this.volunteers, { userId });
    const record = await this.volunteers.findOne({ userId }, { paused: 1 }).lean<{ paused?: boolean }>();
    await this.markGroup(userId, chatId, locale, record?.paused !== true);
  }

  /** The user record's `volunteer` flag, which broadcasts to "volunteers" select on (see User). */
  private async markGroup(userId: number, chatId: number, locale: Locale, active: boolean): Promise<void> {
    await this.users.updateOne(
      { telegramId: userId },
      { $set: { volunteer: active }, $setOnInsert: { telegramId: userId, chatId, locale } },
      { upsert: true },
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
    const result = await this.volunteers.updateOne({ userId }, { $set: set });
    if (result.matchedCount === 1 && MATCHED_ON.has(field)) await refreshMatchKeys(this.volunteers, { userId });
    return result.matchedCount === 1;
  }

  async setPaused(userId: number, paused: boolean): Promise<boolean> {
    const result = await this.volunteers.updateOne({ userId }, { $set: { paused } });
    if (result.matchedCount === 1) await refreshMatchKeys(this.volunteers, { userId });
    if (result.matchedCount === 1) await this.users.updateOne({ telegramId: userId }, { $set: { volunteer: !paused } });
    return result.matchedCount === 1;
  }

  /** Deletes the profile; missions and hours are handled by MissionsService.eraseVolunteer. */
  async remove(userId: number): Promise<boolean> {
    const result = await this.volunteers.deleteOne({ userId });
    await this.users.updateOne({ telegramId: userId }, { $unset: { volunteer: 1 } });
    return result.deletedCount === 1;
  }

  /** Telegram ids of volunteers who have not paused invitations (broadcasts to "volunteers"). */
  async activeUserIds(): Promise<number[]> {
    const records = await this.volunteers.find({ paused: { $ne: true } }, { userId: 1 }).lean<Array<{ userId: number }>>();
    return records.map((r) => r.userId);
  }

  /**
   * Volunteers a mission should invite: not paused, not blocked, and fitting the mission
   * (fitsMission: region, area, every required skill, age).
   */
  async matching(criteria: MatchCriteria): Promise<VolunteerRecipient[]> {
    // One equality on the precomputed match keys, served by the { matchKeys } index; skills are
    // filtered in code rather than with $all, whose empty-list behaviour differs between servers.
    // Every rule is checked again in code, so a key not yet refreshed never invites the wrong
    // person. Blocked and language are copies of the user record's (UsersService keeps them).
    const candidates = await this.volunteers
      .find(matchFilter(criteria), { userId: 1, chatId: 1, locale: 1, region: 1, areas: 1, skills: 1, age: 1, availability: 1, paused: 1, blocked: 1 })
      .lean<Array<Pick<VolunteerRecord, 'userId' | 'chatId' | 'locale' | 'region' | 'areas' | 'skills' | 'age' | 'availability' | 'paused' | 'blocked'>>>();
    return candidates
      .filter((c) => c.paused !== true && c.blocked !== true && fitsMission(c, criteria))
      .map((c) => ({ userId: c.userId, chatId: c.chatId, locale: isLocale(c.locale) ? c.locale : this.deps.config.DEFAULT_LOCALE }));
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
