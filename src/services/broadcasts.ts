import { Types } from 'mongoose';
import type { ServiceDeps } from './service-deps.js';
import type { AuditService } from './audit.js';
import { userModel, type UserModel } from '../db/models/user.js';
import { broadcastModel, type AudienceGroup, type BroadcastModel, type BroadcastRecord } from '../db/models/broadcast.js';
import type { DeliveryJob, DeliveryOutcome } from '../delivery/types.js';
import type { Locale } from '../telegram/types.js';
import { pickLanguage, processed, figuresOf, renderAnnouncement, type BroadcastTexts } from './broadcast-render.js';

export interface AudienceSpec {
  group: AudienceGroup;
  region?: string;
  language?: Locale;
  /** For 'volunteers' and 'applicants': the users of that group (resolved by the caller). */
  userIds?: number[];
}

export interface NewBroadcast {
  createdBy: number;
  staffChatId: number;
  staffLocale: Locale;
  texts: BroadcastTexts;
  fallback: Locale;
  audience: AudienceSpec;
  /** Omit to send now. */
  sendAt?: Date;
}

export type BroadcastDoc = BroadcastRecord & { _id: Types.ObjectId };

const ACTIVE = ['scheduled', 'sending'] as const;
const COUNTED = ['sent', 'failed', 'blocked', 'skipped'] as const;

export function broadcastJobId(broadcastId: string, chatId: number): string {
  return `bc-${broadcastId}-${chatId}`;
}

/** Staff announcements: who gets them, queueing one job per person, and the running figures. */
export class BroadcastsService {
  private readonly users: UserModel;
  private readonly broadcasts: BroadcastModel;
  /** Status by broadcast id for a second: every job asks before sending, the answer rarely changes. */
  private readonly statusCache = new Map<string, { status: string; at: number }>();
  private readonly counting = new Map<string, Promise<unknown>>();

  constructor(
    protected readonly deps: ServiceDeps,
    private readonly audit: AuditService,
  ) {
    this.users = userModel(deps.connection);
    this.broadcasts = broadcastModel(deps.connection);
  }

  /** People who want announcements and have not blocked the bot, narrowed by the audience. */
  private filter(audience: AudienceSpec): Record<string, unknown> {
    const filter: Record<string, unknown> = { blocked: { $ne: true }, announcements: { $ne: false } };
    if (audience.region) filter.region = audience.region;
    if (audience.language) filter.locale = audience.language;
    if (audience.group !== 'all') filter.telegramId = { $in: audience.userIds ?? [] };
    return filter;
  }

  /** The message exactly as a recipient in this language gets it (used for the preview too). */
  render(locale: Locale, text: string): string {
    return renderAnnouncement(this.deps.i18n, locale, text);
  }

  async countAudience(audience: AudienceSpec): Promise<number> {
    return this.users.countDocuments(this.filter(audience));
  }

  /** Records the broadcast, queues one job per recipient and writes the audit entry. */
  async create(input: NewBroadcast): Promise<{ id: string; total: number }> {
    const now = this.deps.now();
    const sendAt = input.sendAt && input.sendAt.getTime() > now.getTime() ? input.sendAt : now;
    const scheduled = sendAt.getTime() > now.getTime();
    const recipients = await this.users
      .find(this.filter(input.audience), { _id: 1, telegramId: 1, chatId: 1, locale: 1 })
      .lean<Array<{ _id: Types.ObjectId; telegramId: number; chatId: number; locale: string }>>();
    const { userIds: _ids, ...audience } = input.audience;
    const doc = await this.broadcasts.create({
      createdBy: input.createdBy,
      staffChatId: input.staffChatId,
      staffLocale: input.staffLocale,
      texts: input.texts,
      fallback: input.fallback,
      audience,
      sendAt,
      status: scheduled ? 'scheduled' : 'sending',
      total: recipients.length,
      ...(scheduled ? {} : { startedAt: now }),
    });
    const id = String(doc._id);
    const jobs: DeliveryJob[] = recipients.map((user) => {
      const locale = pickLanguage(input.texts, input.fallback, user.locale);
      return {
        id: broadcastJobId(id, user.chatId),
        chatId: user.chatId,
        kind: 'broadcast',
        text: renderAnnouncement(this.deps.i18n, locale, input.texts[locale]!),
        broadcastId: id,
        recipientRef: String(user._id),
        ...(scheduled ? { notBefore: sendAt } : {}),
      };
    });
    await this.deps.delivery.enqueue(jobs);
    await this.audit.record(input.createdBy, 'broadcast.create', `broadcast:${id}`, {
      total: recipients.length,
      languages: Object.keys(input.texts),
      fallback: input.fallback,
      audience,
      sendAt: sendAt.toISOString(),
    });
    if (recipients.length === 0) await this.broadcasts.updateOne({ _id: doc._id }, { $set: { status: 'done', finishedAt: now } });
    return { id, total: recipients.length };
  }

