import type { AppDeps } from '../../app/types.js';
import type { SceneDeps } from '../../engine/context.js';
import type { DeliveryJob, StaffAct } from '../../delivery/types.js';
import { RELAYABLE_MEDIA, type InlineButton, type Locale, type RelayableMedia } from '../../telegram/types.js';
import { isRegionKey, regionName } from '../../domain/regions.js';
import { iq } from './callbacks.js';
import type { Inquiry, MessageIn } from './inquiries.service.js';
import { inlineMarkup } from '../../telegram/inline-markup.js';
import type { Translate } from '../../i18n/index.js';
import { citizenLine, hiddenForStaffGroup, type CitizenPost } from './citizen-line.js';
import { topicElsewhere, topicHere } from './topic-group.js';
import { topicsTakenAgain } from './topic-refusals.js';
import { copyConversation, QUESTION_MESSAGE, type CopyOutcome, type TopicPost, type TopicPosts } from './topic-copy.js';

export { QUESTION_MESSAGE, type TopicPost } from './topic-copy.js';

/**
 * The staff group side: a forum topic per inquiry with a header card and buttons, citizens'
 * messages mirrored into it, and operators' answers relayed to the citizen through the delivery
 * queue (so a citizen who blocked the bot is noticed and the operator told). Staff texts are in
 * the deployment's default language; the citizen always gets their own.
 */

export const staffLocale = (deps: Pick<AppDeps, 'config'>): Locale => deps.config.STAFF_CHAT_LOCALE ?? deps.config.DEFAULT_LOCALE;

/** How long the person waited for a first answer, or has waited so far. */
function waitingMinutes(inquiry: Inquiry, now: Date): number {
  const until = inquiry.firstAnsweredAt ? new Date(inquiry.firstAnsweredAt) : now;
  return Math.max(0, Math.round((until.getTime() - new Date(inquiry.createdAt).getTime()) / 60_000));
}

export function headerCard(deps: SceneDeps, inquiry: Inquiry): { text: string; buttons: InlineButton[][] } {
  const t = deps.services.inquiries.t(staffLocale(deps));
  const region = inquiry.region && isRegionKey(inquiry.region) ? regionName(inquiry.region, staffLocale(deps)) : t('inquiries:staff.region-unknown');
  const text = t('inquiries:staff.card', {
    ref: inquiry.ref,
    topic: t(`inquiries:topic.${inquiry.topic}`),
    region,
    language: t(`inquiries:language.${inquiry.locale}`),
    minutes: waitingMinutes(inquiry, deps.now()),
    status: t(`inquiries:status.${inquiry.status}`),
  });
  return { text, buttons: inquiry.status === 'closed' ? [] : staffButtons(deps, inquiry.ref) };
}

/**
 * Brings the header card up to date (status, waiting time; no buttons once closed) after a take,
 * move, answer, close or reminder. A card that cannot be edited (deleted, too old) is left as it
 * is: the topic's own messages say what happened.
 */
export async function refreshCard(deps: SceneDeps, ref: string): Promise<void> {
  const chatId = deps.config.STAFF_CHAT_ID;
  if (!chatId || !deps.telegram) return;
  const inquiry = await deps.services.inquiries.get(ref);
  // A card in a former staff group is not edited: the bot posts nothing there any more.
  if (!inquiry?.cardMessageId || !topicHere(deps, inquiry)) return;
  const card = headerCard(deps, inquiry);
  await deps.telegram
    .call('editMessageText', { chat_id: chatId, message_id: inquiry.cardMessageId, text: card.text, reply_markup: inlineMarkup(card.buttons) })
    .catch((err: unknown) => deps.logger.debug({ err, ref }, 'header card not edited'));
}

export function staffButtons(deps: SceneDeps, ref: string): InlineButton[][] {
  return staffCardButtons(deps.services.inquiries.t(staffLocale(deps)), ref);
}

/**
 * The buttons under a question's header card in its forum topic. Three in a row leave 9
 * characters each on a small phone (docs/style-guide.md), too few for "Move to another topic",
 * so Move has a row of its own.
 */
