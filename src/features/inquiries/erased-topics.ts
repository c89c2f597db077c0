import type { SceneDeps } from '../../engine/context.js';
import type { ErasedTopicRecord } from './erased-topic.model.js';
import type { Inquiry } from './inquiries.service.js';
import { postIntoTopic, staffLocale } from './relay.js';
import { deleteTopic, REFUSED_RETRY_MS, refusedInFormerGroup, retryRefusedDeletions } from './erased-topic-deletion.js';
import { keyOf, type TopicKey } from './erased-topic.store.js';
import { knownTopicGroup } from './topic-group.js';

/** How long a process holds the right to post a topic's "deleted" line before another may. */
const TELLING_CLAIM_MS = 5 * 60_000;
/** How long Redis remembers a posted line in case noting it in FerretDB failed. */
const TOLD_KEPT_MS = 30 * 24 * 3600_000;
/**
 * How long the record of a deleted topic is kept. A message in a deleted topic is handled as one in
 * a topic without a record (staff-chat.ts, onErasedTopic: nothing to tell, Telegram takes no post
 * there), so it is kept only a little, for the erasure still running or a late update.
 */
const DELETED_KEPT_MS = 24 * 3600_000;

type ErasedTopic = Pick<ErasedTopicRecord, 'threadId' | 'ref' | 'told'> & Partial<Pick<ErasedTopicRecord, 'deleteRefused' | 'chatId'>>;
/** What became of a topic: deleted with its messages, told and closed, or left for the next tick (false). */
export type ErasedTopicOutcome = 'deleted' | 'closed' | false;

/**
 * Deletes the topic of a question erased with the person's data, with every message in it (the
 * person's words, the operators' answers). Telegram away (5xx, the network, a 429): left for the
 * next reminder tick. Telegram refusing for good (the bot lacks the "delete messages" right, or
 * is no longer an admin): the topic is told its question is gone and closed instead, so the
 * operators still know. A topic already gone (deleted by an earlier try whose answer was lost,
 * or by an admin) counts as deleted: deleting twice does no harm.
 */
export async function settleErasedTopic(deps: SceneDeps, topic: ErasedTopic): Promise<ErasedTopicOutcome> {
  const chatId = deps.config.STAFF_CHAT_ID;
  const telegram = deps.telegram;
  if (!telegram) return false;
  const erased = deps.services.inquiries.erasedTopics;
  // With no staff group configured any more, the topic is in what is a former group now: deleted all the same.
  const key = keyOf(topic, chatId);
  if (!key) return false;
  // A topic in a former staff group is only deleted: nothing is posted there (it may hold people
  // who are not staff any more). Refused: closed as far as the bot goes, asked again daily.
  const former = key.chatId !== chatId;
  if (!topic.deleteRefused) {
    const deletion = await deleteTopic(deps, key);
    if (deletion === 'away') return false;
    if (deletion === 'refused') {
      // Closed instead; asked again a day later (erased-topic-deletion.ts), when the right may be there.
      await erased.markRefused(key, new Date(deps.now().getTime() + REFUSED_RETRY_MS));
      if (former) {
        await refusedInFormerGroup(deps, key.chatId);
        await erased.mark(key, 'closed');
        return 'closed';
      }
      return tellAndClose(deps, topic, key);
    }
    await erased.mark(key, 'deleted', deps.now());
    return 'deleted';
  }
  if (former) {
    await erased.mark(key, 'closed');
    return 'closed';
  }
  return tellAndClose(deps, topic, key);
}

/** What "Delete my data" did before the bot could delete topics: a line in the topic (once), and the topic closed. */
async function tellAndClose(deps: SceneDeps, topic: ErasedTopic, key: TopicKey): Promise<ErasedTopicOutcome> {
  const chatId = key.chatId;
  const telegram = deps.telegram!;
  const erased = deps.services.inquiries.erasedTopics;
  if (!topic.told) {
    // Two processes (the reminder tick and an operator's message, or two ticks) may get here at
    // once: only the one holding the claim posts the line; the other waits for a later tick. The
    // claim is in Redis (SET NX): a conditional update in FerretDB is not atomic between writers.
    // Keyed by the group and the thread: after a move, the same thread id in the new group is
    // another question's topic, which a claim of the former group's must not hold back.
    const claim = `${deps.config.REDIS_PREFIX}:inq:erased-telling:${key.chatId}:${key.threadId}`;
    const claimed = (await deps.redis.set(claim, 'posting', 'PX', TELLING_CLAIM_MS, 'NX')) !== null;
    const before = claimed ? await toldByPreviousRelease(deps, key.threadId) : undefined;
    if (before === 'posting') {
      // The previous release is telling it right now (a deploy): it notes it, or a later tick does.
      await deps.redis.del(claim);
      return false;
    }
    if (!claimed || before === 'posted') {
      // Posted by a process that could not note it (killed, or FerretDB away): noted now, not posted twice.
      if (claimed) await deps.redis.set(claim, 'posted', 'PX', TOLD_KEPT_MS);
      else if ((await deps.redis.get(claim)) !== 'posted') return false;
    } else {
      const t = deps.services.inquiries.t(staffLocale(deps));
      const post = await postIntoTopic(deps, topic.threadId, t('inquiries:staff.erased', { ref: topic.ref }));
      if (post === 'failed') {
        // Telegram away: the next tick may try at once, not only when the claim lapses.
        await deps.redis.del(claim);
        return false;
      }
      if (post === 'topic-gone') {
        // Deleted meanwhile (an admin did it): nothing of the person is left to close.
        await erased.mark(key, 'deleted', deps.now());
        return 'deleted';
      }
      // Before the FerretDB write: if that fails, the line must not go out again when the claim
      // lapses. A line Telegram refuses for good (the bot may not post) is not tried again either.
      await deps.redis.set(claim, 'posted', 'PX', TOLD_KEPT_MS);
    }
    await erased.mark(key, 'told');
  }
  try {
    await telegram.call('closeForumTopic', { chat_id: chatId, message_thread_id: topic.threadId });
  } catch (err) {
    const kind = telegram.classify(err);
    if (kind !== 'bad-request' && kind !== 'forbidden') {
      deps.logger.warn({ err, ref: topic.ref }, 'could not close the forum topic of an erased question; tried again later');
      return false;
    }
  }
  await erased.mark(key, 'closed');
  return 'closed';
}

