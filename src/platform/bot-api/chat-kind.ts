// Telegram's chat ids tell the chat's kind: users are positive, basic groups negative, and
// supergroups (the staff group with forum topics) -100xxxxxxxxxx.
import type { Json } from './types.js';

export type ChatType = 'private' | 'group' | 'supergroup';

export function chatKey(chatId: unknown): string {
  return String(chatId);
}

export function normaliseChatId(chatId: unknown): number | string {
  if (typeof chatId === 'number') return chatId;
  const s = String(chatId);
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

export function chatType(chatId: number | string): ChatType {
  const id = String(chatId);
  if (id.startsWith('-100')) return 'supergroup';
  if (id.startsWith('-')) return 'group';
  return 'private';
}

/** The `chat` object of messages and updates. */
export function chatObject(chatId: number | string, opts: { firstName?: string; username?: string; title?: string; isForum?: boolean }): Json {
  const type = chatType(chatId);
  if (type === 'private') {
    return { id: chatId, type, first_name: opts.firstName ?? 'Test', ...(opts.username ? { username: opts.username } : {}) };
  }
  return { id: chatId, type, title: opts.title ?? 'Komek staff', ...(opts.isForum ? { is_forum: true } : {}) };
}

export function userObject(userId: number, opts: { firstName?: string; username?: string; languageCode?: string }): Json {
  return {
    id: userId,
    is_bot: false,
    first_name: opts.firstName ?? 'Test',
    ...(opts.username ? { username: opts.username } : {}),
    ...(opts.languageCode ? { language_code: opts.languageCode } : {}),
  };
}
