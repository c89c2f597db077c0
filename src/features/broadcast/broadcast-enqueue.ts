import type { UserModel } from '../../db/models/user.js';
import { AUDIENCE_BUCKETS } from '../../db/models/audience-bucket.js';
import { type BroadcastModel } from './broadcast.model.js';
import { ACTIVE_STATUSES } from './broadcast-types.js';
import type { DeliveryJob, DeliveryQueue } from '../../delivery/types.js';
import { pickLanguage, type BroadcastTexts } from './broadcast-render.js';
import type { BroadcastDoc } from './broadcast.model.js';
import type { AudienceSpec } from './broadcast-types.js';

/**
 * Recipients per database batch and per addBulk (one chunk of the queue's). A crash repeats at
 * most one bucket's pages, which is harmless (job ids are deterministic). Measured at 100,000
 * recipients: 500 a page kept the queueing process's peak RSS growth at 24 MB where 1,000 (two
 * chunks in flight) gave 46-104 MB, for about 10 % more time.
 */
export const ENQUEUE_PAGE = 500;

export interface Recipient {
  chatId: number;
  locale: string;
}

/** Recipients of one bucket, a page at a time; `last` closes the bucket (then the cursor moves). */
export interface RecipientPage {
  bucket: number;
  recipients: Recipient[];
  last: boolean;
}

export interface EnqueueDeps {
  users: UserModel;
  broadcasts: BroadcastModel;
  delivery: DeliveryQueue;
  now: () => Date;
  /** Writes to one broadcast one at a time in this process (FerretDB loses concurrent updates). */
  serial: <T>(broadcastId: string, work: () => Promise<T>) => Promise<T>;
}

export function broadcastJobId(broadcastId: string, chatId: number): string {
  return `bc-${broadcastId}-${chatId}`;
}

/** The field of the user record a group's announcements to a region select on. */
const REGION_FIELD = { all: 'region', volunteers: 'volunteerRegion', applicants: 'applicantRegion' } as const satisfies Record<AudienceSpec['group'], string>;

/**
 * People who want announcements and have not blocked the bot, narrowed by the audience. Each
 * narrowing is an equality on an indexed field of the user record (see User); broadcasts stored
 * before the group flags existed carry their members' ids instead.
 */
export function audienceFilter(audience: AudienceSpec): Record<string, unknown> {
  const filter: Record<string, unknown> = { blocked: { $ne: true }, announcements: { $ne: false } };
  // A group's region is that group's own answer: a volunteer of Astana may have applied in Karaganda.
  if (audience.region) filter[audience.userIds ? 'region' : REGION_FIELD[audience.group]] = audience.region;
  if (audience.language) filter.locale = audience.language;
  if (audience.userIds) filter.telegramId = { $in: audience.userIds };
  else if (audience.group === 'volunteers') filter.volunteer = true;
  else if (audience.group === 'applicants') filter.applicant = true;
  return filter;
}

/**
 * The recipients, one bucket after another from `fromBucket`, each bucket a page at a time from
 * its own database cursor: never the whole audience in memory. A bucket is an equality on an
 * indexed field, so the database finds it by index and returns it unsorted; a walk in _id order
 * made FerretDB (no sort push-down, no `_id` ranges) read and sort the whole audience in its own
 * process for every cursor, before the first page. Every bucket ends with a page marked `last`
 * (empty when the bucket's last page was full, or the bucket had nobody).
 */
export async function* recipientPages(users: UserModel, audience: AudienceSpec, fromBucket = 0): AsyncGenerator<RecipientPage> {
  const filter = audienceFilter(audience);
  for (let bucket = fromBucket; bucket < AUDIENCE_BUCKETS; bucket++) {
    const cursor = users
      .find({ ...filter, bucket }, { _id: 0, chatId: 1, locale: 1 })
      .lean<Recipient[]>()
      .cursor({ batchSize: ENQUEUE_PAGE });
    let page: Recipient[] = [];
    try {
      for await (const user of cursor as AsyncIterable<Recipient>) {
        page.push(user);
        if (page.length === ENQUEUE_PAGE) {
          yield { bucket, recipients: page, last: false };
          page = [];
        }
      }
    } finally {
      await cursor.close();
    }
    yield { bucket, recipients: page, last: true };
  }
}

/**
 * Yields the pages of `pages` while the next one is already being read, so the database read of
 * page n+1 overlaps the Redis writes of page n (each took about half of the fan-out's time).
 */
export async function* readingAhead<T>(pages: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = pages.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = pages.next();
      yield current.value;
    }
  } finally {
    // Stopped early (cancelled, or an error): let the read in flight end, then close the cursor.
    await next.catch(() => undefined);
    await pages.return(undefined);
  }
}

