import type { SceneDeps } from '../../engine/context.js';
import type { ErasedTopicRecord } from './erased-topic.model.js';
import type { Inquiry } from './inquiries.service.js';
import { postToTopic, staffLocale } from './relay.js';

/** How long a process holds the right to post a topic's "deleted" line before another may. */
const TELLING_CLAIM_MS = 5 * 60_000;

/**
 * Tells the topic its question is gone (once) and closes it. Telegram away (5xx, the network, a
 * 429): left for the next reminder tick. Telegram refusing (the topic deleted, already closed,
 * the bot no longer an admin): nothing more to try, counted as closed.
 */
export async function settleErasedTopic(deps: SceneDeps, topic: Pick<ErasedTopicRecord, 'threadId' | 'ref' | 'told'>): Promise<boolean> {
  const chatId = deps.config.STAFF_CHAT_ID;
  const telegram = deps.telegram;
  if (!chatId || !telegram) return false;
  const erased = deps.services.inquiries.erasedTopics;
  if (!topic.told) {
    // Two processes (the reminder tick and an operator's message, or two ticks) may get here at
    // once: only the one holding the claim posts the line; the other waits for a later tick. The
    // claim is in Redis (SET NX): a conditional update in FerretDB is not atomic between writers.
    const claim = `${deps.config.REDIS_PREFIX}:inq:erased-telling:${topic.threadId}`;
    if ((await deps.redis.set(claim, '1', 'PX', TELLING_CLAIM_MS, 'NX')) === null) return false;
    const t = deps.services.inquiries.t(staffLocale(deps));
    if (!(await postToTopic(deps, topic.threadId, t('inquiries:staff.erased', { ref: topic.ref })))) {
      // Telegram away: the next tick may try at once, not only when the claim lapses.
      await deps.redis.del(claim);
      return false;
    }
    await erased.mark(topic.threadId, 'told');
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
  await erased.mark(topic.threadId, 'closed');
  return true;
}

/** The reminder tick: topics of deleted questions that Telegram could not close before. */
export async function retryErasedTopics(deps: SceneDeps): Promise<number> {
  let closed = 0;
  for (const topic of await deps.services.inquiries.erasedTopics.notClosed()) {
    if (await settleErasedTopic(deps, topic).catch(() => false)) closed += 1;
  }
  return closed;
}

/**
 * "Delete my data" removed these questions: their open topics are recorded first (before the
 * questions go), then told and closed. Telegram down: the reminder tick tries again, and an
 * operator writing in such a topic meanwhile is told the question is gone.
 */
export async function recordErasedTopics(deps: SceneDeps, inquiries: Inquiry[]): Promise<void> {
  if (!deps.config.STAFF_CHAT_ID) return;
  await deps.services.inquiries.erasedTopics.record(inquiries);
}

export async function closeErasedTopics(deps: SceneDeps, inquiries: Inquiry[]): Promise<void> {
  for (const inquiry of inquiries) {
    if (!inquiry.threadId || inquiry.status === 'closed') continue;
    await settleErasedTopic(deps, { threadId: inquiry.threadId, ref: inquiry.ref, told: false }).catch((err: unknown) => {
      deps.logger.warn({ err, ref: inquiry.ref }, 'could not close the forum topic of an erased question; tried again later');
    });
  }
}
