import { z } from 'zod';
import type { AppDeps, StaffChatUpdate } from '../../app/types.js';
import { allows } from '../../app/access.js';
import { INQUIRY_TOPICS } from './faq-entry.js';
import { IQ, iq, parseIq } from './callbacks.js';
import { closeInquiry, postToTopic, refreshCard, relayToCitizen, staffLocale, tellWithheldClose } from './relay.js';
import type { Inquiry, MessageIn } from './inquiries.service.js';
import { settleErasedTopic } from './erased-topics.js';
import { sendFileToOperator } from './file-to-operator.js';
import { RELAYABLE_MEDIA_KINDS } from '../../telegram/types.js';
import { withLinkAddresses } from '../../telegram/link-text.js';
import { topicHere } from './topic-group.js';

const linkEntity = z.object({ type: z.string(), offset: z.number(), length: z.number(), url: z.string().optional() });
/** Just the parts of a staff group update this feature reads; anything else is ignored. */
const groupMessage = z.object({
  message_id: z.number(),
  message_thread_id: z.number().optional(),
  from: z.object({ id: z.number(), is_bot: z.boolean().optional(), first_name: z.string().optional() }).optional(),
  chat: z.object({ id: z.number() }),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(linkEntity).optional(),
  caption_entities: z.array(linkEntity).optional(),
}).passthrough();
const groupCallback = z.object({
  id: z.string(),
  from: z.object({ id: z.number(), first_name: z.string().optional() }),
  data: z.string().optional(),
  message: z.object({ chat: z.object({ id: z.number() }), message_thread_id: z.number().optional() }).optional(),
});

type Api = NonNullable<AppDeps['telegram']>;

async function mayAnswer(deps: AppDeps, userId: number, inquiry: Inquiry): Promise<boolean> {
  const access = await deps.services.access.get(userId);
  return allows(access, 'inquiries.answer', { topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) });
}

/**
 * Take, tapped or typed: the first operator keeps the question, and the topic says who took it
 * (a tap is seen by nobody else in the group); another operator is told it is taken already,
 * unless the one who took it may no longer answer it. Returns the key of what the tapper is told.
 */
async function takeQuestion(deps: AppDeps, inquiry: Inquiry, operator: { id: number; first_name?: string }, threadId: number | undefined): Promise<string> {
  const result = await deps.services.inquiries.take(inquiry.ref, operator.id, (takenBy) => mayAnswer(deps, takenBy, inquiry));
  if (result === 'closed') return 'inquiries:staff.already-closed';
  if (result === 'taken-by-other') return 'inquiries:staff.taken-by-other';
  if (result === 'taken') {
    await refreshCard(deps, inquiry.ref);
    const t = deps.services.inquiries.t(staffLocale(deps));
    // Telegram gives every account a first name; the id stands in should one come without.
    const name = operator.first_name?.trim() || String(operator.id);
    if (threadId) await postToTopic(deps, threadId, t('inquiries:staff.taken-by', { ref: inquiry.ref, name }));
  }
  return 'inquiries:staff.taken';
}

/**
 * A message in the topic of a question deleted with the person's data. The topic is deleted first
 * if Telegram could not delete it before: the message goes with it, and there is nobody to tell.
 * A topic the bot may only close: the operator is told the message reached nobody.
 */
async function onErasedTopic(deps: AppDeps, chatId: number, threadId: number, operatorId: number): Promise<void> {
  const erased = await deps.services.inquiries.erasedTopics.byThread({ chatId, threadId });
  // Deleted already: the message was written just before, and went with the topic. A topic an
  // earlier move left in this group (staff moved away and back) is only deleted, never posted in.
  if (!erased || erased.deleted || erased.left) return;
  if (!erased.closed && (await settleErasedTopic(deps, erased)) === 'deleted') return;
  // Told once per operator and topic in ten minutes, as a refusal is: someone writing on in a
  // dead topic must not get an answer to every line.
  const fresh = await deps.redis.set(`${deps.config.REDIS_PREFIX}:inq:erased-reply:${threadId}:${operatorId}`, '1', 'EX', 600, 'NX');
  if (fresh) {
    const t = deps.services.inquiries.t(staffLocale(deps));
    await postToTopic(deps, threadId, t('inquiries:staff.erased-reply', { ref: erased.ref }));
  }
}

