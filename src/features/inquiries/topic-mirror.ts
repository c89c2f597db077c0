import type { AppDeps } from '../../app/types.js';
import type { Inquiry, MessageIn } from './inquiries.service.js';
import { copyIntoTopic, HEADER_CARD, openTopic, postCard, postIntoTopic, QUESTION_MESSAGE, remakeTopic, resumeTopicCopy, staffLocale } from './relay.js';
import type { Forwarded, RelayableMedia } from '../../telegram/types.js';
import { citizenLine } from './citizen-line.js';
import { topicHere } from './topic-group.js';

/**
 * A citizen's follow-up into the staff topic, made durable: a record says it is due before the
 * post and done after it, so a post that failed (Telegram busy or down, the network) or a process
 * that stopped in between leaves something the repair pass finds and posts. A Redis claim per
 * message keeps the live post and the passes of several processes from posting it twice; only a
 * process stopping after the post and before the record is marked can make a second copy.
 */

/** How long a claim holds while posting: longer than any post (Telegram's own timeouts), short enough to retry soon after a crash. */
const CLAIM_S = 300;
/** A follow-up younger than this may be posting right now in its own process. */
const SETTLE_MS = 60_000;
/** After a day operators have the reminder and the person may have written again: the pass stops trying. */
const GIVE_UP_MS = 24 * 60 * 60 * 1000;
/** Posted records kept this long, so a retried update of theirs is not posted again. */
const KEEP_DONE_MS = 7 * 24 * 60 * 60 * 1000;

/** What became of one try: done (posted, or can never be), or to try again. */
type Tried = 'done' | 'again';

interface FollowUp {
  text?: string;
  media?: RelayableMedia;
  chatId?: number;
  messageId?: number;
  forwarded?: Forwarded;
  nameHidden?: boolean;
}

const claimKey = (deps: AppDeps, ref: string, messageId: number) => `${deps.config.REDIS_PREFIX}:inq:mirror:${ref}:${messageId}`;

/** A citizen's follow-up into the topic: text as "Citizen: …", attachments copied as they are. */
export async function mirrorCitizen(deps: AppDeps, inquiry: Inquiry, message: MessageIn): Promise<void> {
  if (!deps.config.STAFF_CHAT_ID || !deps.telegram) return;
  const mirrors = deps.services.inquiries.topicMirrors;
  // A topic opened only now (its first creation failed) gets every stored message, this one too.
  // Due first: another process making the topic right now may have read the question before this
  // message, and this one does not make a second topic; the repair pass posts it then. A topic in
  // a former staff group counts as none: openTopic leaves it there and makes one here.
  if (!topicHere(deps, inquiry)) {
    if ((await mirrors.begin(inquiry.ref, message.messageId, deps.now())) === 'posted') return;
    // The topic may be there already, made since the question was read (the move pass gave it one
    // here meanwhile, having read the question before this message): posted now, under its claim,
    // not a minute later by the repair pass, after the person's next words.
    if ((await openTopic(deps, inquiry.ref)) === undefined) return;
    const current = await deps.services.inquiries.get(inquiry.ref);
    if (current) await postInTurn(deps, current, message, true);
    return;
  }
  // A retried update (the mailbox runs it again after a crash) whose message is in the topic already.
  if ((await mirrors.begin(inquiry.ref, message.messageId, deps.now())) === 'posted') return;
  await postInTurn(deps, inquiry, message, false);
}

/**
 * A moved question whose conversation is still being copied into its new topic gets the
 * follow-up in its turn, from the copy (topic-copy.ts): posted now, it would come before what
 * the copy has not posted yet. Read again first: the question was read before the message was
 * stored, and a copy that finished since did not see it (it is posted as any other then), while
 * one still going sees it before it finishes (the lock of finishCopy).
 */
async function postInTurn(deps: AppDeps, inquiry: Inquiry, message: MessageIn, check: boolean): Promise<void> {
  if (inquiry.topicCopy) {
    const current = await deps.services.inquiries.get(inquiry.ref);
    if (!current) return;
    if (current.topicCopy) {
      await resumeTopicCopy(deps, inquiry.ref);
      return;
    }
    await tryOnce(deps, current, message, true);
    return;
  }
  await tryOnce(deps, inquiry, message, check);
}

/**
 * Posts one due follow-up under its claim. `check`: the pass read the record before taking the
 * claim, so it looks again (another process may have posted it meanwhile).
 */
async function tryOnce(deps: AppDeps, inquiry: Inquiry, message: FollowUp & { messageId: number }, check: boolean): Promise<Tried | 'busy'> {
  const claim = claimKey(deps, inquiry.ref, message.messageId);
  const mirrors = deps.services.inquiries.topicMirrors;
  if (!(await deps.redis.set(claim, 'posting', 'EX', CLAIM_S, 'NX'))) {
    // Posted by a process that stopped (or lost the database) before marking the record.
    if ((await deps.redis.get(claim)) !== 'posted') return 'busy';
    await mirrors.done(inquiry.ref, message.messageId, deps.now());
    return 'done';
  }
  if (check && !(await mirrors.isDue(inquiry.ref, message.messageId))) {
    await deps.redis.del(claim);
    return 'done';
  }
  const tried = await postFollowUp(deps, inquiry, message);
  if (tried === 'again') {
    await deps.redis.del(claim);
    return tried;
  }
  // Said in Redis first, kept as long as the record: a process stopping before the record is
  // marked leaves a claim that says "posted", not a message to post again.
  await deps.redis.set(claim, 'posted', 'EX', KEEP_DONE_MS / 1000);
  await mirrors.done(inquiry.ref, message.messageId, deps.now());
  return tried;
}