export function staffCardButtons(t: Translate, ref: string): InlineButton[][] {
  return [
    [
      { text: t('inquiries:staff.take'), data: iq.staff('take', ref) },
      { text: t('inquiries:staff.close'), data: iq.staff('close', ref) },
    ],
    [{ text: t('inquiries:staff.move'), data: iq.staff('move', ref) }],
  ];
}


/**
 * What became of a post into a topic: "message thread not found" (400) means the topic is gone
 * (an admin deleted it); refusing the bot (403) means it may not post in the group at all
 * (removed, rights taken). Any other 400 (no right to send text, a group moved to a new id) is
 * a failure: taking it for a deleted topic would open a second topic, and answers typed in the
 * first, which still exists, would reach nobody.
 */
/** `refused`: Telegram answered 400 for another reason (e.g. an attachment the person deleted at once); posting again will not help. */

/**
 * The Bot API has no error code for a deleted topic, only its description (the one place this
 * bot reads one): "message thread not found", or TOPIC_DELETED / TOPIC_ID_INVALID.
 */
const THREAD_MISSING = /thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i;

/** Telegram's 400 says the topic does not exist (any more). */
export function isThreadMissing(err: unknown): boolean {
  const description = (err as { description?: unknown } | null)?.description;
  return typeof description === 'string' && THREAD_MISSING.test(description);
}

function topicPostFailure(deps: SceneDeps, err: unknown): TopicPost {
  const kind = deps.telegram?.classify(err);
  if (kind === 'forbidden') return 'no-group';
  if (kind !== 'bad-request') return 'failed';
  return isThreadMissing(err) ? 'topic-gone' : 'refused';
}

/**
 * Sends into the inquiry's topic, in parts when the text with its "Citizen:" label passes
 * Telegram's limit (buttons under the last part); a failure is logged, never shown to the citizen.
 */
export async function postIntoTopic(deps: SceneDeps, threadId: number, text: string, buttons?: InlineButton[][]): Promise<TopicPost> {
  const chatId = deps.config.STAFF_CHAT_ID;
  if (!chatId || !deps.telegram) return 'no-group';
  const parts = splitForTelegram(text);
  try {
    for (const [i, part] of parts.entries()) {
      const markup = buttons && i === parts.length - 1 ? { reply_markup: inlineMarkup(buttons) } : {};
      await deps.telegram.call('sendMessage', { chat_id: chatId, message_thread_id: threadId, text: part, ...markup });
    }
    return 'posted';
  } catch (err) {
    deps.logger.warn({ err, threadId }, 'could not post into the staff topic');
    return topicPostFailure(deps, err);
  }
}

export async function postToTopic(deps: SceneDeps, threadId: number, text: string, buttons?: InlineButton[][]): Promise<boolean> {
  return (await postIntoTopic(deps, threadId, text, buttons)) === 'posted';
}

/**
 * The inquiry's topic was deleted by an admin: a new one is made with the card and everything
 * the citizen sent (openTopic), so operators see the question again. Returns the new topic.
 */
export async function remakeTopic(deps: SceneDeps, ref: string, deadThreadId: number): Promise<number | undefined> {
  // Another process found it gone first and makes the new one.
  if (!(await deps.services.inquiries.forgetThread(ref, deadThreadId))) return (await deps.services.inquiries.get(ref))?.threadId ?? undefined;
  deps.logger.warn({ ref, threadId: deadThreadId }, 'the staff topic of a question was deleted; making a new one');
  return openTopic(deps, ref);
}

/** The mirror record's id of a header card Telegram did not take into its new topic. */
export const HEADER_CARD = -1;

/** Posts the question's header card into its topic and records it, so later changes edit it. */
export async function postCard(deps: SceneDeps, inquiry: Inquiry, threadId: number): Promise<TopicPost> {
  const chatId = deps.config.STAFF_CHAT_ID;
  if (!chatId || !deps.telegram) return 'no-group';
  const card = headerCard(deps, inquiry);
  let sent: { message_id: number };
  try {
    sent = (await deps.telegram.call('sendMessage', { chat_id: chatId, message_thread_id: threadId, text: card.text, reply_markup: inlineMarkup(card.buttons) })) as { message_id: number };
  } catch (err) {
    deps.logger.warn({ err, ref: inquiry.ref, post: 'header card' }, 'could not post into the staff topic');
    return topicPostFailure(deps, err);
  }
  // Outside the try: a database error here is not Telegram refusing the card (it is posted).
  await deps.services.inquiries.setCard(inquiry.ref, sent.message_id);
  return 'posted';
}

