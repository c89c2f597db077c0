// What each chat holds: the bot's messages (every state, and the live ones), the user's messages,
// the reply keyboard in force and, in supergroups, the forum topics.
import { chatKey } from './chat-kind.js';
import type { ForumTopic, Json, MessageState, TranscriptEntry, UserMessage } from './types.js';

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
