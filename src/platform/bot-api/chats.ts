// What each chat holds: the bot's messages (every state, and the live ones), the user's messages,
// the reply keyboard in force and, in supergroups, the forum topics.
import { chatKey } from './chat-kind.js';
import type { AdminRight, ForumTopic, Json, MessageState, TranscriptEntry, UserMessage } from './types.js';

/** One chat as written to the playground's chats file: what people see, not the call history. */
export interface ChatSnapshot {
  key: string;
  nextMessageId: number;
  live: Array<[number, StoredMessage]>;
  userMessages: Array<[number, { message: Json; view: UserMessage }]>;
  keyboard?: MessageState;
  topics: Array<[number, ForumTopic]>;
}

export interface StoredMessage {
  message: Json;
  state: MessageState;
}

export class ChatRecord {
  /** Bot and user messages share one id sequence, as in Telegram. */
  nextMessageId = 1;
  /** Every state of every bot message, in order. */
  readonly history: MessageState[] = [];
  /** Current bot messages by id (deleted ones removed). */
  readonly live = new Map<number, StoredMessage>();
  /** Messages the users sent, by id (kept for copyMessage and for the playground transcript). */
  readonly userMessages = new Map<number, { message: Json; view: UserMessage }>();
  /** Last reply keyboard shown, or undefined once removed. */
  keyboard?: MessageState;
  readonly listeners = new Set<() => void>();
  /** Forum topics by message_thread_id; a chat with any is a forum. */
  readonly topics = new Map<number, ForumTopic>();
  /** Members the bot removed from the group (banChatMember), in order; and those still banned. */
  readonly removedMembers: number[] = [];
  readonly bannedMembers = new Set<number>();
  /** Admin rights the bot lacks in this group (withholdRight); it has every other. */
  readonly withheldRights = new Set<AdminRight>();

  /** The chat as people read it, in message order. */
  transcript(): TranscriptEntry[] {
    const entries: TranscriptEntry[] = [
      ...[...this.live.values()].map((m): TranscriptEntry => ({ from: 'bot', ...m.state })),
      ...[...this.userMessages.values()].map((m): TranscriptEntry => ({ from: 'user', ...m.view })),
    ];
    return entries.sort((a, b) => a.messageId - b.messageId);
  }
}

export class ChatStore {
  private readonly chats = new Map<string, ChatRecord>();

  constructor(private readonly onChange: (chatId: number | string) => void) {}

  get(chatId: unknown): ChatRecord {
    const key = chatKey(chatId);
    let chat = this.chats.get(key);
    if (!chat) {
      chat = new ChatRecord();
      this.chats.set(key, chat);
    }
    return chat;
  }

  find(chatId: unknown): ChatRecord | undefined {
    return this.chats.get(chatKey(chatId));
  }

  clear(): void {
    this.chats.clear();
  }

  snapshot(): ChatSnapshot[] {
    return [...this.chats].map(([key, chat]) => ({
      key,
      nextMessageId: chat.nextMessageId,
      live: [...chat.live],
      userMessages: [...chat.userMessages],
      ...(chat.keyboard ? { keyboard: chat.keyboard } : {}),
      topics: [...chat.topics],
    }));
  }

  /** Puts back chats written by snapshot(); their history starts again from what is shown. */
  restore(snapshots: ChatSnapshot[]): void {
    for (const s of snapshots) {
      const chat = new ChatRecord();
      chat.nextMessageId = s.nextMessageId;
      for (const [id, m] of s.live) {
        chat.live.set(id, m);
        chat.history.push(m.state);
      }
      for (const [id, m] of s.userMessages) chat.userMessages.set(id, m);
      chat.keyboard = s.keyboard;
      for (const [id, topic] of s.topics) chat.topics.set(id, topic);
      this.chats.set(s.key, chat);
    }
  }

  /** Records a new state of a bot message and tells whoever waits on the chat. */
  append(chatId: number | string, chat: ChatRecord, state: MessageState): void {
    chat.history.push(state);
    for (const listener of chat.listeners) listener();
    this.onChange(chatId);
  }

  changed(chatId: number | string): void {
    this.onChange(chatId);
  }
}
