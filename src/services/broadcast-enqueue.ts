import type { Types } from 'mongoose';
import type { UserModel } from '../db/models/user.js';
import { ACTIVE_STATUSES, type BroadcastModel } from '../db/models/broadcast.js';
import type { DeliveryJob, DeliveryQueue } from '../delivery/types.js';
import type { I18n } from '../i18n/index.js';
import type { Locale } from '../telegram/types.js';
import { pickLanguage, renderAnnouncement, type BroadcastTexts } from './broadcast-render.js';
import type { AudienceSpec, BroadcastDoc } from './broadcasts.js';

/** One addBulk and one cursor write per page: a crash repeats at most one page, which is harmless. */
export const ENQUEUE_PAGE = 500;

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

/** People who want announcements and have not blocked the bot, narrowed by the audience. */
export function audienceFilter(audience: AudienceSpec): Record<string, unknown> {
  const filter: Record<string, unknown> = { blocked: { $ne: true }, announcements: { $ne: false } };
  if (audience.region) filter.region = audience.region;
  if (audience.language) filter.locale = audience.language;
  if (audience.group !== 'all') filter.telegramId = { $in: audience.userIds ?? [] };
  return filter;
}

/** The recipients in _id order (the order the cursor follows), optionally those after a cursor. */
export async function loadRecipients(users: UserModel, audience: AudienceSpec, after?: Types.ObjectId): Promise<Recipient[]> {
  const filter = audienceFilter(audience);
  if (after) filter._id = { $gt: after };
  return users.find(filter, { _id: 1, chatId: 1, locale: 1 }).sort({ _id: 1 }).lean<Recipient[]>();
}

/** The audience a stored broadcast was created for, with its group as it was then. */
export function storedAudience(doc: BroadcastDoc): AudienceSpec {
  const a = doc.audience ?? { group: 'all' };
  return {
    group: a.group,
    ...(a.region ? { region: a.region } : {}),
    ...(a.language ? { language: a.language } : {}),
    ...(a.group === 'all' ? {} : { userIds: doc.recipientIds ?? [] }),
  };
}

/**
 * Queues one job per recipient, a page at a time, moving the broadcast's cursor after each page.
 * Stops early (returns false) when the broadcast is no longer queueing: cancelled, or finished by
 * another process that took over. Job ids are deterministic, so a page queued twice sends once.
 */
export async function enqueueRecipients(deps: EnqueueDeps, doc: BroadcastDoc, recipients: Recipient[]): Promise<boolean> {
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
  for (let i = 0; i < recipients.length; i += ENQUEUE_PAGE) {
    const page = recipients.slice(i, i + ENQUEUE_PAGE);
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
    count += page.length;
    const last = i + ENQUEUE_PAGE >= recipients.length;
    const moved = await deps.serial(id, () =>
      deps.broadcasts.updateOne(
        { _id: doc._id, status: { $in: ACTIVE_STATUSES }, 'enqueue.done': false },
        { $set: { enqueue: { done: last, count, upTo: page[page.length - 1]!._id, at: deps.now() } } },
      ),
    );
    if (moved.matchedCount === 0) return false;
  }
  if (recipients.length === 0) {
    await deps.serial(id, () =>
      deps.broadcasts.updateOne(
        { _id: doc._id, 'enqueue.done': false },
        { $set: { 'enqueue.done': true, 'enqueue.count': count, 'enqueue.at': deps.now() } },
      ),
    );
  }
  return true;
}

/**
 * Carries on queueing a broadcast whose queuer died (its cursor has not moved for a while). The
 * people after the cursor are looked up again, and the total is fixed to what will really be
 * queued BEFORE any new job exists, so the last outcome always finds the right total.
 */
export async function resumeEnqueue(deps: EnqueueDeps, doc: BroadcastDoc): Promise<boolean> {
  const id = String(doc._id);
  const upTo = doc.enqueue?.upTo as Types.ObjectId | undefined;
  const rest = await loadRecipients(deps.users, storedAudience(doc), upTo);
  const count = doc.enqueue?.count ?? 0;
  const fixed = await deps.serial(id, () =>
    deps.broadcasts.updateOne(
      { _id: doc._id, status: { $in: ACTIVE_STATUSES }, 'enqueue.done': false, 'enqueue.count': count },
      { $set: { total: count + rest.length, 'enqueue.at': deps.now() } },
    ),
  );
  if (fixed.matchedCount === 0) return false;
  return enqueueRecipients(deps, doc, rest);
}

/** Broadcasts whose queueing stopped half-way at least `staleMs` ago. */
export async function stalledBroadcasts(broadcasts: BroadcastModel, staleBefore: Date): Promise<BroadcastDoc[]> {
  return broadcasts
    .find({ status: { $in: ACTIVE_STATUSES }, 'enqueue.done': false, 'enqueue.at': { $lt: staleBefore } })
    .lean<BroadcastDoc[]>();
}