/** Held while one process makes a question's topic: longer than making it and posting into it takes. */
const MAKING_S = 120;

/**
 * Creates the forum topic of a new inquiry and posts its header card and first message. One
 * process at a time per question (a Redis claim): the live follow-up, the repair pass and the
 * reminder may all find the topic missing at once, and each would make its own topic with every
 * message posted in it. The others get the topic as it stands (none yet while it is being made);
 * a follow-up of theirs is due in its record, so the repair pass posts it once the topic exists.
 */
export async function openTopic(deps: SceneDeps, ref: string, onRefused?: (err: unknown) => void): Promise<number | undefined> {
  const chatId = deps.config.STAFF_CHAT_ID;
  const api = deps.telegram;
  if (!chatId || !api) return undefined;
  const claim = `${deps.config.REDIS_PREFIX}:inq:topic:${ref}`;
  // Redis away: made unclaimed rather than not at all (a question just sent would get no topic).
  const claimed = await deps.redis.set(claim, '1', 'EX', MAKING_S, 'NX').catch((err: unknown) => {
    deps.logger.warn({ err, ref }, 'no claim on making the staff topic; made without it');
    return 'OK' as const;
  });
  if (!claimed) {
    const current = await deps.services.inquiries.get(ref);
    return current ? topicHere(deps, current) : undefined;
  }
  try {
    return await makeTopic(deps, ref, chatId, api, onRefused);
  } finally {
    // Left to expire if Redis is away: the topic is made and recorded already.
    await deps.redis.del(claim).catch(() => undefined);
  }
}

/**
 * openTopic under its claim: the question read only now, so it sees a topic made just before.
 * `onRefused`: the group refusing the bot topics (400, 403) is told to the caller, which says so
 * in the log (the move pass, once a step of its waiting: topic-refusals.ts), instead of here.
 */
async function makeTopic(deps: SceneDeps, ref: string, chatId: number, api: NonNullable<SceneDeps['telegram']>, onRefused?: (err: unknown) => void): Promise<number | undefined> {
  const { inquiries } = deps.services;
  let inquiry = await inquiries.get(ref);
  // Staff moved to another group: the topic in the former one is left there (to be deleted,
  // nothing posted into it) and this question gets one here. Under this claim, so two processes
  // never make two new topics for one question.
  if (inquiry && topicElsewhere(deps, inquiry)) {
    await inquiries.leaveTopic(ref, inquiry.staffChatId!, inquiry.threadId!);
    inquiry = await inquiries.get(ref);
  }
  if (!inquiry) return undefined;
  if (inquiry.threadId) return topicHere(deps, inquiry);
  // A closed question gets no topic (it left its former group's with nothing to answer there).
  if (inquiry.status === 'closed') return undefined;
  const t = inquiries.t(staffLocale(deps));
  let topic: { message_thread_id: number };
  try {
    topic = (await api.call('createForumTopic', { chat_id: chatId, name: `${ref} · ${t(`inquiries:topic.${inquiry.topic}`)}`.slice(0, 128) })) as { message_thread_id: number };
  } catch (err) {
    const kind = api.classify(err);
    if (onRefused && (kind === 'bad-request' || kind === 'forbidden')) onRefused(err);
    // The inquiry stays in the Staff menu queue; the next message from the citizen tries again.
    else deps.logger.warn({ err, ref }, 'could not create the forum topic');
    return undefined;
  }
  // The group takes topics: a move pass waiting for it to (topic-refusals.ts) waits no more.
  await topicsTakenAgain(deps, chatId);
  try {
    // The question deleted with the person's data meanwhile: the topic is left empty (only its
    // name), recorded for the reminder tick to delete.
    if (!(await inquiries.setThread(ref, topic.message_thread_id, chatId))) return undefined;
    // Moved from a former group: the card, then the conversation so far with the operators'
    // answers (the operators here have not seen them), in order; what Telegram does not take now
    // is posted at the next chance, after what came before it (topic-copy.ts).
    if (inquiry.topicOwed === true) {
      await resumeTopicCopy(deps, ref);
      await closeIfClosedMeanwhile(deps, ref, topic.message_thread_id);
      return topic.message_thread_id;
    }
    // A card Telegram did not take is due like a follow-up: the repair pass posts it, so
    // operators get its buttons (otherwise only the Staff menu could take the question).
    if ((await postCard(deps, inquiry, topic.message_thread_id)) !== 'posted') {
      await deps.services.inquiries.topicMirrors.begin(ref, HEADER_CARD, deps.now());
    }
    // Everything the citizen sent before the topic existed (its creation may have failed
    // first), texts and attachments, in the order sent.
    for (const message of deps.services.inquiries.messages(inquiry)) {
      if (message.from !== 'citizen') continue;
      let post: TopicPost | undefined;
      if (message.media && message.chatId !== undefined && message.messageId !== undefined) {
        post = await copyIntoTopic(deps, topic.message_thread_id, ref, { ...message, media: message.media, chatId: message.chatId, messageId: message.messageId });
      } else if (message.text) {
        post = await postIntoTopic(deps, topic.message_thread_id, citizenLine(t, message));
      }
      if (post) await settleMirror(deps, ref, message.messageId ?? QUESTION_MESSAGE, post);
    }
    await closeIfClosedMeanwhile(deps, ref, topic.message_thread_id);
    return topic.message_thread_id;
  } catch (err) {
    // The inquiry stays in the Staff menu queue; the next message from the citizen tries again.
    deps.logger.warn({ err, ref }, 'could not create the forum topic');
    return undefined;
  }
}

