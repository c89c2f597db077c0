// The built-in Bot API server: speaks enough of Telegram's Bot API on 127.0.0.1 for Komek to run
// against it unchanged (grammY `client.apiRoot`, Telegraf `telegram.apiRoot`). Tests and
// benchmarks push updates with the builders and read what a user would see; the playground page
// does the same for people in a browser. See docs/bot-api.md.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { parseBody } from './body.js';
import { chatKey, chatObject, normaliseChatId } from './chat-kind.js';
import { ChatStore } from './chats.js';
import { loadChats, saveChats, type ChatsCodec } from './chats-file.js';
import { ApiError, errors } from './errors.js';
import { ForumMethods } from './forum.js';
import { MessageMethods } from './messages.js';
import { isMediaSend } from './methods.js';
import { SendRateLimit } from './rate-limit.js';
import { UpdateQueue, WebhookPusher, postToWebhook, type Webhook } from './update-queue.js';
import { UserUpdates } from './user-updates.js';
import { BodyTooLarge, readBody } from '../../telegram/read-body.js';
import type {
  AdminRight, BotApiEvent, BotApiOptions, Counts, ForumTopic, Json, MessageState, RecordedCall, TranscriptEntry, Update, UpdateOptions,
} from './types.js';

/** Telegram takes files of up to 50 MB from bots; this leaves room for the form around one. */
const MAX_BODY = 51 * 1024 * 1024;

interface Failure {
  status: number;
  description: string;
  parameters?: Json;
  /** Only a call whose payload this accepts fails (others of the method go through). */
  when?: (payload: Json) => boolean;
}

interface CallWaiter {
  predicate: (call: RecordedCall) => boolean;
  resolve: (call: RecordedCall) => void;
}


export class BotApiServer {
  readonly token: string;
  readonly botId: number;
  readonly botInfo: Json;
  readonly options: BotApiOptions;
  /** Every API call in arrival order (unless recordCalls is false). */
  readonly calls: RecordedCall[] = [];
  readonly counts: Counts = { sent: 0, edited: 0, rejected429: 0, rejected403: 0, injected: 0, requests: 0 };
  /** Accepted message sends per chat. */
  readonly sentByChat = new Map<number, number>();
  /** Chats answered with 403; add or remove ids at any time. */
  readonly blockedChats: Set<number>;
  /** URL and secret from the last setWebhook, if any. */
  webhook: Webhook | undefined;
  /** Commands stored by setMyCommands, by "scope|language" key. */
  readonly commands = new Map<string, unknown[]>();
  /** 'event' (BotApiEvent): a chat changed or a callback answer carries a toast. */
  readonly events = new EventEmitter();

  private server: http.Server | undefined;
  private port = 0;
  private readonly queue: UpdateQueue;
  private readonly pusher: WebhookPusher;
  private readonly callWaiters = new Set<CallWaiter>();
  private readonly store: ChatStore;
  private readonly failures = new Map<string, Failure[]>();
  private readonly rate: SendRateLimit;
  private readonly messages: MessageMethods;
  private readonly forum: ForumMethods;
  private readonly users: UserUpdates;
  /** Where the chats are kept (keepChatsIn), and whether the last write failed (said once). */
  private chatsFile: { path: string; codec?: ChatsCodec } | undefined;
  private chatsFileFailing = false;

