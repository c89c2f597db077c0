// Updates as Telegram would send them when a person writes, taps, shares or blocks: each is
// recorded in the chat (so the chat reads in order) and handed to `push`.
import { chatObject, chatType, userObject } from './chat-kind.js';
import type { ChatStore } from './chats.js';
import type { Json, Update, UpdateOptions, UserMessage } from './types.js';

const unixTime = () => Math.floor(Date.now() / 1000);
const captionOf = (opts: UpdateOptions): Json => (opts.caption ? { caption: opts.caption } : {});

export class UserUpdates {
  private callbackCounter = 0;
  private fileCounter = 0;
  /** Which chat each callback query came from, so a toast can be shown there. */
  readonly callbackChats = new Map<string, number | string>();

  constructor(
    private readonly store: ChatStore,
    private readonly botInfo: Json,
    private readonly push: (body: Json, opts: UpdateOptions) => Update,
  ) {}

  text(chatId: number, text: string, opts: UpdateOptions): Update {
    return this.message(chatId, { text }, opts);
  }

  command(chatId: number, command: string, args: string | undefined, opts: UpdateOptions): Update {
    const cmd = command.startsWith('/') ? command : `/${command}`;
    const text = args ? `${cmd} ${args}` : cmd;
    return this.message(chatId, { text, entities: [{ type: 'bot_command', offset: 0, length: cmd.length }] }, opts);
  }

  callback(chatId: number, data: string, messageId: number | undefined, opts: UpdateOptions): Update {
    const chat = this.store.get(chatId);
    const id = messageId ?? chat.history[chat.history.length - 1]?.messageId;
    const stored = id !== undefined ? chat.live.get(id) : undefined;
    const message = stored?.message ?? {
      message_id: messageId ?? 0,
      date: unixTime(),
      chat: chatObject(chatId, opts),
      from: this.botInfo,
      text: '',
    };
    const queryId = `${chatId}-${++this.callbackCounter}`;
    this.callbackChats.set(queryId, chatId);
    // Forget old ones: a query can only be answered for a short while anyway.
    if (this.callbackChats.size > 10_000) this.callbackChats.delete(this.callbackChats.keys().next().value!);
    return this.push(
      {
        callback_query: {
          id: queryId,
          from: userObject(opts.userId ?? chatId, opts),
          message,
          chat_instance: `ci${chatId}`,
          data,
        },
      },
      opts,
    );
  }

  contact(chatId: number, phone: string, opts: UpdateOptions): Update {
    const userId = opts.userId ?? chatId;
    return this.message(chatId, { contact: { phone_number: phone, first_name: opts.firstName ?? 'Test', user_id: userId } }, opts);
  }

  location(chatId: number, latitude: number, longitude: number, opts: UpdateOptions): Update {
    return this.message(chatId, { location: { latitude, longitude } }, opts);
  }

  /** A place picked in Telegram's location screen (a hospital, a street): a venue, with its location. */
  venue(chatId: number, place: { latitude: number; longitude: number; title: string; address: string }, opts: UpdateOptions): Update {
    const location = { latitude: place.latitude, longitude: place.longitude };
    return this.message(chatId, { venue: { location, title: place.title, address: place.address }, location }, opts);
  }

