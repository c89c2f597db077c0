import type { SceneDeps } from '../../engine/context.js';
import type { ErasedTopicRecord } from './erased-topic.model.js';
import { keyOf, type TopicKey } from './erased-topic.store.js';
import { isThreadMissing } from './relay.js';

/** Deleted (or found gone), refused for now (no "delete messages" right), or Telegram away. */
export type TopicDeletion = 'deleted' | 'refused' | 'away';

/** A topic Telegram refused to delete is asked again after this long, so the right granted later removes it. */
export const REFUSED_RETRY_MS = 24 * 3600_000;
/**
 * A topic in a former staff group that Telegram refuses to delete (the bot was removed from the
 * group, or has no right there) is asked daily for this long after the first refusal, then given
 * up: the bot cannot get back into a group by itself, and asking forever is noise.
 */
export const FORMER_GROUP_GIVE_UP_MS = 30 * 24 * 3600_000;
/** Topics asked again per reminder tick: a slow trickle, so a backlog of old erasures does not flood Telegram. */
const RETRIES_PER_TICK = 5;
/** How long a process holds the right to try a refused topic again before another may. */
const RETRY_CLAIM_MS = 5 * 60_000;

/**
 * Asks Telegram to delete a topic with every message in it. A topic already gone (an earlier try
 * whose answer was lost, an admin) counts as deleted: deleting twice does no harm. 400/403 (no
 * "delete messages" right, no longer an admin, no longer in the group) is a refusal; anything
 * else (5xx, the network, a 429) is Telegram away. A refusal in a former group is logged by the
 * caller, once per group (refusedInFormerGroup), not once per topic.
 */
export async function deleteTopic(deps: SceneDeps, topic: TopicKey): Promise<TopicDeletion> {
  const telegram = deps.telegram;
  if (!telegram) return 'away';
  const current = topic.chatId === deps.config.STAFF_CHAT_ID;
  try {
    await telegram.call('deleteForumTopic', { chat_id: topic.chatId, message_thread_id: topic.threadId });
    return 'deleted';
  } catch (err) {
    const kind = telegram.classify(err);
    if (kind === 'bad-request' && isThreadMissing(err)) return 'deleted';
    if (kind === 'bad-request' || kind === 'forbidden') {
      if (current) deps.logger.warn({ err, threadId: topic.threadId }, 'Telegram refused to delete the forum topic of an erased question (give the bot the "delete messages" right)');
      return 'refused';
    }
    deps.logger.warn({ err, threadId: topic.threadId }, 'could not delete the forum topic of an erased question; tried again later');
    return 'away';
  }
}

/** Once per former group (a Redis key for as long as the tries go on): the topics there stay until the bot may delete them. */
export async function refusedInFormerGroup(deps: SceneDeps, chatId: number): Promise<void> {
  const fresh = await deps.redis.set(`${deps.config.REDIS_PREFIX}:inq:former-refused:${chatId}`, '1', 'PX', FORMER_GROUP_GIVE_UP_MS, 'NX').catch(() => null);
  if (fresh) {
    deps.logger.error(
      { chatId },
      'Telegram refuses to delete the forum topics left in the former staff group (the bot is no longer there, or may not delete messages): asked daily for 30 days, then given up; add the bot back as an admin allowed to delete messages, or delete the group',
    );
  }
}

const isDue = (topic: Pick<ErasedTopicRecord, 'deleted' | 'closed' | 'retryDeleteAt'> & { gaveUp?: boolean | null }, now: Date): boolean =>
  !topic.deleted && topic.closed && !topic.gaveUp && (!topic.retryDeleteAt || topic.retryDeleteAt.getTime() <= now.getTime());

/**
 * Topics that were told and closed instead of deleted (Telegram refused, or the erasure came before
 * the bot deleted topics at all) still hold the person's words: each is asked again at most once a
 * day, a few per tick, so a "delete messages" right granted later removes them. So are the topics
 * a move of the staff group left in the former group (never told: nothing is posted there). Nothing
 * is posted into them. Two processes never ask for one topic at once: each claims it in Redis (SET
 * NX; a conditional update in FerretDB is not atomic between writers) and reads the record again
 * under the claim, so one that listed it before the other's answer was noted skips it. In a former
 * group, refusals go on for FORMER_GROUP_GIVE_UP_MS and then the topic is given up.
 */
export async function retryRefusedDeletions(deps: SceneDeps): Promise<number> {
  // Also with no staff group configured any more: deleting posts nothing, and the topics hold the person's words.
  const staffChatId = deps.config.STAFF_CHAT_ID;
  if (!deps.telegram) return 0;
  const erased = deps.services.inquiries.erasedTopics;
  const now = deps.now();
  let deleted = 0;
  for (const listed of await erased.dueForDeletion(now, RETRIES_PER_TICK)) {
    const key = keyOf(listed, staffChatId);
    if (!key) continue;
    // The current group's topics keep the key they always had (a process of the previous release may run beside this one).
    const topicName = key.chatId === staffChatId ? `${key.threadId}` : `${key.chatId}:${key.threadId}`;
    const claim = `${deps.config.REDIS_PREFIX}:inq:erased-redelete:${topicName}`;
    if ((await deps.redis.set(claim, '1', 'PX', RETRY_CLAIM_MS, 'NX')) === null) continue;
    try {
      const topic = await erased.byThread(key);
      if (!topic || !isDue(topic, now)) continue;
      const outcome = await deleteTopic(deps, key);
      if (outcome === 'deleted') {
        await erased.mark(key, 'deleted', deps.now());
        deleted += 1;
      } else if (outcome === 'refused') {
        await refusedAgain(deps, key, topic, now);
      }
      // Telegram away: still due, asked again at the next tick.
    } finally {
      await deps.redis.del(claim);
    }
  }
  return deleted;
}

/** Asked again a day later; in a former group, given up once the first refusal is FORMER_GROUP_GIVE_UP_MS old. */
async function refusedAgain(deps: SceneDeps, key: TopicKey, topic: Pick<ErasedTopicRecord, 'refusedSince'>, now: Date): Promise<void> {
  const erased = deps.services.inquiries.erasedTopics;
  const retryAt = new Date(now.getTime() + REFUSED_RETRY_MS);
  if (key.chatId === deps.config.STAFF_CHAT_ID) {
    await erased.retryDeletionAt(key, retryAt);
    return;
  }
  await refusedInFormerGroup(deps, key.chatId);
  const since = topic.refusedSince ?? now;
  if (now.getTime() - since.getTime() >= FORMER_GROUP_GIVE_UP_MS) {
    await erased.giveUp(key);
    const fresh = await deps.redis.set(`${deps.config.REDIS_PREFIX}:inq:former-given-up:${key.chatId}`, '1', 'EX', 86_400, 'NX').catch(() => null);
    if (fresh) deps.logger.error({ chatId: key.chatId }, 'topics left in the former staff group could not be deleted for 30 days: given up; delete them (or the group) by hand');
    return;
  }
  await erased.retryDeletionAt(key, retryAt, topic.refusedSince ? undefined : now);
}