/**
 * A question closed while its topic was being made (a move of the staff group makes many): its
 * close found no topic to close, and the card was posted with Take and Close. The card loses its
 * buttons and the topic is closed, as a close does; both are harmless twice, should the close
 * have seen the topic after all.
 */
async function closeIfClosedMeanwhile(deps: SceneDeps, ref: string, threadId: number): Promise<void> {
  if ((await deps.services.inquiries.get(ref))?.status !== 'closed') return;
  await refreshCard(deps, ref);
  await deps.telegram?.call('closeForumTopic', { chat_id: deps.config.STAFF_CHAT_ID, message_thread_id: threadId }).catch((err: unknown) => {
    deps.logger.warn({ err, ref }, 'could not close the forum topic');
  });
}

/**
 * An operator's earlier answer in a question's new topic (after a move of the staff group): its
 * words and the mark of an attachment (not copied: the original is in the former group, where
 * the bot may be no more), with IINs and card numbers hidden as in the citizen's lines.
 */
function operatorLine(t: Translate, message: { text?: string; media?: RelayableMedia }): string {
  const text = [message.media ? t(`inquiries:media.${message.media}`) : '', message.text ?? ''].filter(Boolean).join(' ');
  return hiddenForStaffGroup(t, t('inquiries:staff.operator-said', { text }));
}

/** What a moved question's copy posts (topic-copy.ts), as a new topic's posts are made. */
function topicPosts(deps: SceneDeps): TopicPosts {
  const t = deps.services.inquiries.t(staffLocale(deps));
  return {
    card: (inquiry, threadId) => postCard(deps, inquiry, threadId),
    async message(inquiry, threadId, message, earlier) {
      // An answer stored after the topic was made was written here (or is posted by its own way).
      if (message.from === 'operator') return earlier && !message.withheld ? postIntoTopic(deps, threadId, operatorLine(t, message)) : undefined;
      if (message.media && message.chatId !== undefined && message.messageId !== undefined) {
        return copyIntoTopic(deps, threadId, inquiry.ref, { ...message, media: message.media, chatId: message.chatId, messageId: message.messageId });
      }
      return message.text ? postIntoTopic(deps, threadId, citizenLine(t, message)) : undefined;
    },
    remake: (ref, threadId) => remakeTopic(deps, ref, threadId),
  };
}

