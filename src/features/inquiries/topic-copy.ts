import type { SceneDeps } from '../../engine/context.js';
import type { Inquiry, ShownMessage } from './inquiries.service.js';
import { TOPIC_COPY_CARD } from './inquiry.model.js';
import { topicHere } from './topic-group.js';
import { RecordLock, RecordLockedError } from '../../services/record-lock.js';

/**
 * What became of a post into a topic (relay.ts says what each means). Here, not in relay.ts,
 * which uses this file: a file may not import one that imports it back.
 */
export type TopicPost = 'posted' | 'topic-gone' | 'no-group' | 'refused' | 'failed';

/**
 * The mirror record's id (topic-mirror.model.ts) of the question typed in the form: it has no
 * message id (it was answered at a step, not sent as a message of its own), and Telegram's ids
 * start at 1. A question Telegram did not take into its new topic is then due like a follow-up.
 */
export const QUESTION_MESSAGE = 0;

/** The posts a copy makes (relay.ts gives them): passed in, so this file needs nothing of relay.ts. */
export interface TopicPosts {
  card(inquiry: Inquiry, threadId: number): Promise<TopicPost>;
  /** Undefined: nothing of it goes into the topic (an answer written here, or withheld). `earlier`: stored before the topic was made. */
  message(inquiry: Inquiry, threadId: number, message: ShownMessage, earlier: boolean): Promise<TopicPost | undefined>;
  /** The topic was deleted by an admin meanwhile: a new one, which gets everything again. */
  remake(ref: string, threadId: number): Promise<unknown>;
}

/**
 * Held while one process copies, renewed while it runs (a Telegram call may hang for minutes:
 * grammY waits up to 500 s), and lost within 10 s of its holder dying, so a crash is resumed soon.
 * A claim with a fixed lifetime could expire under a hung call and let a second process copy too.
 */
const copyClaim = (deps: SceneDeps) => new RecordLock(deps.redis, `${deps.config.REDIS_PREFIX}:inq:copy`, 10_000, 0);
/** How long Redis remembers a post of a copy, in case noting it in FerretDB failed. */
const POSTED_KEPT_S = 7 * 24 * 3600;
/** After a day operators have the reminder and the Staff menu: a copy still not through is given up. */
const GIVE_UP_MS = 24 * 3600_000;

/** `done`: nothing left to copy; `pending`: Telegram did not take a post, the rest waits; `busy`: another process is copying. */
export type CopyOutcome = 'done' | 'pending' | 'busy';

/**
 * Copies a moved question's conversation into its new topic (inquiry.model.ts, `topicCopy`): the
 * header card, then every message in the order stored, the operators' earlier answers as lines.
 * Resumable: the record says how far it got after each post, and a post Telegram does not take
 * (429, 5xx, the network) stops the copy there; the next chance (the move pass, the person's
 * next message, a follow-up's repair) goes on from it, so nothing is left out or posted out of
 * order. One process at a time (a Redis claim), and each post is noted in Redis before the
 * record, so two processes, a restart, or a record write that failed post nothing twice.
 * Follow-ups the person sends meanwhile are stored after what came before, and are posted by
 * the copy in their turn; it ends only when it got past the last message (finishCopy).
 */
export async function copyConversation(deps: SceneDeps, ref: string, posts: TopicPosts): Promise<CopyOutcome> {
  try {
    // No wait: another process copying now goes on by itself.
    return await copyClaim(deps).run(ref, () => copyUnderClaim(deps, ref, posts));
  } catch (error) {
    if (error instanceof RecordLockedError) return 'busy';
    throw error;
  }
}

async function copyUnderClaim(deps: SceneDeps, ref: string, posts: TopicPosts): Promise<'done' | 'pending'> {
  const { inquiries } = deps.services;
  for (;;) {
    // Read afresh each turn: a follow-up stored meanwhile is copied in its turn.
    const inquiry = await inquiries.get(ref);
    const copy = inquiry?.topicCopy;
    // No copy, or one into a topic of a former group (staff moved again: the move pass leaves it).
    if (!inquiry || !copy || topicHere(deps, inquiry) !== copy.threadId) return 'done';
    const { threadId, next } = copy;
    if (deps.now().getTime() - new Date(copy.since).getTime() > GIVE_UP_MS) {
      deps.logger.error({ ref }, 'the conversation could not be copied into the new staff topic for a day; given up');
      await inquiries.finishCopy(ref, threadId, Number.MAX_SAFE_INTEGER);
      return 'done';
    }
    const messages = inquiries.messages(inquiry);
    // Past the last message, or closed meanwhile (nothing left to answer; the card still goes,
    // without its buttons, so the topic says which question it was): finished, unless a
    // follow-up was stored since this read.
    if (next >= messages.length || (inquiry.status === 'closed' && next !== TOPIC_COPY_CARD)) {
      if (await inquiries.finishCopy(ref, threadId, next)) return 'done';
      continue;
    }
    const message = next === TOPIC_COPY_CARD ? undefined : messages[next];
    // Keyed by the group too: thread ids are numbered per group, and after a second move the
    // topic here may have the id the question's topic had in the group before (topic-group.ts).
    const post = await postOnce(deps, `${ref}:${deps.config.STAFF_CHAT_ID}:${threadId}:${next}`, async () => {
      if (!message) return inquiry.cardMessageId ? 'posted' : posts.card(inquiry, threadId);
      return (await posts.message(inquiry, threadId, message, next < copy.answersBefore)) ?? 'posted';
    });
    if (post === 'topic-gone') {
      await posts.remake(ref, threadId);
      return 'done';
    }
    // Telegram busy or away, or the group refusing the bot for now: the rest waits, in order.
    if (post === 'failed' || post === 'no-group') return 'pending';
    // A follow-up posted here is not posted again by its own repair (topic-mirror.ts).
    if (message?.from === 'citizen') await inquiries.topicMirrors.posted(ref, message.messageId ?? QUESTION_MESSAGE, deps.now());
    await inquiries.copiedUpTo(ref, threadId, next, next + 1);
  }
}

/**
 * One post of a copy, noted in Redis once Telegram took it (or refused it for good: posting again
 * will not help), before the record moves on: a process stopping in between, or a record write
 * failing, leaves a note that says "posted", not a post to make again.
 */
async function postOnce(deps: SceneDeps, what: string, post: () => Promise<TopicPost>): Promise<TopicPost> {
  const key = `${deps.config.REDIS_PREFIX}:inq:copied:${what}`;
  if ((await deps.redis.get(key)) === 'posted') return 'posted';
  const result = await post();
  if (result === 'posted' || result === 'refused') await deps.redis.set(key, 'posted', 'EX', POSTED_KEPT_S);
  return result;
}
