// The Bot API methods that create, change and remove messages, with Telegram's checks and errors.
import { attachedFile } from './body.js';
import { chatObject, normaliseChatId } from './chat-kind.js';
import type { ChatRecord, ChatStore } from './chats.js';
import { errors } from './errors.js';
import { checkInlineKeyboard, markupObject, parseMarkup } from './markup.js';
import type { Counts, Json, MessageState, Venue } from './types.js';

const unixTime = () => Math.floor(Date.now() / 1000);
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
/** What a message may hold besides text, as Telegram names it: a copy carries it along. */
const ATTACHMENTS = ['photo', 'document', 'sticker', 'voice', 'audio', 'video', 'video_note', 'animation'] as const;
/** Attachments that cannot have a caption: a copy asked to give them one is refused. */
const NO_CAPTION = new Set<string>(['video_note', 'sticker']);

/** What a file shows of itself wherever it is copied: its name, an audio's title and performer. */
function fileNamesOf(message: Json): string[] {
  const file = ['document', 'audio', 'video', 'animation'].map((key) => message[key]).find((value) => value && typeof value === 'object') as Json | undefined;
  return file ? [file.file_name, file.title, file.performer].filter((name): name is string => typeof name === 'string') : [];
}

export interface MessageDeps {
  store: ChatStore;
  botInfo: Json;
  counts: Counts;
  sentByChat: Map<number, number>;
  notModifiedErrors: boolean;
  /** Rejects blocked chats (403) and, for sends, applies the rate limit (429). */
  checkChat(p: Json, isSend: boolean): number | string;
}

export class MessageMethods {
  constructor(private readonly d: MessageDeps) {}

  sendMessage(p: Json): Json {
    const text = p.text === undefined ? '' : String(p.text);
    if (text.trim() === '' || text.length > MAX_TEXT) {
      this.d.checkChat(p, false);
      throw text.trim() === '' ? errors.textEmpty() : errors.tooLong();
    }
    return this.create('sendMessage', p, { text, ...(p.entities ? { entities: p.entities } : {}) });
  }

  sendVenue(p: Json): Json {
    const venue: Venue = {
      latitude: Number(p.latitude),
      longitude: Number(p.longitude),
      title: String(p.title ?? ''),
      address: String(p.address ?? ''),
    };
    if (!Number.isFinite(venue.latitude) || !Number.isFinite(venue.longitude)) throw errors.badLocation();
    const location = { latitude: venue.latitude, longitude: venue.longitude };
    return this.create(
      'sendVenue',
      p,
      { venue: { location, title: venue.title, address: venue.address }, location },
      { venue, location },
    );
  }

  sendLocation(p: Json): Json {
    const location = { latitude: Number(p.latitude), longitude: Number(p.longitude) };
    if (!Number.isFinite(location.latitude) || !Number.isFinite(location.longitude)) throw errors.badLocation();
    return this.create('sendLocation', p, { location }, { location });
  }

  /** sendDocument, sendPhoto and any other send* that carries a file or a caption. */
  sendMedia(method: string, p: Json): Json {
    const caption = p.caption !== undefined ? { caption: String(p.caption) } : {};
    const extra: Partial<MessageState> = {};
    const document = attachedFile(p, 'document');
    if (document && typeof document === 'object') extra.document = { filename: document.filename, content: document.content };
    const photo = attachedFile(p, 'photo');
    if (photo !== undefined) extra.photo = { source: typeof photo === 'string' ? photo : photo.filename };
    return this.create(method, p, caption, extra);
  }

  copyMessage(p: Json): Json {
    const from = this.d.store.find(normaliseChatId(p.from_chat_id));
    const id = Number(p.message_id);
    const bot = from?.live.get(id);
    const user = from?.userMessages.get(id);
    if (!bot && !user) {
      this.d.checkChat(p, false);
      throw errors.copyNotFound();
    }
    const source = bot?.message ?? user!.message;
    const content: Json = {};
    for (const key of ['text', 'entities', 'caption', 'location', 'venue', 'contact', ...ATTACHMENTS]) {
      if (source[key] !== undefined) content[key] = source[key];
    }
    const attachment = ATTACHMENTS.find((key) => source[key] !== undefined);
    if (p.caption !== undefined) {
      // Stricter than needed, on purpose: a caption given to a round video or a sticker would be
      // lost in Telegram, so a label sent that way fails here instead of vanishing unnoticed.
      if (attachment && NO_CAPTION.has(attachment)) {
        this.d.checkChat(p, false);
        throw errors.captionNotAllowed();
      }
      if (String(p.caption).length > MAX_CAPTION) {
        this.d.checkChat(p, false);
        throw errors.captionTooLong();
      }
      content.caption = String(p.caption);
    }
    const names = fileNamesOf(source);
    const extra: Partial<MessageState> = {
      copiedFrom: { chatId: normaliseChatId(p.from_chat_id), messageId: id },
      ...(names.length ? { fileNames: names } : {}),
      ...(attachment ? { attachment } : {}),
      ...(bot?.state.venue ? { venue: bot.state.venue } : {}),
      ...(bot?.state.document ? { document: bot.state.document } : {}),
      ...(bot?.state.location ?? user?.view.location ? { location: bot?.state.location ?? user!.view.location } : {}),
    };
    const message = this.create('copyMessage', p, content, extra);
    return { message_id: message.message_id };
  }