/** The audience a stored broadcast was created for (legacy records: with the ids stored then). */
export function storedAudience(doc: BroadcastDoc): AudienceSpec {
  const a = doc.audience ?? { group: 'all' };
  return {
    group: a.group,
    ...(a.region ? { region: a.region } : {}),
    ...(a.language ? { language: a.language } : {}),
    ...(a.group !== 'all' && doc.recipientIds && doc.recipientIds.length > 0 ? { userIds: doc.recipientIds } : {}),
  };
}

/**
 * Queues one job per recipient, streaming the audience from the broadcast's cursor (a bucket)
 * and moving the cursor after each bucket that queued anyone, conditionally on the count it
 * started from, so two queuers cannot both move it. A queuer that dies half-way through a bucket
 * leaves the cursor at that bucket's start and the count of the buckets before it; the next one
 * queues that bucket again, and BullMQ ignores the job ids it already holds. When the audience
 * is exhausted the total becomes what was really queued, in the same write that marks queueing
 * done. Stops early (returns false) when the broadcast is no longer queueing: cancelled, or moved
 * on by another queuer.
 */
export async function fanOut(deps: EnqueueDeps, doc: BroadcastDoc, onPage?: (queued: number) => Promise<void>): Promise<boolean> {
  const id = String(doc._id);
  const texts = doc.texts as BroadcastTexts;
  const fallback = doc.fallback;
  const sendAt = new Date(doc.sendAt);
  // A cursor of an older version (`upTo`, _id order) has no bucket: queue from the start again,
  // counting afresh, conditionally on the count it had.
  const fromBucket = doc.enqueue?.bucket ?? 0;
  let stored = doc.enqueue?.count ?? 0;
  let count = doc.enqueue?.bucket === undefined ? 0 : stored;
  for await (const page of readingAhead(recipientPages(deps.users, storedAudience(doc), fromBucket))) {
    if (page.recipients.length > 0) {
      // Decided per page: a resumed broadcast whose time has come goes at once.
      const notBefore = sendAt.getTime() > deps.now().getTime() ? sendAt : undefined;
      // The language, not the text: the worker renders it once per broadcast and language
      // (BroadcastsService.textOf), so a job is a few dozen bytes instead of the whole message.
      const jobs: DeliveryJob[] = page.recipients.map((user) => ({
        id: broadcastJobId(id, user.chatId),
        chatId: user.chatId,
        kind: 'broadcast',
        text: '',
        locale: pickLanguage(texts, fallback, user.locale),
        broadcastId: id,
        ...(notBefore ? { notBefore } : {}),
      }));
      await deps.delivery.enqueue(jobs);
      count += jobs.length;
      await onPage?.(count);
    }
    // The cursor moves when a bucket that queued anyone is over; an empty bucket is read again
    // after a crash, which costs one look-up.
    if (!page.last || count === stored) continue;
    const before = stored;
    const moved = await deps.serial(id, () =>
      deps.broadcasts.updateOne(
        { _id: doc._id, status: { $in: ACTIVE_STATUSES }, 'enqueue.done': false, 'enqueue.count': before },
        { $set: { 'enqueue.count': count, 'enqueue.bucket': page.bucket + 1, 'enqueue.at': deps.now() }, $unset: { 'enqueue.upTo': 1 } },
      ),
    );
    if (moved.matchedCount === 0) {
      // Cancelled while this bucket was being queued: Cancel removed the jobs queued before it,
      // these came after, so they go too (the send-time check would skip them, but they would
      // wait in the queue until their time). Another queuer moving the count keeps its jobs.
      const current = await deps.broadcasts.findById(doc._id, { status: 1 }).lean<Pick<BroadcastDoc, 'status'>>();
      if (current && !ACTIVE_STATUSES.includes(current.status)) await deps.delivery.cancelBroadcast?.(id);
      return false;
    }
    stored = count;
  }
  const done = await deps.serial(id, () =>
    deps.broadcasts.updateOne(
      { _id: doc._id, 'enqueue.done': false, 'enqueue.count': stored },
      { $set: { 'enqueue.done': true, 'enqueue.count': count, 'enqueue.bucket': AUDIENCE_BUCKETS, total: count, 'enqueue.at': deps.now() }, $unset: { 'enqueue.upTo': 1 } },
    ),
  );
  return done.matchedCount === 1;
}

/** Broadcasts whose queueing stopped half-way at least `staleMs` ago. */
export async function stalledBroadcasts(broadcasts: BroadcastModel, staleBefore: Date): Promise<BroadcastDoc[]> {
  return broadcasts
    .find({ status: { $in: ACTIVE_STATUSES }, 'enqueue.done': false, 'enqueue.at': { $lt: staleBefore } })
    .lean<BroadcastDoc[]>();
}