/** Goes on with a moved question's copy into its new topic, if one is unfinished (topic-copy.ts). */
export function resumeTopicCopy(deps: SceneDeps, ref: string): Promise<CopyOutcome> {
  return copyConversation(deps, ref, topicPosts(deps));
}

/**
 * What a new topic did with one of the question's messages, for the repair pass
 * (topic-mirror.ts): posted (or refused for good), nothing of it is due; not taken (Telegram
 * busy or away, the group refusing the bot for now), it is due, so the pass posts it later
 * instead of leaving a topic without the question in it.
 */
async function settleMirror(deps: SceneDeps, ref: string, messageId: number, post: TopicPost): Promise<void> {
  const mirrors = deps.services.inquiries.topicMirrors;
  if (post === 'posted' || post === 'refused') await mirrors.done(ref, messageId, deps.now());
  else await mirrors.begin(ref, messageId, deps.now());
}

/**
 * A citizen's attachment in the topic with the label texts get ("Citizen: [voice message] …",
 * their caption after the mark): as the copy's caption, or, for a round video (no caption
 * possible) or a label too long for one, posted just before the copy, which loses its own caption
 * (the label before it has the caption, hidden; the person may have edited the caption since).
 */
export async function copyIntoTopic(deps: SceneDeps, threadId: number, ref: string, message: CitizenPost & { media: RelayableMedia; chatId: number; messageId: number }): Promise<TopicPost> {
  const t = deps.services.inquiries.t(staffLocale(deps));
  const label = citizenLine(t, message);
  // A copy keeps the file's name, and Telegram cannot rename it: the file stays out of the group.
  if (message.nameHidden) {
    const note = `${label}\n\n${t('inquiries:staff.file-name-hidden')}`;
    return postIntoTopic(deps, threadId, note, [[{ text: t('inquiries:staff.send-file'), data: iq.file(ref, message.messageId) }]]);
  }
  const captioned = RELAYABLE_MEDIA[message.media].caption && label.length <= MAX_CAPTION;
  if (!captioned) {
    const post = await postIntoTopic(deps, threadId, label);
    if (post !== 'posted') return post;
  }
  // An empty caption takes the copy's own one off: the label before it carries its words, hidden.
  // Never kept, even one without an IIN when it was sent: the person may have edited it since,
  // and a copy shows the caption as it is now.
  const caption = captioned ? { caption: label } : RELAYABLE_MEDIA[message.media].caption ? { caption: '' } : {};
  try {
    await deps.telegram?.call('copyMessage', {
      chat_id: deps.config.STAFF_CHAT_ID, message_thread_id: threadId, from_chat_id: message.chatId, message_id: message.messageId, ...caption,
    });
    return 'posted';
  } catch (err) {
    deps.logger.warn({ err, ref }, 'could not copy an attachment into the staff topic');
    return topicPostFailure(deps, err);
  }
}

/**
 * The delivery queue sends at most one message a second per chat (DELIVERY_CHAT_GAP_MS) and may
 * re-delay a job, so two answers queued together could overtake each other. Each message to a
 * citizen gets its own send time, at least the gap and SLOT_MARGIN_MS after the previous one to
 * that chat (1.1 s by default; kept in Redis, shared by processes), which keeps them in the order
 * the operator wrote them.
 */
const NEXT_SLOT = `
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(tonumber(ARGV[1]), last + tonumber(ARGV[2]))
-- Kept two minutes past the last send time, not past now: with a long gap (DELIVERY_CHAT_GAP_MS up
-- to a minute) a few answers reach minutes ahead, and a key gone before them would give the next
-- answer the time now, ahead of those still waiting.
redis.call('SET', KEYS[1], at, 'PX', math.ceil(at - tonumber(ARGV[1])) + 120000)
return at
`;

/**
 * Beyond the chat's gap: a job becomes due a little late (the queue's delay timer, the fetch, the
 * checks before the send), and that lateness does not shrink with the gap.
 */
const SLOT_MARGIN_MS = 100;