  constructor(options: BotApiOptions = {}) {
    this.options = options;
    this.botId = options.botId ?? 999;
    this.token = `${this.botId}:TEST${randomBytes(27).toString('base64url')}`; // 36 chars after "TEST"
    this.blockedChats = options.blockedChats ?? new Set();
    this.botInfo = {
      id: this.botId,
      is_bot: true,
      first_name: options.firstName ?? 'Komek Test',
      username: options.username ?? 'komek_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    };
    this.events.setMaxListeners(0);
    this.queue = new UpdateQueue(options.firstUpdateId, () => this.writeChats());
    this.rate = new SendRateLimit(options.rateLimitPerSecond);
    this.store = new ChatStore((chatId) => {
      this.writeChats();
      this.emit({ type: 'chat', chatId });
    });
    const checkChat = (p: Json, isSend: boolean) => this.checkChat(p, isSend);
    this.messages = new MessageMethods({
      store: this.store,
      botInfo: this.botInfo,
      counts: this.counts,
      sentByChat: this.sentByChat,
      notModifiedErrors: options.notModifiedErrors !== false,
      checkChat,
    });
    this.forum = new ForumMethods(this.store, checkChat);
    this.users = new UserUpdates(this.store, this.botInfo, (body, opts) => this.push(body, opts));
    this.pusher = new WebhookPusher(() => this.webhook);
  }

  /**
   * Keeps the chats in a file, with the updates the bot has not confirmed: puts back what it holds
   * now and rewrites it after every change, so a restarted playground shows each chat as it was and
   * the bot still gets what was sent before the restart. A file that cannot be read is moved aside to
   * `<path>.unreadable` (not overwritten) and the chats start empty. `codec` seals the file.
   */
  keepChatsIn(path: string, codec?: ChatsCodec): 'restored' | 'new' | 'unreadable' {
    const loaded = loadChats(path, codec);
    let outcome: 'restored' | 'new' | 'unreadable' = loaded.chats.length > 0 ? 'restored' : 'new';
    if ('problem' in loaded) {
      renameSync(path, `${path}.unreadable`);
      outcome = 'unreadable';
    }
    this.store.restore(loaded.chats);
    this.queue.restore(loaded.updates);
    this.chatsFile = { path, ...(codec ? { codec } : {}) };
    this.writeChats();
    return outcome;
  }

  private writeChats(): void {
    if (!this.chatsFile) return;
    try {
      saveChats(this.chatsFile.path, { chats: this.store.snapshot(), updates: this.queue.unconfirmed() }, this.chatsFile.codec);
      this.chatsFileFailing = false;
    } catch (error) {
      // The message is already in the chat: failing the Bot API call would make the bot send it twice.
      if (!this.chatsFileFailing) process.stderr.write(`Could not write the playground's chats to ${this.chatsFile.path}: ${String(error)}\n`);
      this.chatsFileFailing = true;
    }
  }

  /** e.g. http://127.0.0.1:PORT — no trailing slash (grammY rejects one). */
  get apiRoot(): string {
    if (!this.server) throw new Error('BotApiServer is not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens on 127.0.0.1 only: nothing here is meant to be reachable from another machine. */
  async start(port = 0): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.pusher.stop();
    this.queue.releaseAll();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Reading what users see

  /** Every state of the bot's messages in this chat, in order (sends and edits). */
  messagesTo(chatId: number | string): MessageState[] {
    return this.store.find(chatId)?.history ?? [];
  }

  lastMessageTo(chatId: number | string): MessageState | undefined {
    const history = this.messagesTo(chatId);
    return history[history.length - 1];
  }

  /** The bot's messages as the chat shows them now: latest state of each, deleted ones gone. */
  visibleMessages(chatId: number | string): MessageState[] {
    const chat = this.store.find(chatId);
    if (!chat) return [];
    return [...chat.live.values()].map((m) => m.state).sort((a, b) => a.messageId - b.messageId);
  }

  /** Both sides of the chat in order, as a chat client shows it. */
  transcript(chatId: number | string): TranscriptEntry[] {
    return this.store.find(chatId)?.transcript() ?? [];
  }

  /** The reply keyboard the user currently has, or undefined. */
  currentKeyboard(chatId: number | string): string[][] | undefined {
    return this.store.find(chatId)?.keyboard?.keyboard;
  }

  /** The message that set the reply keyboard in force (for its contact / location requests). */
  currentKeyboardMessage(chatId: number | string): MessageState | undefined {
    return this.store.find(chatId)?.keyboard;
  }

  /** Users the bot removed from a group (banChatMember), in order, and whether each is still kept out. */
  removedMembers(chatId: number | string): Array<{ userId: number; banned: boolean }> {
    const chat = this.store.find(chatId);
    return (chat?.removedMembers ?? []).map((userId) => ({ userId, banned: chat!.bannedMembers.has(userId) }));
  }

  /** Forum topics of a supergroup, in creation order. */
  topics(chatId: number | string): ForumTopic[] {
    return this.forum.list(chatId);
  }

  /** An admin deletes a forum topic in the Telegram app (the bot is not asked): its messages go with it. */
  deleteTopic(chatId: number | string, threadId: number): boolean {
    return this.forum.remove(chatId, threadId);
  }

  /**
   * The group's owner takes an admin right from the bot (or gives it back): methods needing it
   * are refused with 400 CHAT_ADMIN_REQUIRED, as Telegram does. The bot has every right by default.
   */
  withholdRight(chatId: number | string, right: AdminRight, withheld = true): void {
    const rights = this.store.get(chatId).withheldRights;
    if (withheld) rights.add(right);
    else rights.delete(right);
  }

  /** Calls of one method, optionally only those for one chat. */
  callsOf(method: string, chatId?: number | string): RecordedCall[] {
    const m = method.toLowerCase();
    return this.calls.filter(
      (c) => c.method.toLowerCase() === m && (chatId === undefined || chatKey(c.payload.chat_id) === chatKey(chatId)),
    );
  }

  /** Resolves with the first recorded call (from index `since`) matching the predicate. */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 5000, since = 0): Promise<RecordedCall> {
    for (let i = since; i < this.calls.length; i++) {
      const call = this.calls[i]!;
      if (predicate(call)) return Promise.resolve(call);
    }
    return new Promise((resolve, reject) => {
      const waiter: CallWaiter = {
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          this.callWaiters.delete(waiter);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.callWaiters.delete(waiter);
        const recent = this.calls.slice(-10).map((c) => c.method).join(', ');
        reject(new Error(`BotApiServer.waitFor: no matching call within ${timeoutMs} ms (last calls: ${recent || 'none'})`));
      }, timeoutMs);
      this.callWaiters.add(waiter);
    });
  }

  /**
   * Resolves with the messages added to messagesTo(chatId) after the first `afterCount`, once
   * there is at least one and no further one has arrived for `settleMs`.
   */
  waitForNewMessage(chatId: number | string, afterCount: number, timeoutMs = 5000, settleMs = 30): Promise<MessageState[]> {
    const chat = this.store.get(chatId);
    return new Promise((resolve, reject) => {
      let settleTimer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(deadline);
        clearTimeout(settleTimer);
        chat.listeners.delete(onMessage);
      };
      const onMessage = () => {
        if (chat.history.length <= afterCount) return;
        clearTimeout(settleTimer);
        settleTimer = setTimeout(() => {
          done();
          resolve(chat.history.slice(afterCount));
        }, settleMs);
      };
      const deadline = setTimeout(() => {
        done();
        const texts = chat.history.slice(-3).map((m) => JSON.stringify(m.text)).join(' | ');
        reject(
          new Error(
            `BotApiServer.waitForNewMessage: no message to chat ${chatId} beyond ${afterCount} within ${timeoutMs} ms ` +
              `(has ${chat.history.length}; last: ${texts || 'none'})`,
          ),
        );
      }, timeoutMs);
      chat.listeners.add(onMessage);
      onMessage();
    });
  }

