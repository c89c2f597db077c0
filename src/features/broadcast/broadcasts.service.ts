import { Types } from 'mongoose';
import type { ServiceDeps } from '../../services/service-deps.js';
import type { AuditService } from '../../services/audit.js';
import { userModel, type UserModel } from '../../db/models/user.js';
import { broadcastModel, type BroadcastModel, type BroadcastDoc } from './broadcast.model.js';
import { ACTIVE_STATUSES, type AudienceSpec } from './broadcast-types.js';
import type { DeliveryJob, DeliveryOutcome } from '../../delivery/types.js';
import type { Locale } from '../../telegram/types.js';
import { isDuplicateKey } from '../../db/models/counter.js';
import { OneAtATime } from '../../services/one-at-a-time.js';
import { ReachMarkers } from '../../services/reach-markers.js';
import { processed, figuresOf, pickLanguage, renderAnnouncement, type BroadcastTexts } from './broadcast-render.js';
import { audienceFilter, fanOut, stalledBroadcasts, type EnqueueDeps } from './broadcast-enqueue.js';

export { broadcastJobId } from './broadcast-enqueue.js';

export interface NewBroadcast {
  createdBy: number;
  staffChatId: number;
  staffLocale: Locale;
  texts: BroadcastTexts;
  fallback: Locale;
  audience: AudienceSpec;
  /** Omit to send now. */
  sendAt?: Date;
  /** Names this request: the same key again returns the broadcast already made. */
  requestKey?: string;
}

const COUNTED = ['sent', 'failed', 'blocked', 'skipped'] as const;

/** Staff announcements: who gets them, queueing one job per person, and the running figures. */
export class BroadcastsService {
  private readonly users: UserModel;
  private readonly broadcasts: BroadcastModel;
  /** Status by broadcast id for a second: every job asks before sending, the answer rarely changes. */
  private readonly statusCache = new Map<string, { status: string; at: number }>();
  /** Rendered texts by broadcast and language: a broadcast's texts never change once it is created. */
  private readonly textCache = new Map<string, string | undefined>();
  private readonly writes = new OneAtATime();
  private readonly enqueueDeps: EnqueueDeps;
  private readonly markers: ReachMarkers;
  private indexes?: Promise<unknown>;

  constructor(
    protected readonly deps: ServiceDeps,
    private readonly audit: AuditService,
  ) {
    this.users = userModel(deps.connection);
    this.broadcasts = broadcastModel(deps.connection);
    this.markers = new ReachMarkers(deps.redis, deps.config.REDIS_PREFIX);
    this.enqueueDeps = {
      users: this.users,
      broadcasts: this.broadcasts,
      delivery: deps.delivery,
      now: deps.now,
      serial: (id, work) => this.serial(id, work),
    };
  }

  /** The message exactly as a recipient in this language gets it (used for the preview too). */
  render(locale: Locale, text: string): string {
    return renderAnnouncement(this.deps.i18n, locale, text);
  }

  /**
   * The text a broadcast job sends, for jobs queued with only their language (`locale`), or in
   * the language the person chose since: read once per broadcast and language, then from memory.
   * Undefined when the broadcast is gone.
   */
  async textOf(job: Pick<DeliveryJob, 'broadcastId' | 'locale'> & Partial<Pick<DeliveryJob, 'chatId'>>): Promise<string | undefined> {
    if (!job.broadcastId || !job.locale || !Types.ObjectId.isValid(job.broadcastId)) return undefined;
    // The job carries the language picked when it was queued; one chosen since wins.
    const wanted = (job.chatId === undefined ? undefined : await this.markers.languageOf(job.chatId)) ?? job.locale;
    const key = `${job.broadcastId}|${wanted}`;
    if (this.textCache.has(key)) return this.textCache.get(key);
    const doc = await this.broadcasts.findById(job.broadcastId, { texts: 1, fallback: 1 }).lean<Pick<BroadcastDoc, 'texts' | 'fallback'>>();
    const texts = (doc?.texts ?? {}) as BroadcastTexts;
    const locale = doc ? pickLanguage(texts, doc.fallback, wanted) : undefined;
    const text = locale && texts[locale] ? this.render(locale, texts[locale]) : undefined;
    if (this.textCache.size > 1000) this.textCache.clear();
    this.textCache.set(key, text);
    return text;
  }