/** What picking a send time needs: Redis, its prefix and the per-chat gap. */
type SlotDeps = Pick<SceneDeps, 'redis'> & { config: Pick<SceneDeps['config'], 'REDIS_PREFIX' | 'DELIVERY_CHAT_GAP_MS'> };

export async function nextSendTime(deps: SlotDeps, chatId: number): Promise<Date> {
  const spacing = deps.config.DELIVERY_CHAT_GAP_MS + SLOT_MARGIN_MS;
  const at = await deps.redis.eval(NEXT_SLOT, 1, `${deps.config.REDIS_PREFIX}:inq:slot:${chatId}`, Date.now(), spacing);
  return new Date(Number(at));
}

/** Telegram's limits: a message's text, and a caption under a photo or document. */
const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

/** Cuts a long text at paragraph or line ends where it can, so each part fits one message. */
export function splitForTelegram(text: string, max = MAX_TEXT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = Math.max(rest.lastIndexOf('\n', max), rest.lastIndexOf(' ', max));
    const at = cut > max / 2 ? cut : max;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** What an operator's message to the citizen needs when it is sent: the right to answer this topic and region. */
export function operatorAct(inquiry: Pick<Inquiry, 'topic' | 'region'>, operatorId: number): StaffAct {
  return { userId: operatorId, permission: 'inquiries.answer', topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) };
}

/**
 * "inq-<ref>-s<group>-<message>" for an answer written in a staff group (the group's id without
 * its minus), "inq-<ref>-p<chat>-<message>" from an operator's private chat. Each chat numbers its
 * messages from 1: after a move of the staff group, an answer in the new group may have the id of
 * an answer to the same question in the former group, and the queue keeps a sent job a week (a
 * job id already there is not queued again: the answer would never reach the person). Parts
 * after the first add "-2", "-3"…
 */
const relayJobId = (ref: string, message: Pick<MessageIn, 'chatId' | 'messageId'>): string =>
  `inq-${ref}-${message.chatId < 0 ? `s${-message.chatId}-` : `p${message.chatId}-`}${message.messageId}`;

/** The id the previous release gave an answer written in the staff group (its group unsaid): its jobs may still be queued. */
const previousGroupJobId = (ref: string, messageId: number): string => `inq-${ref}-g${messageId}`;

/**
 * Every delivery job that may hold something of this inquiry's messages to the person: each
 * operator message (and its parts) and the "question closed" notices. The queue keeps sent jobs
 * a week (texts sealed, but still theirs); "delete my data" removes them with the record.
 */
export function relayJobIdsOf(inquiry: Pick<Inquiry, 'ref' | 'messages' | 'closeNotice' | 'closeToldMark'>): string[] {
  const ids: string[] = [closedNoticeId(inquiry.ref)];
  for (const mark of [inquiry.closeNotice?.mark, inquiry.closeToldMark]) if (mark) ids.push(closedNoticeId(inquiry.ref, mark));
  for (const m of inquiry.messages) {
    if (m.from !== 'operator' || m.chatId == null || m.messageId == null) continue;
    const bases = [relayJobId(inquiry.ref, { chatId: m.chatId, messageId: m.messageId })];
    if (m.chatId < 0) bases.push(previousGroupJobId(inquiry.ref, m.messageId));
    // Telegram caps what an operator writes (4,096 characters, 1,024 under a photo): with the
    // header that is at most a second part ("-2"), or a copy's caption sent after it ("-1").
    for (const base of bases) ids.push(base, `${base}-1`, `${base}-2`);
  }
  return ids;
}

/**
 * The operator message a relay job carries (chat undefined: a staff group's, from a job of the
 * previous release, which did not name the group); null for "closed" and others.
 */
export function relayedMessageOf(jobId: string): { chatId?: number; messageId: number } | null {
  const match = /^inq-Q-\d{4}-\d{6}-(?:g(\d+)|s(\d+)-(\d+)|p(\d+)-(\d+))(?:-\d+)?$/.exec(jobId);
  if (!match) return null;
  if (match[1]) return { messageId: Number(match[1]) };
  return match[2] ? { chatId: -Number(match[2]), messageId: Number(match[3]) } : { chatId: Number(match[4]), messageId: Number(match[5]) };
}

