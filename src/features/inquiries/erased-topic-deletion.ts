import type { SceneDeps } from '../../engine/context.js';
import type { ErasedTopicRecord } from './erased-topic.model.js';
import { isThreadMissing } from './relay.js';

/** Deleted (or found gone), refused for now (no "delete messages" right), or Telegram away. */
export type TopicDeletion = 'deleted' | 'refused' | 'away';

/** A topic Telegram refused to delete is asked again after this long, so the right granted later removes it. */
export const REFUSED_RETRY_MS = 24 * 3600_000;
/** Topics asked again per reminder tick: a slow trickle, so a backlog of old erasures does not flood Telegram. */
const RETRIES_PER_TICK = 5;
/** How long a process holds the right to try a refused topic again before another may. */
const RETRY_CLAIM_MS = 5 * 60_000;

/**
 * Asks Telegram to delete a topic with every message in it. A topic already gone (an earlier try
 * whose answer was lost, an admin) counts as deleted: deleting twice does no harm. 400/403 (no
 * "delete messages" right, no longer an admin) is a refusal; anything else (5xx, the network, a
 * 429) is Telegram away.
 */
export async function deleteTopic(deps: SceneDeps, threadId: number): Promise<TopicDeletion> {
  const chatId = deps.config.STAFF_CHAT_ID;
  const telegram = deps.telegram;
  if (!chatId || !telegram) return 'away';
  try {
    await telegram.call('deleteForumTopic', { chat_id: chatId, message_thread_id: threadId });
    return 'deleted';
  } catch (err) {
    const kind = telegram.classify(err);
    if (kind === 'bad-request' && isThreadMissing(err)) return 'deleted';
    if (kind === 'bad-request' || kind === 'forbidden') {
      deps.logger.warn({ err, threadId }, 'Telegram refused to delete the forum topic of an erased question (give the bot the "delete messages" right)');
      return 'refused';
    }
    deps.logger.warn({ err, threadId }, 'could not delete the forum topic of an erased question; tried again later');
    return 'away';
  }
}

const isDue = (topic: Pick<ErasedTopicRecord, 'deleted' | 'closed' | 'retryDeleteAt'>, now: Date): boolean =>
  !topic.deleted && topic.closed && (!topic.retryDeleteAt || topic.retryDeleteAt.getTime() <= now.getTime());

/**
 * Topics that were told and closed instead of deleted (Telegram refused, or the erasure came before
 * the bot deleted topics at all) still hold the person's words: each is asked again at most once a
 * day, a few per tick, so a "delete messages" right granted later removes them. Nothing is posted
 * into them: they were told already. Two processes never ask for one topic at once: each claims it
 * in Redis (SET NX; a conditional update in FerretDB is not atomic between writers) and reads the
 * record again under the claim, so one that listed it before the other's answer was noted skips it.
 */
export async function retryRefusedDeletions(deps: SceneDeps): Promise<number> {
  if (!deps.config.STAFF_CHAT_ID || !deps.telegram) return 0;
  const erased = deps.services.inquiries.erasedTopics;
  const now = deps.now();
  let deleted = 0;
  for (const listed of await erased.dueForDeletion(now, RETRIES_PER_TICK)) {
    const claim = `${deps.config.REDIS_PREFIX}:inq:erased-redelete:${listed.threadId}`;
    if ((await deps.redis.set(claim, '1', 'PX', RETRY_CLAIM_MS, 'NX')) === null) continue;
    try {
      const topic = await erased.byThread(listed.threadId);
      if (!topic || !isDue(topic, now)) continue;
      const outcome = await deleteTopic(deps, topic.threadId);
      if (outcome === 'deleted') {
        await erased.mark(topic.threadId, 'deleted', deps.now());
        deleted += 1;
      } else if (outcome === 'refused') {
        await erased.retryDeletionAt(topic.threadId, new Date(now.getTime() + REFUSED_RETRY_MS));
      }
      // Telegram away: still due, asked again at the next tick.
    } finally {
      await deps.redis.del(claim);
    }
  }
  return deleted;
}
