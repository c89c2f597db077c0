import type { AppDeps } from '../../app/types.js';
import { RELAYABLE_MEDIA } from '../../telegram/types.js';
import { citizenWords } from './citizen-line.js';
import type { Inquiry } from './inquiries.service.js';
import { MAX_CAPTION, staffLocale } from './relay.js';

/** Held after a file went out, so a double tap on the button does not send it twice. */
const SENT_HOLD_S = 10;

/**
 * "Send me the file" under a citizen's file whose name holds an IIN or a card number (relay.ts,
 * copyIntoTopic): the file copied into the private chat of the operator who tapped, after the
 * caller checked they may answer the question. Read from the record at the tap, so a question
 * deleted with the person's data gives nothing any more, and an operator who lost access is
 * refused before this. Returns the toast.
 */
export async function sendFileToOperator(deps: AppDeps, operatorId: number, inquiry: Inquiry, messageId: number): Promise<string> {
  const t = deps.services.inquiries.t(staffLocale(deps));
  const api = deps.telegram;
  const message = deps.services.inquiries.messages(inquiry).find((m) => m.from === 'citizen' && m.messageId === messageId);
  if (!api || !message?.media || message.chatId === undefined) return t('inquiries:staff.stale');
  const held = `${deps.config.REDIS_PREFIX}:inq:file-sent:${inquiry.ref}:${messageId}:${operatorId}`;
  // Redis away: sent unheld rather than not at all (a double tap may then bring it twice).
  const fresh = await deps.redis.set(held, '1', 'EX', SENT_HOLD_S, 'NX').catch(() => 'OK' as const);
  if (!fresh) return t('inquiries:staff.file-sent', { ref: inquiry.ref });
  // Whole, numbers and all, as the Staff menu shows it: this is the operator's private chat.
  const label = `${inquiry.ref} ${citizenWords(t, message)}`;
  const caption = RELAYABLE_MEDIA[message.media].caption && label.length <= MAX_CAPTION ? { caption: label } : {};
  try {
    await api.call('copyMessage', { chat_id: operatorId, from_chat_id: message.chatId, message_id: messageId, ...caption });
  } catch (err) {
    await deps.redis.del(held).catch(() => undefined);
    const kind = api.classify(err);
    deps.logger.warn({ err, ref: inquiry.ref }, 'could not send a citizen\'s file to an operator');
    // 403: the operator never opened a private chat with the bot, or blocked it.
    if (kind === 'forbidden') return t('inquiries:staff.file-open-chat');
    // 400: the person deleted the message in their chat.
    if (kind === 'bad-request') return t('inquiries:staff.file-gone', { ref: inquiry.ref });
    return t('inquiries:staff.file-failed');
  }
  await deps.services.audit.record(operatorId, 'inquiry.file-sent', `inquiry:${inquiry.ref}`, { media: message.media });
  return t('inquiries:staff.file-sent', { ref: inquiry.ref });
}