/**
 * An operator edited an answer the person already got: Telegram cannot change the copy in the
 * person's chat, so the operator is told (once per message) to send the correction anew.
 */
async function onEditedAnswer(deps: AppDeps, m: z.infer<typeof groupMessage>): Promise<void> {
  if (!m.from || m.from.is_bot || m.message_thread_id === undefined) return;
  const inquiry = await deps.services.inquiries.byThread(m.chat.id, m.message_thread_id);
  const relayed = inquiry?.messages.some((s) => s.from === 'operator' && s.chatId === m.chat.id && s.messageId === m.message_id);
  if (!inquiry || !relayed || inquiry.status === 'closed') return;
  const fresh = await deps.redis.set(`${deps.config.REDIS_PREFIX}:inq:edit-told:${inquiry.ref}:${m.message_id}`, '1', 'EX', 86_400, 'NX');
  if (!fresh) return;
  const t = deps.services.inquiries.t(staffLocale(deps));
  await postToTopic(deps, m.message_thread_id, t('inquiries:staff.edit-not-sent', { ref: inquiry.ref }));
}

/** Operators' replies and taps in the staff supergroup's forum topics. */
export async function handleStaffChat(update: StaffChatUpdate, deps: AppDeps): Promise<boolean> {
  const chatId = deps.config.STAFF_CHAT_ID;
  const api = deps.telegram;
  if (!chatId || !api) return false;
  const t = deps.services.inquiries.t(staffLocale(deps));
  const callback = groupCallback.safeParse(update.callback_query);
  if (callback.success && callback.data.message?.chat.id === chatId && callback.data.data?.startsWith(`${IQ}:`)) {
    const toast = await onTap(deps, api, callback.data.from, callback.data.data.slice(IQ.length + 1), callback.data.message.message_thread_id);
    await api.call('answerCallbackQuery', { callback_query_id: callback.data.id, ...(toast ? { text: toast } : {}) }).catch(() => undefined);
    return true;
  }
  const edited = groupMessage.safeParse(update.edited_message);
  if (edited.success && edited.data.chat.id === chatId) {
    await onEditedAnswer(deps, edited.data);
    return true;
  }
  const message = groupMessage.safeParse(update.message);
  if (!message.success || message.data.chat.id !== chatId) return false;
  const m = message.data;
  if (!m.from || m.from.is_bot || m.message_thread_id === undefined) return true;
  // Only this group's topics: after a move of the staff group a thread id here may be a former
  // group's id of another question. Messages in the former group do not reach this handler at all.
  const inquiry = await deps.services.inquiries.byThread(chatId, m.message_thread_id);
  if (!inquiry) {
    await onErasedTopic(deps, chatId, m.message_thread_id, m.from.id);
    return true;
  }
  const say = (key: string, params: Record<string, unknown> = {}) => postToTopic(deps, m.message_thread_id!, t(key, { ref: inquiry.ref, ...params }));
  if (!(await mayAnswer(deps, m.from.id, inquiry))) {
    await deps.services.audit.record(m.from.id, 'inquiry.denied', `inquiry:${inquiry.ref}`);
    // Told once per person and question in ten minutes: someone writing on in the topic (or a
    // member who is not staff at all) must not turn the bot into a source of noise there.
    const told = await deps.redis.set(`${deps.config.REDIS_PREFIX}:inq:refused:${inquiry.ref}:${m.from.id}`, '1', 'EX', 600, 'NX');
    if (told) await say('inquiries:staff.not-in-scope');
    return true;
  }
  const typed = m.text?.trim().toLowerCase();
  if (typed === '/close' || typed?.startsWith('/close@')) {
    if (!(await closeInquiry(deps, inquiry.ref, m.from.id))) await say('inquiries:staff.already-closed');
    return true;
  }
  // Admins can still write in a closed topic: nothing there takes or answers the question.
  if (inquiry.status === 'closed') {
    await say('inquiries:staff.already-closed');
    return true;
  }
  if (typed === '/take' || typed?.startsWith('/take@')) {
    // Typed in the topic, where everyone reads the answer: only a refusal is said there besides
    // the post that names who took it.
    const told = await takeQuestion(deps, inquiry, m.from, m.message_thread_id);
    if (told !== 'inquiries:staff.taken') await say(told);
    return true;
  }
  if (inquiry.citizenBlocked) {
    await say('inquiries:staff.citizen-blocked');
    return true;
  }
  // The first relayable kind the message holds (a GIF also has `document`, and goes as one).
  const media = RELAYABLE_MEDIA_KINDS.find((kind) => m[kind] !== undefined);
  // A link under the operator's words goes with its address: the person gets plain text.
  const text = m.text !== undefined ? withLinkAddresses(m.text, m.entities) : m.caption !== undefined ? withLinkAddresses(m.caption, m.caption_entities) : undefined;
  if (!media && !text) {
    await say('inquiries:staff.unsupported');
    return true;
  }
  const relayed: MessageIn = { chatId, messageId: m.message_id, ...(text ? { text } : {}), ...(media ? { media } : {}) };
  await relayToCitizen(deps, inquiry, m.from.id, relayed);
  return true;
}