/** An operator's answer to the citizen, as "Operator", through the delivery queue, in order. */
export async function relayToCitizen(deps: SceneDeps, inquiry: Inquiry, operatorId: number, message: MessageIn): Promise<boolean> {
  if (!inquiry.chatId) return false;
  const stored = await deps.services.inquiries.addOperatorMessage(inquiry.ref, operatorId, message);
  if (!stored) return false;
  const t = deps.services.inquiries.t(inquiry.locale);
  const header = t('inquiries:citizen.operator-says', { ref: inquiry.ref });
  const base = relayJobId(inquiry.ref, message);
  const captioned = message.text ? `${header}\n\n${message.text}` : header;
  // A caption that no longer fits under the copy (the header made it longer) follows as text.
  const copyCaption = message.media ? (captioned.length <= MAX_CAPTION ? captioned : header) : undefined;
  const texts = message.media
    ? copyCaption === header && message.text ? splitForTelegram(message.text) : []
    : splitForTelegram(`${header}\n\n${message.text ?? ''}`);
  const jobs: DeliveryJob[] = [];
  // Sent in the operator's name: an operator who loses the topic or the region before the send says nothing.
  const actedBy = operatorAct(inquiry, operatorId);
  const slot = async () => ({ notBefore: await nextSendTime(deps, inquiry.chatId!) });
  if (message.media && !RELAYABLE_MEDIA[message.media].caption) {
    // A round video carries no caption: "Operator, question …" goes just before it, as its own message.
    jobs.push({ id: `${base}-1`, chatId: inquiry.chatId, kind: 'inquiry-relay', ref: inquiry.ref, actedBy, text: header, ...(await slot()) });
    jobs.push({ id: base, chatId: inquiry.chatId, kind: 'inquiry-relay', ref: inquiry.ref, actedBy, text: header,
      copy: { fromChatId: message.chatId, messageId: message.messageId, withoutCaption: true }, ...(await slot()) });
  } else if (message.media) {
    jobs.push({ id: base, chatId: inquiry.chatId, kind: 'inquiry-relay', ref: inquiry.ref, actedBy, text: copyCaption!,
      copy: { fromChatId: message.chatId, messageId: message.messageId }, ...(await slot()) });
  }
  for (const [index, text] of texts.entries()) {
    const id = jobs.length === 0 && index === 0 ? base : `${base}-${index + 1}`;
    jobs.push({ id, chatId: inquiry.chatId, kind: 'inquiry-relay', ref: inquiry.ref, actedBy, text, ...(await slot()) });
  }
  await deps.delivery.enqueue(jobs);
  await refreshCard(deps, inquiry.ref);
  return true;
}

/** Closes the inquiry, its topic, and asks the citizen to rate the answer. */
export async function closeInquiry(deps: AppDeps, ref: string, actorId: number): Promise<boolean> {
  const closed = await deps.services.inquiries.close(ref, actorId);
  const inquiry = await deps.services.inquiries.get(ref);
  if (!closed) {
    // This member's Close run again (the mailbox retries it) after a failure past the write:
    // finished now, and they are told it is closed. Another member's Close is told it was
    // already (the pass finishes a close its own member never comes back to).
    if (inquiry?.status === 'closed' && inquiry.closeDue?.by === actorId) {
      await finishClose(deps, inquiry);
      return true;
    }
    // A retried Close (the first try closed the record, then failed before the citizen's notice
    // was queued) queues the notice again; its job id keeps it to one message.
    if (inquiry?.status === 'closed' && inquiry.chatId) {
      await tellClosed(deps, ref, inquiry.chatId, inquiry.locale, inquiry.userId === actorId ? undefined : operatorAct(inquiry, actorId));
    }
    return false;
  }
  if (inquiry) await finishClose(deps, inquiry);
  return true;
}

/**
 * What a close owes after its write: its line, the staff topic (card without buttons, "closed"
 * said there, the topic closed) and the person's notice, in the name of whoever closed it; then
 * the mark is cleared. Run again after a failure, the line and the notice are once (their keys);
 * the topic may be told twice, never left open.
 */
