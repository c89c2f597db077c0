import type { Types } from 'mongoose';
import type { UserModel } from '../../db/models/user.js';
import { type BroadcastModel } from './broadcast.model.js';
import { ACTIVE_STATUSES } from './broadcast-types.js';
import type { DeliveryJob, DeliveryQueue } from '../../delivery/types.js';
import type { I18n } from '../../i18n/index.js';
import type { Locale } from '../../telegram/types.js';
import { pickLanguage, renderAnnouncement, type BroadcastTexts } from './broadcast-render.js';
import type { BroadcastDoc } from './broadcast.model.js';
import type { AudienceSpec } from './broadcast-types.js';

/**
 * One addBulk and one cursor write per page: a crash repeats at most one page, which is harmless
 * (job ids are deterministic). 1,000 keeps a page's jobs well under a megabyte of memory.
 */
export const ENQUEUE_PAGE = 1000;

export interface Recipient {
  _id: Types.ObjectId;
  chatId: number;
  locale: string;
}

export interface EnqueueDeps {
  users: UserModel;
  broadcasts: BroadcastModel;
  delivery: DeliveryQueue;
  i18n: I18n;
  now: () => Date;
  /** Writes to one broadcast one at a time in this process (FerretDB loses concurrent updates). */
  serial: <T>(broadcastId: string, work: () => Promise<T>) => Promise<T>;
}

export function broadcastJobId(broadcastId: string, chatId: number): string {
  return `bc-${broadcastId}-${chatId}`;
}

/**
 * People who want announcements and have not blocked the bot, narrowed by the audience. Each
 * narrowing is an equality on an indexed field of the user record (see User); broadcasts stored
 * before the group flags existed carry their members' ids instead.
 */
export function audienceFilter(audience: AudienceSpec): Record<string, unknown> {
  const filter: Record<string, unknown> = { blocked: { $ne: true }, announcements: { $ne: false } };
  if (audience.region) filter.region = audience.region;
  if (audience.language) filter.locale = audience.language;
  if (audience.userIds) filter.telegramId = { $in: audience.userIds };
  else if (audience.group === 'volunteers') filter.volunteer = true;
  else if (audience.group === 'applicants') filter.applicant = true;
  return filter;
}

/**
 * The recipients in _id order (the order the broadcast's cursor follows), optionally those after
 * a cursor, a page at a time from one database cursor: never the whole audience in memory.
 */
export async function* recipientPages(users: UserModel, audience: AudienceSpec, after?: Types.ObjectId): AsyncGenerator<Recipient[]> {
  const filter = audienceFilter(audience);
  if (after) filter._id = { $gt: after };
  const cursor = users
    .find(filter, { _id: 1, chatId: 1, locale: 1 })
    .sort({ _id: 1 })
    .lean<Recipient[]>()
    .cursor({ batchSize: ENQUEUE_PAGE });
  let page: Recipient[] = [];
  try {
    for await (const user of cursor as AsyncIterable<Recipient>) {
      page.push(user);
      if (page.length === ENQUEUE_PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  } finally {
    await cursor.close();
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
 * Queues one job per recipient, streaming the audience after the broadcast's cursor a page at a
 * time and moving the cursor after each page (conditionally on where it was, so two queuers
 * cannot both move it). When the audience is exhausted the total becomes what was really queued,
 * in the same write that marks queueing done. Stops early (returns false) when the broadcast is
 * no longer queueing: cancelled, or moved on by another queuer. Job ids are deterministic, so a
 * page queued twice sends once.
 */
export async function fanOut(deps: EnqueueDeps, doc: BroadcastDoc, onPage?: (queued: number) => Promise<void>): Promise<boolean> {
  const id = String(doc._id);
  const texts = doc.texts as BroadcastTexts;
  const fallback = doc.fallback;
  const rendered = new Map<Locale, string>();
  const messageIn = (locale: Locale) => {
    let text = rendered.get(locale);
    if (text === undefined) rendered.set(locale, (text = renderAnnouncement(deps.i18n, locale, texts[locale]!)));
    return text;
  };
  const sendAt = new Date(doc.sendAt);
  let count = doc.enqueue?.count ?? 0;
  const upTo = doc.enqueue?.upTo as Types.ObjectId | undefined;
  for await (const page of readingAhead(recipientPages(deps.users, storedAudience(doc), upTo))) {
    // Decided per page: a resumed broadcast whose time has come goes at once.
    const notBefore = sendAt.getTime() > deps.now().getTime() ? sendAt : undefined;
    const jobs: DeliveryJob[] = page.map((user) => ({
      id: broadcastJobId(id, user.chatId),
      chatId: user.chatId,
      kind: 'broadcast',
      text: messageIn(pickLanguage(texts, fallback, user.locale)),
      broadcastId: id,
      recipientRef: String(user._id),
      ...(notBefore ? { notBefore } : {}),
    }));
    await deps.delivery.enqueue(jobs);
    const before = count;
    count += page.length;
    const moved = await deps.serial(id, () =>
      deps.broadcasts.updateOne(
        { _id: doc._id, status: { $in: ACTIVE_STATUSES }, 'enqueue.done': false, 'enqueue.count': before },
        { $set: { 'enqueue.count': count, 'enqueue.upTo': page[page.length - 1]!._id, 'enqueue.at': deps.now() } },
      ),
    );
    if (moved.matchedCount === 0) {
      // Cancelled while this page was being queued: Cancel removed the jobs queued before it,
      // these came after, so they go too (the send-time check would skip them, but they would
      // wait in the queue until their time). Another queuer moving the count keeps its jobs.
      const current = await deps.broadcasts.findById(doc._id, { status: 1 }).lean<Pick<BroadcastDoc, 'status'>>();
      if (current && !ACTIVE_STATUSES.includes(current.status)) await deps.delivery.cancelBroadcast?.(id);
      return false;
    }
    await onPage?.(count);
  }
  const done = await deps.serial(id, () =>
    deps.broadcasts.updateOne(
      { _id: doc._id, 'enqueue.done': false, 'enqueue.count': count },
      { $set: { 'enqueue.done': true, total: count, 'enqueue.at': deps.now() } },
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
