import type { Update } from 'grammy/types';
import type { Forwarded, Input, UpdateMeta, UnsupportedMedia } from './types.js';
import { withLinkAddresses } from './link-text.js';

/**
 * Turns a raw Bot API update (the same JSON for grammY and Telegraf) into what the bot
 * understands. Only private chats are served: a citizen's data never goes to a group.
 */
export function updateToInput(update: Update): { meta: UpdateMeta; input: Input } | null {
  if (update.my_chat_member) {
    const m = update.my_chat_member;
    if (m.chat.type !== 'private') return null;
    const status = m.new_chat_member.status;
    return {
      meta: { updateId: update.update_id, chatId: m.chat.id, userId: m.from.id, languageCode: m.from.language_code },
      input: { kind: 'membership', blocked: status === 'kicked' || status === 'left' },
    };
  }
  if (update.callback_query) {
    const q = update.callback_query;
    const message = q.message && 'chat' in q.message ? q.message : undefined;
    if (!message || message.chat.type !== 'private') return null;
    return {
      meta: meta(update.update_id, message.chat.id, q.from),
      input: {
        kind: 'callback',
        data: q.data ?? '',
        queryId: q.id,
        messageId: message.message_id,
        ...('text' in message && message.text ? { messageText: message.text } : {}),
      },
    };
  }
  const edited = update.edited_message;
  if (edited) {
    if (edited.chat.type !== 'private' || !edited.from) return null;
    // A live location is sent as one message and then edited every few seconds while it runs:
    // those edits are the location moving, not a correction, and must not each get an answer.
    if (edited.location) return null;
    const names = fileNamesOf(edited);
    return { meta: { ...meta(update.update_id, edited.chat.id, edited.from), messageId: edited.message_id }, input: { kind: 'edited', ...(names.length ? { fileNames: names } : {}) } };
  }
  const message = update.message;
  if (!message || message.chat.type !== 'private' || !message.from) return null;
  const forwarded = forwardedOf(message);
  const m = { ...meta(update.update_id, message.chat.id, message.from), messageId: message.message_id, ...(forwarded ? { forwarded } : {}) };
  return { meta: m, input: messageInput(message, m.userId) };
}

function meta(updateId: number, chatId: number, from: { id: number; language_code?: string; first_name?: string; username?: string }): UpdateMeta {
  return { updateId, chatId, userId: from.id, languageCode: from.language_code, firstName: from.first_name, username: from.username };
}

type Message = NonNullable<Update['message']>;

/** What Bot API versions before 7.0 sent for a forward, in place of `forward_origin`. */
interface OlderForward {
  forward_from?: { first_name: string; last_name?: string };
  forward_sender_name?: string;
  forward_from_chat?: { title?: string };
  forward_date?: number;
}

/** Telegram's names and titles are at most 128 characters; a forged update may send more. */
const NAME_MAX = 128;

/**
 * A first author's name as the staff topic may show it: a string (the update is not checked
 * field by field, and a malformed or forged one must not stop the message), on one line, without
 * control characters or the direction marks that would turn the topic's line around it.
 */
function cleanName(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const name = raw
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  return [...name].slice(0, NAME_MAX).join('') || undefined;
}

const fullName = (user: { first_name?: unknown; last_name?: unknown } | null | undefined) =>
  [cleanName(user?.first_name), cleanName(user?.last_name)].filter(Boolean).join(' ');

/**
 * A forwarded message and who wrote it first: a person's name, the name a person who hides
 * their account gave, a group's or a channel's title. Operators must not take someone else's
 * words (a letter from an office, a post) for the citizen's own.
 */
function forwardedOf(message: Message): Forwarded | undefined {
  const origin = message.forward_origin;
  const name = (from: unknown): Forwarded => {
    const clean = cleanName(from);
    return clean ? { from: clean } : {};
  };
  if (origin) {
    // Optional reads: Telegram always sends these, a forged update need not.
    switch (origin.type) {
      case 'user':
        return name(fullName(origin.sender_user));
      case 'hidden_user':
        return name(origin.sender_user_name);
      case 'chat':
        return name((origin.sender_chat as { title?: unknown } | null | undefined)?.title);
      case 'channel':
        return name((origin.chat as { title?: unknown } | null | undefined)?.title);
      default:
        return {};
    }
  }
  const older = message as OlderForward;
  if (older.forward_from) return name(fullName(older.forward_from));
  if (older.forward_sender_name !== undefined) return name(older.forward_sender_name);
  if (older.forward_from_chat) return name((older.forward_from_chat as { title?: unknown } | null)?.title);
  return older.forward_date !== undefined ? {} : undefined;
}

function messageInput(message: Message, userId: number): Input {
  if (message.text !== undefined) {
    const command = message.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
    if (command) {
      // "/start@komek_bot payload" → command "start", args "payload".
      const name = message.text.slice(1, command.length).split('@')[0]!.toLowerCase();
      return { kind: 'command', command: name, args: message.text.slice(command.length).trim() };
    }
    return { kind: 'text', text: withLinkAddresses(message.text, message.entities) };
  }
  if (message.contact) {
    return { kind: 'contact', phone: message.contact.phone_number, ownContact: message.contact.user_id === userId };
  }
  // A venue (a place picked in Telegram's location screen: a hospital, a street) carries its
  // location too, and is read as that place: "where" is where the person wants help, not
  // necessarily where the phone is.
  if (message.location) {
    return { kind: 'location', latitude: message.location.latitude, longitude: message.location.longitude };
  }
  const names = fileNamesOf(message);
  return {
    kind: 'unsupported',
    media: mediaOf(message),
    ...(message.caption ? { caption: withLinkAddresses(message.caption, message.caption_entities) } : {}),
    ...(names.length ? { fileNames: names } : {}),
  };
}

/**
 * What a copy of the message shows of its file besides the caption: the name of a document,
 * audio, video or GIF, an audio's title and performer. Strings only: a forged update may send
 * anything there.
 */
function fileNamesOf(message: Message): string[] {
  const file = (message.document ?? message.audio ?? message.video ?? message.animation) as { file_name?: unknown; title?: unknown; performer?: unknown } | undefined;
  if (!file) return [];
  return [file.file_name, file.title, file.performer].filter((name): name is string => typeof name === 'string' && name !== '');
}

function mediaOf(message: Message): UnsupportedMedia {
  if (message.sticker) return 'sticker';
  if (message.photo) return 'photo';
  if (message.voice) return 'voice';
  if (message.video) return 'video';
  if (message.video_note) return 'video_note';
  if (message.audio) return 'audio';
  if (message.animation) return 'animation';
  if (message.document) return 'document';
  if (message.poll) return 'poll';
  return 'other';
}