  edit(m: string, p: Json, isText: boolean): Json | true {
    if (p.inline_message_id !== undefined) return true;
    const chatId = this.d.checkChat(p, false);
    const chat = this.d.store.get(chatId);
    const messageId = Number(p.message_id);
    const stored = chat.live.get(messageId);
    if (!stored) throw errors.editNotFound();

    const markup = parseMarkup(p.reply_markup);
    checkInlineKeyboard(markup);
    const old = stored.state;
    let text = old.text;
    if (isText) {
      text = p.text === undefined ? '' : String(p.text);
      if (text.trim() === '') throw errors.textEmpty();
      if (text.length > MAX_TEXT) throw errors.tooLong();
    } else if (m === 'editmessagecaption') {
      text = p.caption === undefined ? '' : String(p.caption);
    }
    const sameMarkup =
      JSON.stringify(markup.buttons) === JSON.stringify(old.buttons) &&
      JSON.stringify(markup.callbackData) === JSON.stringify(old.callbackData);
    if (this.d.notModifiedErrors && text === old.text && sameMarkup) throw errors.notModified();

    const message: Json = { ...stored.message, edit_date: unixTime() };
    if (isText) message.text = text;
    if (m === 'editmessagecaption') message.caption = text;
    if (markup.inline) message.reply_markup = markup.inline;
    else delete message.reply_markup;
    const state: MessageState = {
      ...old,
      kind: 'edited',
      method: m === 'editmessagetext' ? 'editMessageText' : m === 'editmessagecaption' ? 'editMessageCaption' : 'editMessageReplyMarkup',
      text,
      parseMode: isText ? (typeof p.parse_mode === 'string' ? p.parse_mode : undefined) : old.parseMode,
      buttons: markup.buttons,
      callbackData: markup.callbackData,
      replyMarkup: p.reply_markup === undefined ? undefined : markupObject(p.reply_markup),
      at: Date.now(),
    };
    delete state.keyboard;
    delete state.keyboardRequests;
    delete state.removeKeyboard;
    chat.live.set(messageId, { message, state });
    this.d.counts.edited++;
    this.d.store.append(chatId, chat, state);
    return message;
  }

  deleteMessage(p: Json): true {
    const chatId = this.d.checkChat(p, false);
    const chat = this.d.store.get(chatId);
    const id = Number(p.message_id);
    // Bots may delete users' messages too (in groups, with the right); both vanish from the chat.
    if (!chat.live.delete(id) && !chat.userMessages.delete(id)) throw errors.deleteNotFound();
    this.d.store.changed(chatId);
    return true;
  }

  private threadOf(chat: ChatRecord, p: Json): number | undefined {
    if (p.message_thread_id === undefined) return undefined;
    const threadId = Number(p.message_thread_id);
    // Thread 1 is a forum's "General" topic, which always exists.
    if (threadId !== 1 && !chat.topics.has(threadId)) throw errors.threadNotFound();
    return threadId;
  }

  private create(method: string, p: Json, content: Json, extra: Partial<MessageState> = {}): Json {
    const chatId = this.d.checkChat(p, true);
    const markup = parseMarkup(p.reply_markup);
    checkInlineKeyboard(markup);
    const chat = this.d.store.get(chatId);
    const threadId = this.threadOf(chat, p);
    const messageId = chat.nextMessageId++;
    const message: Json = {
      message_id: messageId,
      from: this.d.botInfo,
      chat: chatObject(chatId, { isForum: chat.topics.size > 0 }),
      date: unixTime(),
      ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
      ...content,
      ...(markup.inline ? { reply_markup: markup.inline } : {}),
    };
    const text = typeof content.text === 'string' ? content.text : typeof content.caption === 'string' ? content.caption : undefined;
    const state: MessageState = {
      chatId,
      messageId,
      kind: 'sent',
      method,
      text,
      parseMode: typeof p.parse_mode === 'string' ? p.parse_mode : undefined,
      buttons: markup.buttons,
      callbackData: markup.callbackData,
      ...(markup.keyboard ? { keyboard: markup.keyboard } : {}),
      ...(markup.keyboardRequests ? { keyboardRequests: markup.keyboardRequests } : {}),
      ...(markup.removeKeyboard ? { removeKeyboard: true } : {}),
      ...(p.reply_markup !== undefined ? { replyMarkup: markupObject(p.reply_markup) } : {}),
      ...(threadId !== undefined ? { threadId } : {}),
      ...extra,
      at: Date.now(),
    };
    if (markup.keyboard) chat.keyboard = state;
    else if (markup.removeKeyboard) chat.keyboard = undefined;
    chat.live.set(messageId, { message, state });
    this.d.counts.sent++;
    if (typeof chatId === 'number') this.d.sentByChat.set(chatId, (this.d.sentByChat.get(chatId) ?? 0) + 1);
    this.d.store.append(chatId, chat, state);
    return message;
  }
}