/** A tap on Take / Close / Move (or Send me the file) in a topic; returns the toast to show. */
async function onTap(deps: AppDeps, api: Api, tapper: { id: number; first_name?: string }, rest: string, tappedIn: number | undefined): Promise<string | undefined> {
  const userId = tapper.id;
  const t = deps.services.inquiries.t(staffLocale(deps));
  const action = parseIq(rest);
  if (!action || !('ref' in action)) return t('inquiries:staff.stale');
  const inquiry = await deps.services.inquiries.get(action.ref);
  if (!inquiry) return t('inquiries:staff.stale');
  // The button names its question: its own topic is the one written in and renamed, whichever
  // topic a (forged) button was tapped in. None when tapped outside every topic.
  const threadId = tappedIn === undefined ? undefined : topicHere(deps, inquiry);
  if (!(await mayAnswer(deps, userId, inquiry))) {
    await deps.services.audit.record(userId, 'inquiry.denied', `inquiry:${inquiry.ref}`);
    return t('inquiries:staff.not-in-scope', { ref: inquiry.ref });
  }
  // An old card's buttons or a Move prompt may be tapped after the close: a closed question stays as it is.
  if (inquiry.status === 'closed' && (action.action === 'take' || action.action === 'move' || action.action === 'moveTo')) {
    return t('inquiries:staff.already-closed', { ref: inquiry.ref });
  }
  switch (action.action) {
    case 'take':
      return t(await takeQuestion(deps, inquiry, tapper, threadId), { ref: inquiry.ref });
    case 'close':
      return t((await closeInquiry(deps, inquiry.ref, userId)) ? 'inquiries:staff.closed' : 'inquiries:staff.already-closed', { ref: inquiry.ref });
    case 'tell': {
      // Another operator in scope tells the person their question is closed (the notice of the one who closed it was withheld).
      const told = await tellWithheldClose(deps, inquiry.ref, userId);
      if (told === 'told' && threadId) await postToTopic(deps, threadId, t('inquiries:staff.told', { ref: inquiry.ref }));
      return t(told === 'told' ? 'inquiries:staff.told' : told === 'not-allowed' ? 'inquiries:staff.tell-not-you' : 'inquiries:staff.already-told', { ref: inquiry.ref });
    }
    case 'file':
      // Closed or not: the operator may read the question's attachments (the Staff menu shows them too).
      return sendFileToOperator(deps, userId, inquiry, action.messageId);
    case 'move':
      if (threadId) {
        await postToTopic(deps, threadId, t('inquiries:staff.move-prompt', { ref: inquiry.ref }), INQUIRY_TOPICS.map((topic) => [{ text: t(`inquiries:topic.${topic}`), data: iq.moveTo(inquiry.ref, topic) }]));
      }
      return undefined;
    case 'moveTo': {
      if (!(await deps.services.inquiries.move(inquiry.ref, userId, action.topic))) return t('inquiries:staff.already-closed', { ref: inquiry.ref });
      await refreshCard(deps, inquiry.ref);
      const label = t(`inquiries:topic.${action.topic}`);
      if (threadId) {
        await api.call('editForumTopic', { chat_id: deps.config.STAFF_CHAT_ID, message_thread_id: threadId, name: `${inquiry.ref} · ${label}` }).catch(() => undefined);
        await postToTopic(deps, threadId, t('inquiries:staff.moved', { ref: inquiry.ref, topic: label }));
      }
      return t('inquiries:staff.moved', { ref: inquiry.ref, topic: label });
    }
    default:
      return t('inquiries:staff.stale');
  }
}