  sticker(chatId: number, opts: UpdateOptions): Update {
    const sticker = { ...this.fileIds('sticker'), type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' };
    return this.message(chatId, { sticker }, opts);
  }

  photo(chatId: number, opts: UpdateOptions): Update {
    const photo = [
      { ...this.fileIds('photo_s'), width: 90, height: 90, file_size: 1200 },
      { ...this.fileIds('photo_m'), width: 800, height: 800, file_size: 60000 },
    ];
    return this.message(chatId, { photo, ...(opts.caption ? { caption: opts.caption } : {}) }, opts);
  }

  voice(chatId: number, opts: UpdateOptions): Update {
    return this.message(chatId, { voice: { ...this.fileIds('voice'), duration: 3, mime_type: 'audio/ogg', file_size: 9000 }, ...captionOf(opts) }, opts);
  }

  audio(chatId: number, opts: UpdateOptions): Update {
    const tags = { title: opts.title ?? 'Recording', ...(opts.performer ? { performer: opts.performer } : {}), ...(opts.fileName ? { file_name: opts.fileName } : {}) };
    const audio = { ...this.fileIds('audio'), duration: 95, ...tags, mime_type: 'audio/mpeg', file_size: 1_500_000 };
    return this.message(chatId, { audio, ...captionOf(opts) }, opts);
  }

  video(chatId: number, opts: UpdateOptions): Update {
    const video = { ...this.fileIds('video'), width: 640, height: 360, duration: 12, file_name: opts.fileName ?? 'video.mp4', mime_type: 'video/mp4', file_size: 2_000_000 };
    return this.message(chatId, { video, ...captionOf(opts) }, opts);
  }

  /** A round video message: Telegram gives these no caption. */
  videoNote(chatId: number, opts: UpdateOptions): Update {
    return this.message(chatId, { video_note: { ...this.fileIds('video_note'), length: 240, duration: 8, file_size: 400_000 } }, opts);
  }

  document(chatId: number, opts: UpdateOptions): Update {
    // An empty `fileName`: a file Telegram got without a name.
    const name = opts.fileName === '' ? {} : { file_name: opts.fileName ?? 'file.pdf' };
    const document = { ...this.fileIds('doc'), ...name, mime_type: 'application/pdf', file_size: 20000 };
    return this.message(chatId, { document, ...captionOf(opts) }, opts);
  }

  myChatMember(chatId: number, status: 'kicked' | 'member', opts: UpdateOptions): Update {
    const old = status === 'kicked' ? 'member' : 'kicked';
    const member = (s: string) => (s === 'kicked' ? { user: this.botInfo, status: s, until_date: 0 } : { user: this.botInfo, status: s });
    return this.push(
      {
        my_chat_member: {
          chat: chatObject(chatId, opts),
          from: userObject(opts.userId ?? chatId, opts),
          date: unixTime(),
          old_chat_member: member(old),
          new_chat_member: member(status),
        },
      },
      opts,
    );
  }

  private message(chatId: number, content: Json, opts: UpdateOptions): Update {
    const chat = this.store.get(chatId);
    const userId = opts.userId ?? chatId;
    const messageId = chat.nextMessageId++;
    const inTopic = opts.threadId !== undefined && chatType(chatId) === 'supergroup';
    const message: Json = {
      message_id: messageId,
      from: userObject(userId, opts),
      chat: chatObject(chatId, { ...opts, isForum: chat.topics.size > 0 }),
      date: unixTime(),
      ...(inTopic ? { message_thread_id: opts.threadId, is_topic_message: true } : {}),
      ...(opts.forwardOrigin ? { forward_origin: { date: unixTime(), ...opts.forwardOrigin } } : {}),
      ...content,
    };
    chat.userMessages.set(messageId, { message, view: this.view(chatId, messageId, userId, content, opts) });
    this.store.changed(chatId);
    return this.push({ message }, opts);
  }

  private view(chatId: number, messageId: number, fromId: number, content: Json, opts: UpdateOptions): UserMessage {
    const view: UserMessage = { chatId, messageId, fromId, fromName: opts.firstName ?? 'Test', at: Date.now() };
    if (typeof content.text === 'string') view.text = content.text;
    const contact = content.contact as { phone_number?: string } | undefined;
    if (contact?.phone_number) view.contact = { phoneNumber: contact.phone_number };
    const location = content.location as { latitude: number; longitude: number } | undefined;
    if (location) view.location = { latitude: location.latitude, longitude: location.longitude };
    for (const kind of ['sticker', 'photo', 'voice', 'audio', 'video', 'video_note', 'document']) if (content[kind] !== undefined) view.other = kind;
    if (opts.threadId !== undefined) view.threadId = opts.threadId;
    return view;
  }

  private fileIds(kind: string): { file_id: string; file_unique_id: string } {
    const n = ++this.fileCounter;
    return { file_id: `${kind}-file-${n}`, file_unique_id: `${kind}-u${n}` };
  }
}