async function postFollowUp(deps: AppDeps, inquiry: Inquiry, message: FollowUp): Promise<Tried> {
  const threadId = topicHere(deps, inquiry);
  if (!threadId) {
    // Its topic is gone and the new one was not made yet: the new one gets every stored message.
    return (await settledBy(deps, inquiry.ref, message.messageId, openTopic(deps, inquiry.ref))) ? 'done' : 'again';
  }
  if (message.media) {
    if (message.chatId === undefined || message.messageId === undefined) return 'done';
    const post = await copyIntoTopic(deps, threadId, inquiry.ref, { ...message, media: message.media, chatId: message.chatId, messageId: message.messageId });
    if (post === 'topic-gone') return (await settledBy(deps, inquiry.ref, message.messageId, remakeTopic(deps, inquiry.ref, threadId))) ? 'done' : 'again';
    // Refused (400) may just be a photo the person deleted at once: copying again will not help.
    // Telegram busy or away, or the group refusing the bot for now: tried again.
    return post === 'posted' || post === 'refused' ? 'done' : 'again';
  }
  if (!message.text) return 'done';
  const t = deps.services.inquiries.t(staffLocale(deps));
  const post = await postIntoTopic(deps, threadId, citizenLine(t, message));
  // The new topic gets every stored message, this one and any other still due too.
  if (post === 'topic-gone') return (await settledBy(deps, inquiry.ref, message.messageId, remakeTopic(deps, inquiry.ref, threadId))) ? 'done' : 'again';
  return post === 'posted' ? 'done' : 'again';
}

/**
 * A new topic for the question: openTopic posts everything it holds and settles each message's
 * record itself (done when posted, due when Telegram did not take it). This follow-up is done
 * only if its own post went through.
 */
async function settledBy(deps: AppDeps, ref: string, messageId: number | undefined, opening: Promise<number | undefined>): Promise<boolean> {
  const threadId = await opening;
  if (threadId === undefined) return false;
  return messageId === undefined || !(await deps.services.inquiries.topicMirrors.isDue(ref, messageId));
}

/**
 * A header card Telegram did not take when its topic was made, posted under its claim. Not
 * posted for a question closed since (nothing left to press), nor into a topic made again since
 * (that one got its own card). A process stopping between Telegram taking the card and the
 * record noting it leaves a second card on the next pass; the later one is the one kept current.
 */
async function tryCard(deps: AppDeps, inquiry: Inquiry, now: Date): Promise<Tried | 'busy'> {
  const claim = claimKey(deps, inquiry.ref, HEADER_CARD);
  if (!(await deps.redis.set(claim, 'posting', 'EX', CLAIM_S, 'NX'))) return 'busy';
  try {
    // Read under the claim: another process's pass may have posted it just before.
    const current = await deps.services.inquiries.get(inquiry.ref);
    const threadId = current ? topicHere(deps, current) : undefined;
    if (current && threadId && !current.cardMessageId && current.status !== 'closed') {
      const post = await postCard(deps, current, threadId);
      if (post === 'topic-gone') await remakeTopic(deps, current.ref, threadId);
      else if (post === 'failed' || post === 'no-group') return 'again';
    }
    await deps.services.inquiries.topicMirrors.done(inquiry.ref, HEADER_CARD, now);
    return 'done';
  } finally {
    await deps.redis.del(claim).catch(() => undefined);
  }
}

/**
 * The repair pass: follow-ups still due (older than a minute) are posted into their topics, each
 * under its claim, so as often as it runs and from however many processes, each goes once.
 * Returns how many were posted (or settled: question deleted, message gone).
 */
export async function retryTopicMirrors(deps: AppDeps, now = deps.now()): Promise<number> {
  if (!deps.config.STAFF_CHAT_ID || !deps.telegram) return 0;
  const { inquiries } = deps.services;
  const mirrors = inquiries.topicMirrors;
  let settled = 0;
  for (const due of await mirrors.due(new Date(now.getTime() - SETTLE_MS))) {
    const inquiry = await inquiries.get(due.ref);
    const card = due.messageId === HEADER_CARD;
    const message = inquiry ? inquiries.messages(inquiry).find((m) => m.from === 'citizen' && (m.messageId ?? QUESTION_MESSAGE) === due.messageId) : undefined;
    // The question was deleted with the person's data: there is nothing left to post.
    if (!inquiry || (!message && !card)) {
      await mirrors.forget(due.ref, due.messageId);
      continue;
    }
    if (now.getTime() - due.at.getTime() > GIVE_UP_MS) {
      deps.logger.error({ ref: due.ref }, 'a follow-up could not be posted into the staff topic for a day; given up');
      await mirrors.done(due.ref, due.messageId, now);
      continue;
    }
    // A moved question's copy posts its follow-ups in their turn, and goes on from where it stopped.
    if (inquiry.topicCopy) {
      await resumeTopicCopy(deps, due.ref).catch((err: unknown) => deps.logger.warn({ err, ref: due.ref }, 'the copy into the new staff topic stopped; goes on at the next chance'));
      if (!(await mirrors.isDue(due.ref, due.messageId))) settled += 1;
      continue;
    }
    // Only for this message: one failing must not hold back the others.
    const trying = message ? tryOnce(deps, inquiry, { ...message, messageId: due.messageId }, true) : tryCard(deps, inquiry, now);
    const tried = await trying.catch((err: unknown) => {
      deps.logger.warn({ err, ref: due.ref }, 'a follow-up was not posted into the staff topic; tried again next minute');
      return 'again' as const;
    });
    if (tried === 'done') settled += 1;
  }
  await mirrors.prune(new Date(now.getTime() - KEEP_DONE_MS));
  return settled;
}