  /** Forgets recorded calls, messages, queued updates, counters and pending failures. */
  clear(): void {
    this.calls.length = 0;
    this.queue.clear();
    this.store.clear();
    this.failures.clear();
    this.sentByChat.clear();
    for (const key of Object.keys(this.counts) as (keyof Counts)[]) this.counts[key] = 0;
    this.rate.reset();
  }

  // -------------------------------------------------------------------------------------------
  // Fault injection

  /**
   * The next call of `method` ('*' for any method) fails once with this status and description;
   * with `when`, the next call whose payload it accepts (a post into one topic, not the replies
   * around it).
   */
  failNext(method: string, status: number, description: string, parameters?: Json, when?: (payload: Json) => boolean): void {
    const key = method === '*' ? '*' : method.toLowerCase();
    const list = this.failures.get(key) ?? [];
    list.push({ status, description, parameters, when });
    this.failures.set(key, list);
  }

  // -------------------------------------------------------------------------------------------
  // What users do. Each builder records the message in the chat, pushes the update to the
  // getUpdates queue (see UpdateOptions.enqueue) or the webhook (pushToWebhook), and returns it,
  // so tests can also POST it to a webhook with postUpdate().

  text(chatId: number, text: string, opts: UpdateOptions = {}): Update {
    return this.users.text(chatId, text, opts);
  }

  command(chatId: number, command: string, args?: string, opts: UpdateOptions = {}): Update {
    return this.users.command(chatId, command, args, opts);
  }

