// Forum topics of a supergroup (the staff group): each topic is a thread of messages, named,
// closable, renamable and deletable by the bot.
import { chatType } from './chat-kind.js';
import type { ChatStore } from './chats.js';
import { errors } from './errors.js';
import type { ForumTopic, Json } from './types.js';

// The colours Telegram allows for topic icons; the first is its default.
const ICON_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f];

export class ForumMethods {
  constructor(
    private readonly store: ChatStore,
    private readonly checkChat: (p: Json, isSend: boolean) => number | string,
  ) {}

  create(p: Json): Json {
    const { chatId, chat } = this.forum(p);
    const name = String(p.name ?? '');
    if (name.length < 1 || name.length > 128) throw errors.topicNameInvalid();
    const color = typeof p.icon_color === 'number' && ICON_COLORS.includes(p.icon_color) ? p.icon_color : ICON_COLORS[0]!;
    // A topic's id is the id of its "topic created" service message, as in Telegram; 1 is the
    // group's own first message, which is also the id of the "General" topic.
    if (chat.nextMessageId < 2) chat.nextMessageId = 2;
    const threadId = chat.nextMessageId++;
    const topic: ForumTopic = { threadId, name, iconColor: color, closed: false };
    chat.topics.set(threadId, topic);
    this.store.changed(chatId);
    return { message_thread_id: threadId, name, icon_color: color };
  }

  edit(p: Json): true {
    const { chatId, topic } = this.topic(p);
    if (p.name === undefined && p.icon_custom_emoji_id === undefined) throw errors.topicNotModified();
    if (p.name !== undefined) {
      const name = String(p.name);
      if (name.length < 1 || name.length > 128) throw errors.topicNameInvalid();
      if (name === topic.name) throw errors.topicNotModified();
      topic.name = name;
    }
    this.store.changed(chatId);
    return true;
  }

  setClosed(p: Json, closed: boolean): true {
    const { chatId, topic } = this.topic(p);
    if (topic.closed === closed) throw errors.topicNotModified();
    topic.closed = closed;
    this.store.changed(chatId);
    return true;
  }

  /**
   * deleteForumTopic: the topic goes with every message in it, the bot's and the members', as in
   * Telegram. The bot needs the "delete messages" admin right (withholdRight takes it away).
   */
  delete(p: Json): true {
    const { chatId, topic } = this.topic(p);
    if (this.store.get(chatId).withheldRights.has('can_delete_messages')) throw errors.adminRequired();
    this.remove(chatId, topic.threadId);
    return true;
  }

  /** A topic deleted (by the bot, or by an admin in the Telegram app): its messages go, and sends into it fail from now on. */
  remove(chatId: number | string, threadId: number): boolean {
    const chat = this.store.find(chatId);
    const removed = chat?.topics.delete(threadId) ?? false;
    if (!chat || !removed) return false;
    for (const [id, m] of chat.live) if (m.state.threadId === threadId) chat.live.delete(id);
    for (const [id, m] of chat.userMessages) if (m.view.threadId === threadId) chat.userMessages.delete(id);
    this.store.changed(chatId);
    return removed;
  }

  list(chatId: number | string): ForumTopic[] {
    return [...(this.store.find(chatId)?.topics.values() ?? [])];
  }

  private forum(p: Json) {
    const chatId = this.checkChat(p, false);
    if (chatType(chatId) !== 'supergroup') throw errors.notForum();
    return { chatId, chat: this.store.get(chatId) };
  }

  private topic(p: Json) {
    const { chatId, chat } = this.forum(p);
    const topic = chat.topics.get(Number(p.message_thread_id));
    if (!topic) throw errors.threadNotFound();
    return { chatId, topic };
  }
}
