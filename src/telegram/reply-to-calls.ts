import type { Input, Reply, ReplyKeyboard } from './types.js';
import { FileUpload } from './api-caller.js';
import { inlineMarkup } from './inline-markup.js';

/** A Bot API call, framework-neutral: both runtimes can send it as it is. */
export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}


const replyMarkup = (keyboard: ReplyKeyboard | 'remove') =>
  keyboard === 'remove'
    ? { remove_keyboard: true }
    : {
        keyboard: keyboard.rows.map((row) =>
          row.map((b) => ({ text: b.text, ...(b.requestContact ? { request_contact: true } : {}), ...(b.requestLocation ? { request_location: true } : {}) })),
        ),
        resize_keyboard: true,
        one_time_keyboard: false,
        is_persistent: false,
      };

/** Telegram refuses messages over 4096 characters; long lists are split at line breaks. */
export function splitText(text: string, limit = 4096): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = limit;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest) parts.push(rest);
  return parts;
}

/** The calls that answer one update: the callback answer first (Telegram shows a spinner until then). */
export function replyToCalls(chatId: number, input: Input, replies: Reply[]): ApiCall[] {
  const calls: ApiCall[] = [];
  if (input.kind === 'callback') {
    const toast = replies.find((r): r is Extract<Reply, { kind: 'toast' }> => r.kind === 'toast');
    calls.push({
      method: 'answerCallbackQuery',
      payload: { callback_query_id: input.queryId, ...(toast ? { text: toast.text, show_alert: toast.alert ?? false } : {}) },
    });
  }
  for (const reply of replies) {
    switch (reply.kind) {
      case 'text': {
        const parts = splitText(reply.text);
        parts.forEach((part, index) => {
          const last = index === parts.length - 1;
          const markup = last && reply.buttons ? inlineMarkup(reply.buttons) : last && reply.keyboard ? replyMarkup(reply.keyboard) : undefined;
          calls.push({ method: 'sendMessage', payload: { chat_id: chatId, text: part, link_preview_options: { is_disabled: true }, ...(markup ? { reply_markup: markup } : {}) } });
        });
        break;
      }
      case 'edit':
        calls.push({
          method: 'editMessageText',
          payload: {
            chat_id: chatId,
            message_id: reply.messageId,
            text: reply.text.slice(0, 4096),
            link_preview_options: { is_disabled: true },
            reply_markup: inlineMarkup(reply.buttons ?? []),
          },
        });
        break;
      case 'venue':
        calls.push({
          method: 'sendVenue',
          payload: { chat_id: chatId, latitude: reply.latitude, longitude: reply.longitude, title: reply.title.slice(0, 256), address: reply.address.slice(0, 256) },
        });
        break;
      case 'document':
        calls.push({
          method: 'sendDocument',
          payload: {
            chat_id: chatId,
            document: new FileUpload(reply.filename, Buffer.from(reply.content, 'utf8')),
            ...(reply.caption ? { caption: reply.caption.slice(0, 1024) } : {}),
          },
        });
        break;
      case 'copy':
        calls.push({
          method: 'copyMessage',
          payload: { chat_id: chatId, from_chat_id: reply.fromChatId, message_id: reply.messageId, ...(reply.caption ? { caption: reply.caption.slice(0, 1024) } : {}) },
        });
        break;
      case 'toast':
        break;
    }
  }
  return calls;
}
