// What operators do in the staff supergroup, as Telegram would send it: a message or a tap in one
// forum topic. Thin sugar over the built-in Bot API's builders (userId = the operator, threadId =
// the topic), so inquiry tests read as the operator's actions.
import type { BotApiServer, ForumTopic, MessageState, Update, UpdateOptions } from '../../src/platform/bot-api/index.js';

/** The bot's messages in one topic of a group, in order. */
export function messagesInThread(api: BotApiServer, chatId: number, threadId: number): MessageState[] {
  return api.messagesTo(chatId).filter((m) => m.threadId === threadId);
}

export function groupText(api: BotApiServer, chatId: number, threadId: number, fromId: number, text: string, opts: UpdateOptions = {}): Update {
  return api.text(chatId, text, { ...opts, userId: fromId, threadId });
}

export function groupPhoto(api: BotApiServer, chatId: number, threadId: number, fromId: number, caption?: string, opts: UpdateOptions = {}): Update {
  return api.photo(chatId, { ...opts, userId: fromId, threadId, ...(caption ? { caption } : {}) });
}

/** A tap on a button of the bot's latest message in the topic (the header card, a prompt). */
export function groupCallback(api: BotApiServer, chatId: number, threadId: number, fromId: number, data: string, opts: UpdateOptions = {}): Update {
  const latest = messagesInThread(api, chatId, threadId).at(-1);
  return api.callback(chatId, data, latest?.messageId, { ...opts, userId: fromId, threadId });
}

export function forumTopic(api: BotApiServer, chatId: number, threadId: number): ForumTopic | undefined {
  return api.topics(chatId).find((t) => t.threadId === threadId);
}
