import { closedNoticeOf, relayedMessageOf } from './relay.js';
import { iq } from './callbacks.js';
import type { DeliveryHookDeps } from '../../delivery/hooks.js';
import type { DeliveryOutcome } from '../../delivery/types.js';

/**
 * The delivery worker's word on an operator's answer: when the citizen blocked the bot (403),
 * the inquiry is marked and the operators are told in the topic, so nobody waits for a reply
 * that cannot come.
 */
export async function onRelayOutcome(deps: Pick<DeliveryHookDeps, 'config' | 'services' | 'api' | 'logger'>, ref: string, outcome: DeliveryOutcome): Promise<void> {
  if (outcome.status !== 'blocked') return;
  const inquiries = deps.services.inquiries;
  const inquiry = await inquiries.get(ref);
  if (!inquiry || inquiry.citizenBlocked) return;
  await inquiries.markBlocked(ref);
  const chatId = deps.config.STAFF_CHAT_ID;
  if (!chatId || !inquiry.threadId) return;
  const t = inquiries.t(deps.config.STAFF_CHAT_LOCALE ?? deps.config.DEFAULT_LOCALE);
  await deps.api
    .call('sendMessage', { chat_id: chatId, message_thread_id: inquiry.threadId, text: t('inquiries:staff.citizen-blocked', { ref }) })
    .catch((err: unknown) => deps.logger.warn({ err, ref }, 'could not tell the topic about a blocked citizen'));
}

/**
 * An operator's message was withheld at send time (they lost the right to answer this question):
 * the operators are told in the topic, so someone answers the citizen again.
 */
export async function onRelayWithheld(deps: Pick<DeliveryHookDeps, 'config' | 'services' | 'api' | 'logger'>, ref: string, jobId: string, by?: number): Promise<void> {
  const closed = closedNoticeOf(jobId);
  if (closed) {
    if (by !== undefined) await onCloseWithheld(deps, ref, by, closed.mark);
    return;
  }
  // Never shown to the citizen in My questions either (written first: a retry may write it again).
  const message = relayedMessageOf(jobId);
  if (message) await deps.services.inquiries.markWithheld(ref, message);
  const inquiry = await deps.services.inquiries.get(ref);
  const chatId = deps.config.STAFF_CHAT_ID;
  if (!inquiry?.threadId || !chatId) return;
  const t = deps.services.inquiries.t(deps.config.STAFF_CHAT_LOCALE ?? deps.config.DEFAULT_LOCALE);
  await deps.api
    .call('sendMessage', { chat_id: chatId, message_thread_id: inquiry.threadId, text: t('inquiries:staff.answer-withheld', { ref }) })
    .catch((err: unknown) => deps.logger.warn({ err, ref }, 'could not tell the topic about a withheld answer'));
}

/**
 * The "question closed" notice was withheld (the operator who closed it lost the topic): the
 * close stands, and the topic is told the person has not been told, with a button for another
 * operator to tell them (staff-chat.ts, `tellWithheldClose`).
 */
async function onCloseWithheld(deps: Pick<DeliveryHookDeps, 'config' | 'services' | 'api' | 'logger'>, ref: string, by: number, answeredMark: string | undefined): Promise<void> {
  const marked = await deps.services.inquiries.markCloseWithheld(ref, by, answeredMark);
  const inquiry = await deps.services.inquiries.get(ref);
  const chatId = deps.config.STAFF_CHAT_ID;
  if (!marked || !inquiry?.threadId || !chatId) return;
  const t = deps.services.inquiries.t(deps.config.STAFF_CHAT_LOCALE ?? deps.config.DEFAULT_LOCALE);
  await deps.api
    .call('sendMessage', {
      chat_id: chatId,
      message_thread_id: inquiry.threadId,
      text: t('inquiries:staff.close-withheld', { ref }),
      reply_markup: { inline_keyboard: [[{ text: t('inquiries:staff.tell'), callback_data: iq.staff('tell', ref) }]] },
    })
    .catch((err: unknown) => deps.logger.warn({ err, ref }, 'could not tell the topic about a withheld close'));
}