async function finishClose(deps: AppDeps, inquiry: Inquiry): Promise<void> {
  const { ref } = inquiry;
  // Who closed it (0, the system, for a mark without one).
  const by = inquiry.closeDue?.by ?? 0;
  await deps.services.inquiries.auditClose(ref, by);
  // A topic in a former staff group is not told or closed: the move pass deletes it.
  const threadId = topicHere(deps, inquiry);
  if (deps.config.STAFF_CHAT_ID && deps.telegram && threadId) {
    const t = deps.services.inquiries.t(staffLocale(deps));
    await refreshCard(deps, ref);
    await postToTopic(deps, threadId, t('inquiries:staff.closed', { ref }));
    await deps.telegram.call('closeForumTopic', { chat_id: deps.config.STAFF_CHAT_ID, message_thread_id: threadId }).catch((err: unknown) => {
      deps.logger.warn({ err, ref }, 'could not close the forum topic');
    });
  }
  // Closed by an operator: the notice goes in their name. A citizen closing their own question is not staff.
  const closer = inquiry.userId === by || by === 0 ? undefined : operatorAct(inquiry, by);
  if (inquiry.chatId) await tellClosed(deps, ref, inquiry.chatId, inquiry.locale, closer);
  await deps.services.inquiries.closeFinished(ref);
}

/**
 * The repair pass: closes over a minute old whose topic or notice may still be owed (the process
 * stopped after the write, or a write failed and nobody tapped Close again).
 */
export async function finishInterruptedCloses(deps: AppDeps): Promise<number> {
  const due = await deps.services.inquiries.closesDue(new Date(deps.now().getTime() - 60_000));
  for (const inquiry of due) await finishClose(deps, inquiry);
  return due.length;
}

/**
 * "Your question is closed" job id; told again after a withheld notice, it carries the withheld
 * mark, so two operators telling at once queue one message.
 */
const closedNoticeId = (ref: string, confirmsMark?: string) => `inq-${ref}-closed${confirmsMark === undefined ? '' : `-c${confirmsMark}`}`;

/** The withheld mark a "question closed" job answers (`mark` undefined for the first); null for other jobs. */
export function closedNoticeOf(jobId: string): { mark?: string } | null {
  const match = /^inq-Q-\d{4}-\d{6}-closed(?:-c([0-9a-f]+))?$/.exec(jobId);
  if (!match) return null;
  return match[1] ? { mark: match[1] } : {};
}

/**
 * Another operator tells the person their question is closed, after the closing operator's
 * notice was withheld: sent in this operator's name (checked again at send time), queued before
 * the mark is cleared. Refused to the operator whose notice was withheld.
 */
export async function tellWithheldClose(deps: AppDeps, ref: string, actorId: number): Promise<'told' | 'not-allowed' | 'nothing'> {
  const inquiry = await deps.services.inquiries.get(ref);
  const notice = inquiry?.closeNotice;
  if (!inquiry || inquiry.status !== 'closed' || !notice?.mark) return 'nothing';
  if (notice.by === actorId) return 'not-allowed';
  if (inquiry.chatId) await tellClosed(deps, ref, inquiry.chatId, inquiry.locale, operatorAct(inquiry, actorId), notice.mark);
  await deps.services.inquiries.closeTold(ref, notice.mark, actorId, notice.by ?? undefined);
  return 'told';
}

/** "Your question is closed", with the 1–5 rating buttons. */
async function tellClosed(deps: AppDeps, ref: string, chatId: number, locale: Inquiry['locale'], actedBy?: StaffAct, confirmsMark?: string): Promise<void> {
  const t = deps.services.inquiries.t(locale);
  await deps.delivery.enqueue([
    {
      id: closedNoticeId(ref, confirmsMark),
      chatId,
      kind: 'inquiry-relay',
      ref,
      text: t('inquiries:citizen.closed', { ref }),
      buttons: [[1, 2, 3, 4, 5].map((n) => ({ text: String(n), data: iq.rate(ref, n) }))],
      notBefore: await nextSendTime(deps, chatId),
      ...(actedBy ? { actedBy } : {}),
    },
  ]);
}