  /** Counted by the database (an indexed filter); nothing is loaded. */
  async countAudience(audience: AudienceSpec): Promise<number> {
    return this.users.countDocuments(audienceFilter(audience));
  }

  /**
   * Records the broadcast and the audit entry and hands the queueing to a fan-out job (the
   * delivery workers run it, a page at a time, with progress), so the staff member's update
   * returns at once whatever the audience. The total is the audience counted now; the fan-out
   * fixes it to what it really queued when it finishes, and the broadcast is only reported done
   * after that. If the job cannot be queued (Redis down) or its worker dies, a worker's reconcile
   * tick starts it again from the broadcast's cursor (resumeStalled).
   */
  async create(input: NewBroadcast): Promise<{ id: string; total: number }> {
    const now = this.deps.now();
    const sendAt = input.sendAt && input.sendAt.getTime() > now.getTime() ? input.sendAt : now;
    const scheduled = sendAt.getTime() > now.getTime();
    // New audiences are filters on user records; ids of group members are never stored.
    const { group, region, language } = input.audience;
    const audience: AudienceSpec = { group, ...(region ? { region } : {}), ...(language ? { language } : {}) };
    const earlier = input.requestKey ? await this.byRequest(input.requestKey) : null;
    const doc = earlier ?? (await this.record(input, audience, now, sendAt, scheduled));
    const id = String(doc._id);
    const total = doc.total ?? 0;
    // Keyed, so the line a failed first try did not write is written by the retry, and only once.
    await this.audit.recordOnce(`broadcast-create:${id}`, input.createdBy, 'broadcast.create', `broadcast:${id}`, {
      total,
      languages: Object.keys(input.texts),
      fallback: input.fallback,
      audience,
      sendAt: new Date(doc.sendAt).toISOString(),
    });
    if (ACTIVE_STATUSES.includes(doc.status) && doc.enqueue && !doc.enqueue.done) {
      try {
        await this.startFanOut(id);
      } catch (err) {
        // The broadcast is recorded, so it will go out: a worker resumes its queueing. Reporting
        // a failure here would invite the staff to send it a second time.
        this.deps.logger.warn({ err, broadcastId: id }, 'queueing a broadcast stopped; a worker will resume it');
      }
    }
    return { id, total };
  }

  private async byRequest(requestKey: string): Promise<BroadcastDoc | null> {
    return this.broadcasts.findOne({ requestKey }, { recipientIds: 0 }).lean<BroadcastDoc>();
  }

  /** The new broadcast; a second process recording the same request at once gets the first one's. */
  private async record(input: NewBroadcast, audience: AudienceSpec, now: Date, sendAt: Date, scheduled: boolean): Promise<BroadcastDoc> {
    // Without the unique index built, two first inserts of one request could both succeed.
    this.indexes ??= this.broadcasts.init();
    await this.indexes;
    const total = await this.countAudience(audience);
    const empty = total === 0;
    try {
      const doc = await this.broadcasts.create({
        createdBy: input.createdBy,
        ...(input.requestKey ? { requestKey: input.requestKey } : {}),
        staffChatId: input.staffChatId,
        staffLocale: input.staffLocale,
        texts: input.texts,
        fallback: input.fallback,
        audience,
        sendAt,
        status: empty ? 'done' : scheduled ? 'scheduled' : 'sending',
        total,
        enqueue: { done: empty, count: 0, at: now },
        ...(scheduled ? {} : { startedAt: now }),
        ...(empty ? { finishedAt: now } : {}),
      });
      return doc.toObject<BroadcastDoc>();
    } catch (error) {
      const first = input.requestKey && isDuplicateKey(error) ? await this.byRequest(input.requestKey) : null;
      if (first) return first;
      throw error;
    }
  }

  /** Queues the fan-out job, or (with a queue that has no jobs of its own, as in some tests) fans out here. */
  private async startFanOut(id: string): Promise<void> {
    if (this.deps.delivery.fanOut) await this.deps.delivery.fanOut(id);
    else await this.runFanOut(id);
  }

