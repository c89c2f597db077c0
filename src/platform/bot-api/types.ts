// Public shapes of the built-in Bot API server: what tests, benchmarks and the playground page read.

export type Json = Record<string, unknown>;

export interface BotApiOptions {
  /** Bot id, also the numeric part of the token. Default 999. */
  botId?: number;
  username?: string;
  firstName?: string;
  /** Accept at most this many message sends per 1-second window; more get HTTP 429 with retry_after. */
  rateLimitPerSecond?: number;
  /** Sends and edits to these chats get HTTP 403 "bot was blocked by the user". */
  blockedChats?: Set<number>;
  /** Keep every call in `calls` (default true; benchmarks and the playground turn it off to save memory). */
  recordCalls?: boolean;
  /** Answer identical edits with 400 "message is not modified", as Telegram does (default true). */
  notModifiedErrors?: boolean;
  /**
   * POST every pushed update to the webhook once one is set, as Telegram does (default false: tests
   * that drive a webhook post updates themselves with postUpdate(), to see each answer).
   */
  pushToWebhook?: boolean;
  /**
   * update_id of the first update (default 1). A server restarted over a bot whose Redis remembers
   * handled update ids must not reuse them: the playground starts from the clock.
   */
  firstUpdateId?: number;
  /** Requests whose path is not /bot<token>/<method> go here (the playground page); default 404. */
  fallback?: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
}

export interface RecordedCall {
  method: string;
  payload: Json;
  /** Date.now() when the request was handled. */
  at: number;
}

export interface Venue {
  latitude: number;
  longitude: number;
  title: string;
  address: string;
}

/** One state of a bot message as the user sees it: recorded on every send and every edit. */
export interface MessageState {
  chatId: number | string;
  messageId: number;
  kind: 'sent' | 'edited';
  /** The Bot API method that produced this state. */
  method: string;
  /** Text, or caption for media. */
  text?: string;
  parseMode?: string;
  /** Inline keyboard button texts, row by row. */
  buttons: string[][];
  /** Inline keyboard callback_data (or url) row by row, aligned with `buttons`. */
  callbackData: string[][];
  /** Reply keyboard button texts, when this message sent one. */
  keyboard?: string[][];
  /** Reply keyboard buttons asking for the contact / location, by text. */
  keyboardRequests?: Record<string, 'contact' | 'location'>;
  /** This message removed the reply keyboard. */
  removeKeyboard?: boolean;
  venue?: Venue;
  /** An uploaded file (sendDocument), with its text content. */
  document?: { filename: string; content: string };
  /** A photo (sendPhoto): its file name when uploaded, or the file_id / URL it was sent by. */
  photo?: { source: string };
  location?: { latitude: number; longitude: number };
  /** What a copied message holds besides text (voice, video_note, photo…), as Telegram names it. */
  attachment?: string;
  /** Where a copyMessage took the message from. */
  copiedFrom?: { chatId: number | string; messageId: number };
  /** What a copied file shows of itself: its name, an audio's title and performer (copyMessage keeps them). */
  fileNames?: string[];
  /** Forum topic (supergroups with topics) the message was posted in. */
  threadId?: number;
  replyMarkup?: unknown;
  at: number;
}

/** A message a user sent to the bot (as pushed with the update builders). */
export interface UserMessage {
  chatId: number | string;
  messageId: number;
  fromId: number;
  fromName: string;
  text?: string;
  contact?: { phoneNumber: string };
  location?: { latitude: number; longitude: number };
  /** What else it was (sticker, photo, voice, document), for display. */
  other?: string;
  threadId?: number;
  at: number;
}

/** A chat as a person reads it: their messages and the bot's, in order, edits applied, deleted ones gone. */
export type TranscriptEntry = ({ from: 'bot' } & MessageState) | ({ from: 'user' } & UserMessage);

/** Admin rights of the bot in a group that some method needs (only those modelled). */
export type AdminRight = 'can_delete_messages';

export interface ForumTopic {
  threadId: number;
  name: string;
  iconColor: number;
  closed: boolean;
}

export interface UpdateOptions {
  languageCode?: string;
  firstName?: string;
  username?: string;
  /** Put the update into the getUpdates queue (default: yes, unless a webhook is set). */
  enqueue?: boolean;
  /** The sender, when it is not the chat itself (group and supergroup chats). */
  userId?: number;
  /** Forum topic of a supergroup message. */
  threadId?: number;
  /** Caption of a photo or document. */
  caption?: string;
  /** The name of a sent document, audio or video (each has a default). */
  fileName?: string;
  /** An audio's title and performer, as a music file's tags give them. */
  title?: string;
  performer?: string;
  /** A forwarded message: Telegram's `forward_origin` (who wrote it first), e.g. { type: 'hidden_user', sender_user_name: 'Aida' }. */
  forwardOrigin?: Json;
}

export interface Counts {
  /** Messages accepted by send* methods. */
  sent: number;
  edited: number;
  rejected429: number;
  rejected403: number;
  /** Failures injected with failNext(). */
  injected: number;
  requests: number;
}

/** What changed, for live views (the playground page). */
export type BotApiEvent =
  | { type: 'chat'; chatId: number | string }
  | { type: 'toast'; chatId: number | string; text: string; showAlert: boolean };

// Minimal shapes of what the builders produce; tests usually only pass them back.
export type Update = { update_id: number } & Json;