/** How long after the previous release wrote its claim (keyed by the thread alone) it is still read: a deploy's old processes. */
const PREVIOUS_RELEASE_MS = 24 * 3600_000;

/**
 * The claim the previous release took, named by the thread alone (it told only in the staff group
 * it had, the one configured now: a deployment upgrades before it moves, docs/inquiries.md). Read
 * while a deploy's old processes may still write it: a claim being held, or a line posted within
 * the day. An older "posted" may be a former group's topic with the same thread id: not read.
 */
async function toldByPreviousRelease(deps: SceneDeps, threadId: number): Promise<'posting' | 'posted' | undefined> {
  const legacy = `${deps.config.REDIS_PREFIX}:inq:erased-telling:${threadId}`;
  const [value, left] = await Promise.all([deps.redis.get(legacy), deps.redis.pttl(legacy)]);
  if (value === 'posting') return 'posting';
  // It kept a posted line TOLD_KEPT_MS: what is left says when it was written.
  return value === 'posted' && left > TOLD_KEPT_MS - PREVIOUS_RELEASE_MS ? 'posted' : undefined;
}

/**
 * The reminder tick: topics of deleted questions that Telegram could not delete (or close) before;
 * topics it refused to delete, asked again once a day; and the records of deleted topics, removed
 * once nothing needs them (FerretDB 1.24 has no TTL indexes, so the tick does it).
 */
export async function retryErasedTopics(deps: SceneDeps): Promise<number> {
  let settled = 0;
  for (const topic of await deps.services.inquiries.erasedTopics.notClosed()) {
    if (await settleErasedTopic(deps, topic).catch(() => false)) settled += 1;
  }
  // Its claims are Redis keys: Redis away must not also skip the clean-up below (a database-only write).
  settled += await retryRefusedDeletions(deps).catch((err: unknown) => {
    deps.logger.warn({ err }, 'refused topic deletions not asked again this tick');
    return 0;
  });
  await deps.services.inquiries.erasedTopics.forgetDeleted(new Date(deps.now().getTime() - DELETED_KEPT_MS));
  return settled;
}

/**
 * "Delete my data" removes these questions: their topics (closed ones too) are recorded first,
 * before the questions go, so a process stopped in between or Telegram down loses none: the
 * reminder tick deletes what is still recorded as not done.
 */
export async function recordErasedTopics(deps: SceneDeps, inquiries: Inquiry[]): Promise<void> {
  const staffChatId = deps.config.STAFF_CHAT_ID;
  const topics = [];
  for (const i of inquiries) {
    // Also with STAFF_CHAT_ID unset since: the record names the group its topic is in.
    const chatId = knownTopicGroup(i, staffChatId);
    if (chatId !== undefined) topics.push({ chatId, threadId: i.threadId, ref: i.ref });
  }
  await deps.services.inquiries.erasedTopics.record(topics);
}

/** Topics of an erasure not deleted yet: refused (closed, asked again daily), or left for the tick (Telegram away). */
export interface TopicsLeft {
  refused: number;
  pending: number;
}

/**
 * After the questions are gone: their topics deleted now, where Telegram allows it. Counts those
 * Telegram refused to delete (the bot lacks the right): they stay in the group, closed, and are
 * asked again daily (retryRefusedDeletions). And those it did not answer for (away, or refused
 * and not closed yet): the tick settles them within minutes, but they are still there now, so
 * the person is told so rather than that everything went.
 */
export async function deleteErasedTopics(deps: SceneDeps, inquiries: Inquiry[]): Promise<TopicsLeft> {
  const erased = deps.services.inquiries.erasedTopics;
  const left: TopicsLeft = { refused: 0, pending: 0 };
  const staffChatId = deps.config.STAFF_CHAT_ID;
  for (const inquiry of inquiries) {
    const chatId = knownTopicGroup(inquiry, staffChatId);
    if (!inquiry.threadId || chatId === undefined) continue;
    const key = { chatId, threadId: inquiry.threadId };
    const topic = await erased.byThread(key);
    if (!topic) continue;
    if (!topic.closed) {
      await settleErasedTopic(deps, topic).catch((err: unknown) => {
        deps.logger.warn({ err, ref: inquiry.ref }, 'could not delete the forum topic of an erased question; tried again later');
      });
    }
    const settled = await erased.byThread(key);
    if (settled?.deleted) continue;
    if (settled?.deleteRefused && settled.closed) left.refused += 1;
    else left.pending += 1;
  }
  return left;
}
