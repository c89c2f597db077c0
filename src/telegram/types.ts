/**
 * The framework-neutral vocabulary between Telegram runtimes and the bot's logic.
 * Adapters turn a grammY or Telegraf update into an Input, and render Reply values back
 * into Bot API calls, so scenes and services never see a framework type.
 */

export const LOCALES = ['kk', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Media we cannot read in a form step; each gets a clear "please type/tap" answer. */
export type UnsupportedMedia =
  | 'sticker'
  | 'photo'
  | 'voice'
  | 'video'
  | 'video_note'
  | 'audio'
  | 'document'
  | 'animation'
  | 'poll'
  | 'other';

/**
 * Attachments passed on between a citizen and the operators of their question, both ways
 * (copyMessage, never stored as files). One line per kind: `caption` says whether Telegram lets
 * the copy carry a caption; a round video (video_note) cannot, so its label goes before it as a
 * message of its own. Each kind needs an `inquiries:media.<kind>` text in every language.
 */
export const RELAYABLE_MEDIA = {
  photo: { caption: true },
  document: { caption: true },
  voice: { caption: true },
  audio: { caption: true },
  video: { caption: true },
  video_note: { caption: false },
} as const satisfies Partial<Record<UnsupportedMedia, { caption: boolean }>>;
export type RelayableMedia = keyof typeof RELAYABLE_MEDIA;
export const RELAYABLE_MEDIA_KINDS = Object.keys(RELAYABLE_MEDIA) as RelayableMedia[];

export function isRelayable(media: unknown): media is RelayableMedia {
  return typeof media === 'string' && Object.hasOwn(RELAYABLE_MEDIA, media);
}

/** Media a person hears or watches rather than reads: a form answers them with "please type". */
export const LISTENED_MEDIA: ReadonlySet<UnsupportedMedia> = new Set(['voice', 'audio', 'video', 'video_note']);

export type Input =
  | { kind: 'text'; text: string }
  | { kind: 'command'; command: string; args: string }
  | { kind: 'callback'; data: string; queryId: string; messageId?: number; messageText?: string }
  | { kind: 'contact'; phone: string; ownContact: boolean }
  | { kind: 'location'; latitude: number; longitude: number }
  /**
   * `caption`: what the person wrote under a photo, video, voice message or file. `fileNames`: a
   * file's name, and an audio's title and performer: what a copy of the message shows besides it.
   */
  | { kind: 'unsupported'; media: UnsupportedMedia; caption?: string; fileNames?: string[] }
  /** my_chat_member: the user blocked (or unblocked) the bot. */
  | { kind: 'membership'; blocked: boolean }
  /**
   * edited_message: a message already sent was changed; what it said was read as it was sent.
   * `fileNames`: its file's names now (a person may replace the file), as for `unsupported`: a
   * copy made from then on shows them.
   */
  | { kind: 'edited'; fileNames?: string[] };

export interface UpdateMeta {
  updateId: number;
  chatId: number;
  userId: number;
  /** Telegram's language_code of the user's client, used to pre-select a language. */
  languageCode?: string;
  firstName?: string;
  username?: string;
  /** The user's message, when the update is one (so it can be copied, e.g. into a staff topic). */
  messageId?: number;
  /** The message was forwarded from someone else, not written by the person. */
  forwarded?: Forwarded;
}

/** Who wrote a forwarded message first, as Telegram names them: a person, a group, a channel; none when it does not say. */
export interface Forwarded {
  from?: string;
}

export interface InlineButton {
  text: string;
  /** callback_data, at most 64 bytes. */
  data?: string;
  url?: string;
}

export interface KeyboardButton {
  text: string;
  requestContact?: boolean;
  requestLocation?: boolean;
}

export interface ReplyKeyboard {
  rows: KeyboardButton[][];
}

export type Reply =
  | {
      kind: 'text';
      text: string;
      buttons?: InlineButton[][];
      /** A reply keyboard (contact / location buttons), or 'remove' to take one away. */
      keyboard?: ReplyKeyboard | 'remove';
    }
  /** Replace the text (and buttons) of a message the bot sent before, e.g. a tapped question. */
  | { kind: 'edit'; messageId: number; text: string; buttons?: InlineButton[][] }
  /** A place that opens in the user's map app. */
  | { kind: 'venue'; latitude: number; longitude: number; title: string; address: string }
  /** A file, e.g. a CSV export for staff; built in memory, never written to disk. */
  | { kind: 'document'; filename: string; content: string; caption?: string }
  /** The short toast shown for a tapped button; without one the adapter answers silently. */
  | { kind: 'toast'; text: string; alert?: boolean }
  /**
   * A message from another chat copied here (copyMessage: the sender is not shown), e.g. a
   * citizen's voice message for the operator reading their question. Without a caption for a
   * round video (it cannot carry one).
   */
  | { kind: 'copy'; fromChatId: number; messageId: number; caption?: string };

export const text = (value: string, extra: Omit<Extract<Reply, { kind: 'text' }>, 'kind' | 'text'> = {}): Reply => ({
  kind: 'text',
  text: value,
  ...extra,
});