  /** A press of an inline button; `messageId` defaults to the chat's latest bot message. */
  callback(chatId: number, data: string, messageId?: number, opts: UpdateOptions = {}): Update {
    return this.users.callback(chatId, data, messageId, opts);
  }

  /** Presses the inline button with this text on the latest message that has it. */
  tap(chatId: number, buttonText: string, opts: UpdateOptions = {}): Update {
    const history = this.visibleMessages(chatId);
    for (let i = history.length - 1; i >= 0; i--) {
      const state = history[i]!;
      for (let r = 0; r < state.buttons.length; r++) {
        const c = state.buttons[r]!.indexOf(buttonText);
        if (c !== -1) return this.callback(chatId, state.callbackData[r]![c]!, state.messageId, opts);
      }
    }
    const available = history.flatMap((m) => m.buttons.flat());
    throw new Error(`BotApiServer.tap: no button "${buttonText}" in chat ${chatId} (buttons: ${available.join(', ') || 'none'})`);
  }

  contact(chatId: number, phone: string, opts: UpdateOptions = {}): Update {
    return this.users.contact(chatId, phone, opts);
  }

  location(chatId: number, latitude: number, longitude: number, opts: UpdateOptions = {}): Update {
    return this.users.location(chatId, latitude, longitude, opts);
  }

  venue(chatId: number, place: { latitude: number; longitude: number; title: string; address: string }, opts: UpdateOptions = {}): Update {
    return this.users.venue(chatId, place, opts);
  }

  sticker(chatId: number, opts: UpdateOptions = {}): Update {
    return this.users.sticker(chatId, opts);
  }

  photo(chatId: number, opts: UpdateOptions = {}): Update {
    return this.users.photo(chatId, opts);
  }

  voice(chatId: number, opts: UpdateOptions = {}): Update {
    return this.users.voice(chatId, opts);
  }

  audio(chatId: number, opts: UpdateOptions = {}): Update {
    return this.users.audio(chatId, opts);
  }

  video(chatId: number, opts: UpdateOptions = {}): Update {
    return this.users.video(chatId, opts);
  }

  videoNote(chatId: number, opts: UpdateOptions = {}): Update {
    return this.users.videoNote(chatId, opts);
  }

  document(chatId: number, opts: UpdateOptions = {}): Update {
    return this.users.document(chatId, opts);
  }

  /** The user blocked ('kicked') or unblocked ('member') the bot. */
  myChatMember(chatId: number, status: 'kicked' | 'member', opts: UpdateOptions = {}): Update {
    return this.users.myChatMember(chatId, status, opts);
  }

  /** Queues an update built elsewhere (e.g. `{ message: {...} }`); it gets the next global update_id. */
  push(body: Json, opts: UpdateOptions = {}): Update {
    const update = this.queue.stamp(body);
    const enqueue = opts.enqueue ?? !this.webhook;
    if (enqueue) this.queue.enqueue(update);
    else if (opts.enqueue === undefined && this.webhook && this.options.pushToWebhook) this.pusher.push(update);
    return update;
  }

  /** The update_id the next update gets; raise it to act like Telegram after a restart (ids keep growing). */
  get nextUpdateId(): number {
    return this.queue.nextUpdateId;
  }

  set nextUpdateId(id: number) {
    this.queue.nextUpdateId = id;
  }

  /** Number of updates not yet confirmed by a getUpdates offset. */
  get pendingUpdates(): number {
    return this.queue.pending;
  }

  /** POSTs an update to a webhook (default: the one from setWebhook); returns the HTTP status and body. */
  async postUpdate(update: Update, url?: string, secretToken?: string): Promise<{ status: number; body: string }> {
    const target = url ?? this.webhook?.url;
    if (!target) throw new Error('BotApiServer.postUpdate: no webhook URL given or set');
    return postToWebhook(update, target, secretToken ?? this.webhook?.secretToken);
  }