  async get(id: string): Promise<BroadcastDoc | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    return this.broadcasts.findById(id).lean<BroadcastDoc>();
  }

  async recent(limit = 10): Promise<BroadcastDoc[]> {
    return this.broadcasts.find({}).sort({ createdAt: -1 }).limit(limit).lean<BroadcastDoc[]>();
  }

  /** Stops what has not gone yet. Returns the broadcast, or null if it had already ended. */
  async cancel(id: string, actorId: number): Promise<BroadcastDoc | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.serial(id, () =>
      this.broadcasts
        .findOneAndUpdate(
          { _id: id, status: { $in: ACTIVE } },
          { $set: { status: 'cancelled', cancelledAt: this.deps.now(), cancelledBy: actorId } },
          { returnDocument: 'after' },
        )
        .lean<BroadcastDoc>(),
    );
    if (!doc) return null;
    this.statusCache.set(id, { status: 'cancelled', at: Date.now() });
    const removed = (await this.deps.delivery.cancelBroadcast?.(id)) ?? 0;
    await this.audit.record(actorId, 'broadcast.cancel', `broadcast:${id}`, { removed, ...figuresOf(doc) });
    return doc;
  }

  private async statusOf(id: string): Promise<string | undefined> {
    const cached = this.statusCache.get(id);
    if (cached?.status === 'cancelled') return cached.status;
    if (cached && Date.now() - cached.at < 1000) return cached.status;
    const doc = Types.ObjectId.isValid(id) ? await this.broadcasts.findById(id, { status: 1 }).lean<{ status: string }>() : null;
    const status = doc?.status;
    if (status && this.statusCache.get(id)?.status !== 'cancelled') this.statusCache.set(id, { status, at: Date.now() });
    if (this.statusCache.size > 1000) this.statusCache.clear();
    return status;
  }

  /**
   * Send-time check. Broadcast jobs carry the user's record id (a primary-key read, fast on
   * MongoDB and FerretDB alike); other jobs go to private chats, whose id is the user's id, so
   * the unique telegramId index finds them. Anything but a broadcast only needs the user not to have blocked us;
   * a broadcast also needs them to still want announcements and the broadcast to be running.
   */
  async deliveryWanted(job: DeliveryJob): Promise<boolean> {
    if (job.kind === 'broadcast' && job.broadcastId) {
      const status = await this.statusOf(job.broadcastId);
      if (status !== 'sending' && status !== 'scheduled') return false;
    }
    const filter = job.recipientRef && Types.ObjectId.isValid(job.recipientRef) ? { _id: job.recipientRef } : { telegramId: job.chatId };
    const user = await this.users.findOne(filter, { blocked: 1, announcements: 1 }).lean<{ blocked?: boolean; announcements?: boolean }>();
    if (user?.blocked) return false;
    if (job.kind === 'broadcast') return user !== null && user.announcements !== false;
    return true;
  }

  /**
   * Counts one job's outcome (the worker guarantees once per job) and reports whether this was
   * the one that finished the broadcast, so exactly one worker sends the final report.
   */
  async recordOutcome(broadcastId: string, outcome: DeliveryOutcome): Promise<{ doc: BroadcastDoc; finished: boolean } | null> {
    if (!Types.ObjectId.isValid(broadcastId)) return null;
    return this.serial(broadcastId, () => this.count(broadcastId, outcome));
  }

  /**
   * Writes to one broadcast one at a time within a process. MongoDB's $inc is atomic anyway, but
   * FerretDB 1.24 on SQLite (tests, local runs) loses concurrent updates of one document
   * (measured: 4 of 20 concurrent $inc survived), and the worker runs several jobs at once.
   */
  private serial<T>(broadcastId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.counting.get(broadcastId) ?? Promise.resolve();
    const mine = previous.then(work);
    const settled = mine.catch(() => undefined);
    this.counting.set(broadcastId, settled);
    void settled.then(() => {
      if (this.counting.get(broadcastId) === settled) this.counting.delete(broadcastId);
    });
    return mine;
  }

  private async count(broadcastId: string, outcome: DeliveryOutcome): Promise<{ doc: BroadcastDoc; finished: boolean } | null> {
    const now = this.deps.now();
    // With totals from the worker's Redis counter, write absolute figures: repeating or
    // reordering such a write changes nothing, so a crash between Redis and here costs nothing.
    const totals = outcome.totals;
    const update = totals
      ? { $max: Object.fromEntries(COUNTED.map((k) => [k, Number(totals[k] ?? 0)])) }
      : { $inc: { [outcome.status]: 1 } };
    const doc = await this.broadcasts.findOneAndUpdate({ _id: broadcastId }, update, { returnDocument: 'after' }).lean<BroadcastDoc>();
    if (!doc) return null;
    if (doc.status === 'scheduled') {
      await this.broadcasts.updateOne({ _id: broadcastId, status: 'scheduled' }, { $set: { status: 'sending', startedAt: now } });
      doc.status = 'sending';
      doc.startedAt = now;
    }
    if (doc.status !== 'sending' || processed(figuresOf(doc)) < (doc.total ?? 0)) return { doc, finished: false };
    const done = await this.broadcasts.updateOne({ _id: broadcastId, status: 'sending' }, { $set: { status: 'done', finishedAt: now } });
    if (done.modifiedCount === 1) {
      doc.status = 'done';
      doc.finishedAt = now;
      await this.audit.record(doc.createdBy, 'broadcast.done', `broadcast:${broadcastId}`, { ...figuresOf(doc) });
    }
    return { doc, finished: done.modifiedCount === 1 };
  }

  /** Broadcasts being sent now (for the reconcile tick). */
  async sending(): Promise<BroadcastDoc[]> {
    return this.broadcasts.find({ status: 'sending' }, { texts: 0 }).lean<BroadcastDoc[]>();
  }

  /** Claims the right to send the progress message (one worker only); false if someone has it. */
  async claimProgressMessage(id: string): Promise<boolean> {
    const res = await this.serial(id, () =>
      this.broadcasts.updateOne({ _id: id, progressMessageId: { $exists: false } }, { $set: { progressMessageId: 0 } }),
    );
    return res.modifiedCount === 1;
  }

  async setProgressMessage(id: string, messageId: number): Promise<void> {
    await this.serial(id, () => this.broadcasts.updateOne({ _id: id }, { $set: { progressMessageId: messageId } }));
  }
}