  /**
   * The fan-out job's work: queues the broadcast's recipients from its cursor on. Returns the
   * number queued so far, or null when there was nothing (more) to do.
   */
  async runFanOut(id: string, onPage?: (queued: number, total: number) => Promise<void>): Promise<number | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.broadcasts.findById(id).lean<BroadcastDoc>();
    if (!doc || !ACTIVE_STATUSES.includes(doc.status) || !doc.enqueue || doc.enqueue.done) return null;
    let queued = doc.enqueue.count;
    await fanOut(this.enqueueDeps, doc, async (n) => {
      queued = n;
      await onPage?.(n, Math.max(n, doc.total ?? 0));
    });
    return queued;
  }

  /**
   * Finishes queueing broadcasts whose queuer died half-way (no page for `staleMs`). The caller
   * makes sure only one process runs this per broadcast at a time; if two did, the conditional
   * cursor and the deterministic job ids would still send each message once.
   */
  async resumeStalled(staleMs: number, claim: (id: string) => Promise<boolean>): Promise<string[]> {
    const resumed: string[] = [];
    const staleBefore = new Date(this.deps.now().getTime() - staleMs);
    for (const doc of await stalledBroadcasts(this.broadcasts, staleBefore)) {
      const id = String(doc._id);
      if (!(await claim(id))) continue;
      this.deps.logger.warn({ broadcastId: id, queued: doc.enqueue?.count, total: doc.total }, 'resuming a broadcast whose queueing stopped half-way');
      await this.startFanOut(id);
      resumed.push(id);
    }
    return resumed;
  }

  async get(id: string): Promise<BroadcastDoc | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    return this.broadcasts.findById(id, { recipientIds: 0 }).lean<BroadcastDoc>();
  }

  /**
   * The latest broadcasts; with `regions` (a broadcaster limited to regions), only those to these
   * regions and the member's own, as a broadcaster sees only what they may write.
   */
  async recent(limit = 10, scope?: { regions: string[]; userId: number }): Promise<BroadcastDoc[]> {
    const filter = scope ? { $or: [{ createdBy: scope.userId }, { 'audience.region': { $in: scope.regions } }] } : {};
    return this.broadcasts.find(filter, { recipientIds: 0 }).sort({ createdAt: -1 }).limit(limit).lean<BroadcastDoc[]>();
  }

  /** Stops what has not gone yet. Returns the broadcast, or null if it had already ended. */
  /**
   * `withdrawn`: stopped at send time because the author lost the right to send it; marked in the
   * same write, so the author's notice is owed even if this process stops right after it.
   */
  async cancel(id: string, actorId: number, options: { withdrawn?: boolean } = {}): Promise<BroadcastDoc | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const now = this.deps.now();
    const doc = await this.serial(id, () =>
      this.broadcasts
        .findOneAndUpdate(
          { _id: id, status: { $in: ACTIVE_STATUSES } },
          { $set: { status: 'cancelled', cancelledAt: now, cancelledBy: actorId, cancelDue: true, ...(options.withdrawn ? { withdrawnAt: now } : {}) } },
          { returnDocument: 'after' },
        )
        .lean<BroadcastDoc>(),
    );
    if (!doc) {
      // This member's cancellation run again (the mailbox retries the tap after the queue failed
      // past the write, or the process stopped there): finished now, and they are told it stopped.
      const earlier = await this.broadcasts.findById(id, { recipientIds: 0 }).lean<BroadcastDoc>();
      if (earlier?.status !== 'cancelled' || !earlier.cancelDue || earlier.cancelledBy !== actorId) return null;
      await this.afterCancel(earlier, actorId);
      return earlier;
    }
    this.statusCache.set(id, { status: 'cancelled', at: Date.now() });
    await this.afterCancel(doc, actorId);
    return doc;
  }

  /**
   * The queued jobs removed and the cancellation audited. Both may run again for a withdrawn
   * broadcast a crash cut short (finishWithdrawals): removing is idempotent, the line is written
   * once (a broadcast is cancelled once).
   */
  async afterCancel(doc: BroadcastDoc, actorId: number): Promise<void> {
    const id = String(doc._id);
    const removed = (await this.deps.delivery.cancelBroadcast?.(id)) ?? 0;
    await this.audit.recordOnce(`broadcast-cancel:${id}`, actorId, 'broadcast.cancel', `broadcast:${id}`, { removed, ...figuresOf(doc) });
    if (doc.cancelDue) await this.serial(id, () => this.broadcasts.updateOne({ _id: id, cancelDue: true }, { $unset: { cancelDue: 1 } }));
  }

  /**
   * The repair pass: cancellations over a minute old whose queued jobs may still wait and whose
   * line is not written (the process stopped, or the queue was away and nobody tapped again).
   * Their jobs are dropped at send time all the same; what is owed is the removal and the line.
   */
  async finishCancellations(now = this.deps.now()): Promise<number> {
    const due = await this.broadcasts
      .find({ status: 'cancelled', cancelDue: true, cancelledAt: { $lt: new Date(now.getTime() - 60_000) } }, { recipientIds: 0 })
      .lean<BroadcastDoc[]>();
    for (const doc of due) await this.afterCancel(doc, doc.cancelledBy ?? doc.createdBy);
    return due.length;
  }

  /** Broadcasts withdrawn since `since` (and before `before`) whose author is not known to be told. */
  async withdrawnUntold(since: Date, before: Date): Promise<BroadcastDoc[]> {
    return this.broadcasts.find({ withdrawnAt: { $gte: since, $lt: before }, authorToldAt: { $exists: false } }).lean<BroadcastDoc[]>();
  }

  async markAuthorTold(id: string): Promise<void> {
    await this.broadcasts.updateOne({ _id: id }, { $set: { authorToldAt: this.deps.now() } });
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
   * Send-time check. Anything but a broadcast only needs the user not to have blocked us (the
   * unique telegramId index finds them: private chats' ids are the users' ids); a broadcast also
   * needs them to still want announcements and the broadcast to be running. Broadcasts are the
   * bulk (up to 1,000 a second), so they ask the Redis copies of the two flags (ReachMarkers)
   * rather than the database; without Redis, the user record by its id.
   */
  async deliveryWanted(job: DeliveryJob): Promise<boolean> {
    if (job.kind === 'broadcast' && job.broadcastId) {
      // Only a cancelled (or vanished) broadcast drops its jobs. One already counted done may
      // still have a job waiting: queueing resumed after a crash re-reads a bucket without someone
      // who opted out meanwhile, whose job was already queued, so the total is one short and the
      // figures reach it before the last person's job has run. That person still gets it.
      const status = await this.statusOf(job.broadcastId);
      if (status !== 'sending' && status !== 'scheduled' && status !== 'done') return false;
    }
    if (job.kind === 'broadcast') {
      const wanted = await this.markers.wantsBroadcasts(job.chatId);
      if (wanted !== undefined) return wanted;
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

  private serial<T>(broadcastId: string, work: () => Promise<T>): Promise<T> {
    return this.writes.run(broadcastId, work);
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
    // Not before the fan-out has queued everyone: until then the total is only the first count.
    const queueing = doc.enqueue ? !doc.enqueue.done : false;
    if (doc.status !== 'sending' || queueing || processed(figuresOf(doc)) < (doc.total ?? 0)) return { doc, finished: false };
    const done = await this.broadcasts.updateOne({ _id: broadcastId, status: 'sending' }, { $set: { status: 'done', finishedAt: now } });
    if (done.modifiedCount === 1) {
      doc.status = 'done';
      doc.finishedAt = now;
    }
    return { doc, finished: done.modifiedCount === 1 };
  }

  /** Broadcasts being sent now (for the reconcile tick). */
  async sending(): Promise<BroadcastDoc[]> {
    return this.broadcasts.find({ status: 'sending' }, { texts: 0, recipientIds: 0 }).lean<BroadcastDoc[]>();
  }

  /** The audit entry of a finished broadcast, with its final figures (the caller makes it once). */
  async recordFinished(doc: BroadcastDoc): Promise<void> {
    await this.audit.record(doc.createdBy, 'broadcast.done', `broadcast:${String(doc._id)}`, { ...figuresOf(doc) });
  }

  async setProgressMessage(id: string, messageId: number): Promise<void> {
    await this.serial(id, () => this.broadcasts.updateOne({ _id: id }, { $set: { progressMessageId: messageId } }));
  }
}