  /** Resolves once every update pushed to the webhook so far has been delivered (or given up). */
  async webhookIdle(): Promise<void> {
    await this.pusher.idle();
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  private emit(event: BotApiEvent): void {
    this.events.emit('event', event);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      // An absolute-form target such as "http://[" (a browser never sends one): a thrown
      // "Invalid URL" here would end the whole playground.
      this.counts.requests++;
      return this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid URL' }, true);
    }
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith('/bot') && this.options.fallback) return this.options.fallback(req, res);
    // Path and token before the body, and the body only up to a limit: any web page the developer
    // opens may post to 127.0.0.1, and without the token it must not fill the memory first.
    const match = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(url.pathname);
    const refusal = !match
      ? { status: 404, description: 'Not Found' }
      : match[1] !== this.token
        ? { status: 401, description: 'Unauthorized' }
        : undefined;
    if (refusal) {
      this.counts.requests++;
      return this.reply(res, refusal.status, { ok: false, error_code: refusal.status, description: refusal.description }, true);
    }
    const method = match![2]!;
    readBody(req, MAX_BODY).then(
      (body) => {
        this.counts.requests++;
        let payload: Json;
        try {
          payload = parseBody(String(req.headers['content-type'] ?? ''), body, url.searchParams);
        } catch {
          return this.reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse request body" });
        }
        this.record(method, payload);
        this.dispatch(method, payload, res);
      },
      (error: unknown) => {
        this.counts.requests++;
        if (error instanceof BodyTooLarge) this.reply(res, 413, { ok: false, error_code: 413, description: 'Request Entity Too Large' }, true);
        else res.destroy();
      },
    );
  }

  /** `close`: the request's body was not read (or not all of it), so the connection is not reused. */
  private reply(res: http.ServerResponse, status: number, body: unknown, close = false): void {
    if (res.writableEnded || res.destroyed) return;
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...(close ? { connection: 'close' } : {}) });
    res.end(json);
  }

  private record(method: string, payload: Json): void {
    if (this.options.recordCalls === false && this.callWaiters.size === 0) return;
    const call: RecordedCall = { method, payload, at: Date.now() };
    if (this.options.recordCalls !== false) this.calls.push(call);
    for (const waiter of this.callWaiters) if (waiter.predicate(call)) waiter.resolve(call);
  }

  /**
   * One call without HTTP, for scene tests' in-process caller: recorded, failed on request and
   * answered exactly as over HTTP; a failure throws the ApiError HTTP would have sent.
   */
  invoke(method: string, payload: Json): unknown {
    this.counts.requests++;
    this.record(method, payload);
    const m = method.toLowerCase();
    if (m === 'getupdates') throw new Error('getUpdates needs the HTTP server (long polling)');
    this.throwInjected(m, payload);
    return this.answer(m, payload);
  }

  private throwInjected(m: string, payload: Json): void {
    const injected = this.takeFailure(m, payload);
    if (!injected) return;
    this.counts.injected++;
    throw new ApiError(injected.status, injected.description, injected.parameters);
  }

  private dispatch(method: string, payload: Json, res: http.ServerResponse): void {
    const m = method.toLowerCase();
    try {
      this.throwInjected(m, payload);
      if (m === 'getupdates') {
        return this.queue.poll(
          payload,
          this.webhook,
          (updates) => this.reply(res, 200, { ok: true, result: updates }),
          (forget) => res.on('close', forget),
        );
      }
      this.reply(res, 200, { ok: true, result: this.answer(m, payload) });
    } catch (err) {
      if (err instanceof ApiError) {
        this.reply(res, err.status, {
          ok: false,
          error_code: err.status,
          description: err.description,
          ...(err.parameters ? { parameters: err.parameters } : {}),
        });
      } else {
        this.reply(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
      }
    }
  }

  private takeFailure(method: string, payload: Json): Failure | undefined {
    for (const key of [method, '*']) {
      const list = this.failures.get(key);
      const at = list ? list.findIndex((failure) => !failure.when || failure.when(payload)) : -1;
      if (list && at !== -1) {
        const [failure] = list.splice(at, 1);
        if (list.length === 0) this.failures.delete(key);
        return failure;
      }
    }
    return undefined;
  }

  private answer(m: string, p: Json): unknown {
    switch (m) {
      case 'getme':
        return this.botInfo;
      case 'logout':
      case 'close':
        return true;
      case 'deletewebhook':
        this.webhook = undefined;
        if (p.drop_pending_updates === true) this.queue.clear();
        return true;
      case 'setwebhook':
        if (!p.url) {
          this.webhook = undefined;
          return true;
        }
        this.webhook = { url: String(p.url), secretToken: p.secret_token ? String(p.secret_token) : undefined };
        if (p.drop_pending_updates === true) this.queue.clear();
        return true;
      case 'getwebhookinfo':
        return { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.pending };
      case 'setmycommands':
        this.commands.set(this.commandsKey(p), Array.isArray(p.commands) ? p.commands : []);
        return true;
      case 'deletemycommands':
        this.commands.delete(this.commandsKey(p));
        return true;
      case 'getmycommands':
        return this.commands.get(this.commandsKey(p)) ?? [];
      case 'getchat': {
        const chatId = normaliseChatId(p.chat_id);
        return chatObject(chatId, { isForum: (this.store.find(chatId)?.topics.size ?? 0) > 0 });
      }
      case 'sendchataction':
        this.checkChat(p, false);
        return true;
      case 'sendmessage':
        return this.messages.sendMessage(p);
      case 'sendvenue':
        return this.messages.sendVenue(p);
      case 'sendlocation':
        return this.messages.sendLocation(p);
      case 'copymessage':
        return this.messages.copyMessage(p);
      case 'editmessagetext':
        return this.messages.edit(m, p, true);
      case 'editmessagecaption':
      case 'editmessagereplymarkup':
        return this.messages.edit(m, p, false);
      case 'deletemessage':
        return this.messages.deleteMessage(p);
      case 'answercallbackquery':
        return this.answerCallbackQuery(p);
      case 'banchatmember':
      case 'unbanchatmember':
        return this.setBanned(p, m === 'banchatmember');
      case 'createforumtopic':
        return this.forum.create(p);
      case 'editforumtopic':
        return this.forum.edit(p);
      case 'closeforumtopic':
        return this.forum.setClosed(p, true);
      case 'reopenforumtopic':
        return this.forum.setClosed(p, false);
      case 'deleteforumtopic':
        return this.forum.delete(p);
      default:
        if (isMediaSend(m)) return this.messages.sendMedia(m, p);
        // Telegram's answer to a method it does not have; here also to one not emulated yet.
        throw errors.methodNotFound();
    }
  }

  /**
   * banChatMember removes the user from a group (and keeps them out); unbanChatMember lets them
   * back in, with `only_if_banned` doing nothing for someone not banned. Groups only, as in Telegram.
   */
  private setBanned(p: Json, ban: boolean): true {
    const chatId = this.checkChat(p, false);
    if (typeof chatId === 'number' && chatId > 0) throw errors.notAGroup();
    const userId = Number(p.user_id);
    if (!Number.isSafeInteger(userId) || userId <= 0) throw errors.userIdInvalid();
    const chat = this.store.get(chatId);
    if (ban) {
      chat.bannedMembers.add(userId);
      chat.removedMembers.push(userId);
    } else if (chat.bannedMembers.has(userId) || p.only_if_banned !== true) {
      chat.bannedMembers.delete(userId);
    }
    return true;
  }

  private answerCallbackQuery(p: Json): true {
    const text = p.text === undefined ? '' : String(p.text);
    if (text.length > 200) throw errors.callbackTextLong();
    const chatId = this.users.callbackChats.get(String(p.callback_query_id ?? ''));
    if (text && chatId !== undefined) this.emit({ type: 'toast', chatId, text, showAlert: p.show_alert === true });
    return true;
  }

  private commandsKey(p: Json): string {
    const scope = p.scope && typeof p.scope === 'object' ? JSON.stringify(p.scope) : 'default';
    return `${scope}|${String(p.language_code ?? '')}`;
  }

  /** Rejects blocked chats and, for sends, applies the rate limit. */
  private checkChat(p: Json, isSend: boolean): number | string {
    if (p.chat_id === undefined || p.chat_id === '') throw errors.chatIdEmpty();
    const chatId = normaliseChatId(p.chat_id);
    if (typeof chatId === 'number' && this.blockedChats.has(chatId)) {
      this.counts.rejected403++;
      throw errors.blocked();
    }
    if (isSend) this.rate.take(() => this.counts.rejected429++);
    return chatId;
  }
}

/** Starts a BotApiServer; pair with `await api.stop()`. */
export async function startBotApiServer(options: BotApiOptions = {}): Promise<BotApiServer> {
  const api = new BotApiServer(options);
  await api.start();
  return api;
}
