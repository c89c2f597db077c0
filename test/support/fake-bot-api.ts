// A local HTTP server speaking enough of the Telegram Bot API for end-to-end tests and benchmarks:
// point grammY (`client.apiRoot`) or Telegraf (`telegram.apiRoot`) at `apiRoot`, push updates with
// the builders, and assert on what a user would see via messagesTo()/visibleMessages().
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Public types

export interface FakeBotApiOptions {
  /** Bot id, also the numeric part of the token. Default 999. */
  botId?: number;
  username?: string;
  firstName?: string;
  /** Accept at most this many message sends per 1-second window; more get HTTP 429. */
  rateLimitPerSecond?: number;
  /** Sends and edits to these chats get HTTP 403 "bot was blocked by the user". */
  blockedChats?: Set<number>;
  /** Keep every call in `calls` (default true; benchmarks may turn it off to save memory). */
  recordCalls?: boolean;
  /** Answer identical edits with 400 "message is not modified", as Telegram does (default true). */
  notModifiedErrors?: boolean;
}

export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
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
  location?: { latitude: number; longitude: number };
  replyMarkup?: unknown;
  /** Forum topic (message_thread_id) the message was sent into; see the forum block below. */
  threadId?: number;
  /** copyMessage: where the copied message came from. */
  copiedFrom?: { chatId: number | string; messageId: number };
  at: number;
}

export interface UpdateOptions {
  languageCode?: string;
  firstName?: string;
  username?: string;
  /** Put the update into the getUpdates queue (default: yes, unless a webhook is set). */
  enqueue?: boolean;
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

// Minimal shapes of what the builders produce; tests usually only pass them back.
export type Update = { update_id: number } & Record<string, unknown>;
type Json = Record<string, unknown>;

interface Failure {
  status: number;
  description: string;
  parameters?: Json;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: Json,
  ) {
    super(description);
  }
}

interface PollWaiter {
  offset: number;
  limit: number;
  finish: (updates: Update[]) => void;
}

interface CallWaiter {
  predicate: (call: RecordedCall) => boolean;
  resolve: (call: RecordedCall) => void;
}

// Fields that arrive as strings in urlencoded/multipart bodies but are numbers or JSON.
const NUMERIC_FIELDS = new Set([
  'chat_id', 'message_id', 'offset', 'limit', 'timeout', 'reply_to_message_id', 'from_chat_id',
  'latitude', 'longitude', 'horizontal_accuracy', 'live_period', 'heading', 'cache_time',
  'max_connections', 'user_id', 'message_thread_id', 'duration', 'width', 'height',
]);
const JSON_FIELDS = new Set([
  'reply_markup', 'entities', 'caption_entities', 'allowed_updates', 'reply_parameters',
  'link_preview_options', 'commands', 'scope', 'menu_button', 'media', 'results', 'message_ids',
]);
const BOOLEAN_VALUES: Record<string, boolean> = { true: true, false: false };

// send* methods that do not create a message.
const NON_MESSAGE_SENDS = new Set(['sendchataction', 'sendinvoice', 'sendgift']);

const now = () => Date.now();
const unixTime = () => Math.floor(Date.now() / 1000);

function chatKey(chatId: unknown): string {
  return String(chatId);
}

function normaliseChatId(chatId: unknown): number | string {
  if (typeof chatId === 'number') return chatId;
  const s = String(chatId);
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

// ---------------------------------------------------------------------------------------------
// Body parsing

function coerceField(key: string, value: string): unknown {
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (NUMERIC_FIELDS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (key !== 'text' && key !== 'caption' && value in BOOLEAN_VALUES) return BOOLEAN_VALUES[value];
  return value;
}

function parseMultipart(body: Buffer, boundary: string): Json {
  const result: Json = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing "--boundary--"
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start, next - 2); // drop the CRLF before the delimiter
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      // Some clients quote the file name, others do not.
      const filename = /filename="([^"]*)"|filename=([^;\r\n]+)/i.exec(headers)?.slice(1).find((v) => v !== undefined);
      if (name !== undefined) {
        result[name] =
          filename !== undefined
            ? { filename, size: content.length, content: content.toString('utf8') }
            : coerceField(name, content.toString('utf8'));
      }
    }
    pos = next;
  }
  return result;
}

function parseBody(contentType: string, body: Buffer, query: URLSearchParams): Json {
  const payload: Json = {};
  for (const [k, v] of query) payload[k] = coerceField(k, v);
  if (body.length === 0) return payload;
  const type = contentType.toLowerCase();
  if (type.includes('application/json')) {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object') Object.assign(payload, parsed);
  } else if (type.includes('multipart/form-data')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (boundary) Object.assign(payload, parseMultipart(body, boundary));
  } else {
    // application/x-www-form-urlencoded, and the default for anything else
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) payload[k] = coerceField(k, v);
  }
  return payload;
}

// ---------------------------------------------------------------------------------------------
// Keyboards

interface ParsedMarkup {
  buttons: string[][];
  callbackData: string[][];
  keyboard?: string[][];
  keyboardRequests?: Record<string, 'contact' | 'location'>;
  removeKeyboard?: boolean;
  inline?: Json;
}

function parseMarkup(raw: unknown): ParsedMarkup {
  let markup = raw;
  if (typeof markup === 'string') {
    try {
      markup = JSON.parse(markup);
    } catch {
      markup = undefined;
    }
  }
  const result: ParsedMarkup = { buttons: [], callbackData: [] };
  if (!markup || typeof markup !== 'object') return result;
  const m = markup as Json;
  if (Array.isArray(m.inline_keyboard)) {
    const rows = m.inline_keyboard as unknown[];
    for (const row of rows) {
      const texts: string[] = [];
      const data: string[] = [];
      for (const b of Array.isArray(row) ? (row as Json[]) : []) {
        texts.push(String(b.text ?? ''));
        data.push(String(b.callback_data ?? b.url ?? b.switch_inline_query ?? ''));
      }
      result.buttons.push(texts);
      result.callbackData.push(data);
    }
    result.inline = { inline_keyboard: m.inline_keyboard };
  }
  if (Array.isArray(m.keyboard)) {
    result.keyboard = [];
    for (const row of m.keyboard as unknown[]) {
      const texts: string[] = [];
      for (const b of Array.isArray(row) ? (row as unknown[]) : []) {
        const button = typeof b === 'string' ? { text: b } : (b as Json);
        const text = String(button.text ?? '');
        texts.push(text);
        const request = button.request_contact ? 'contact' : button.request_location ? 'location' : undefined;
        if (request) (result.keyboardRequests ??= {})[text] = request;
      }
      result.keyboard.push(texts);
    }
  }
  if (m.remove_keyboard === true) result.removeKeyboard = true;
  return result;
}

function checkInlineKeyboard(markup: ParsedMarkup): void {
  for (const row of markup.callbackData) {
    for (const data of row) {
      // Telegram limits callback_data to 1-64 bytes.
      if (Buffer.byteLength(data, 'utf8') > 64) throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
    }
  }
  for (const row of markup.buttons) {
    for (const text of row) if (!text) throw new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
  }
}

// ---------------------------------------------------------------------------------------------

interface StoredMessage {
  message: Json;
  state: MessageState;
}

interface ChatRecord {
  nextMessageId: number;
  /** Every state of every bot message, in order. */
  history: MessageState[];
  /** Current bot messages by id (deleted ones removed). */
  live: Map<number, StoredMessage>;
  /** Last reply keyboard shown, or undefined once removed. */
  keyboard?: MessageState;
  listeners: Set<() => void>;
}

export class FakeBotApi {
  readonly token: string;
  readonly botId: number;
  readonly botInfo: Json;
  readonly options: FakeBotApiOptions;
  /** Every API call in arrival order (unless recordCalls is false). */
  readonly calls: RecordedCall[] = [];
  readonly counts: Counts = { sent: 0, edited: 0, rejected429: 0, rejected403: 0, injected: 0, requests: 0 };
  /** Accepted message sends per chat. */
  readonly sentByChat = new Map<number, number>();
  /** Chats answered with 403; add or remove ids at any time. */
  readonly blockedChats: Set<number>;
  /** URL and secret from the last setWebhook, if any. */
  webhook: { url: string; secretToken?: string } | undefined;
  /** Commands stored by setMyCommands, by "scope|language" key. */
  readonly commands = new Map<string, unknown[]>();

  private server: http.Server | undefined;
  private port = 0;
  private nextUpdateId = 1;
  private queue: Update[] = [];
  private pollWaiters = new Set<PollWaiter>();
  private callWaiters = new Set<CallWaiter>();
  private chats = new Map<string, ChatRecord>();
  private failures = new Map<string, Failure[]>();
  private windowSecond = 0;
  private windowCount = 0;
  private callbackCounter = 0;
  private fileCounter = 0;

  constructor(options: FakeBotApiOptions = {}) {
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
  }

  /** e.g. http://127.0.0.1:PORT — no trailing slash (grammY rejects one). */
  get apiRoot(): string {
    if (!this.server) throw new Error('FakeBotApi is not started');
    return `http://127.0.0.1:${this.port}`;
  }

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
    for (const waiter of this.pollWaiters) waiter.finish([]);
    this.pollWaiters.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Assertions

  /** Every state of the bot's messages in this chat, in order (sends and edits). */
  messagesTo(chatId: number | string): MessageState[] {
    return this.chats.get(chatKey(chatId))?.history ?? [];
  }

  lastMessageTo(chatId: number | string): MessageState | undefined {
    const history = this.messagesTo(chatId);
    return history[history.length - 1];
  }

  /** The bot's messages as the chat shows them now: latest state of each, deleted ones gone. */
  visibleMessages(chatId: number | string): MessageState[] {
    const chat = this.chats.get(chatKey(chatId));
    if (!chat) return [];
    return [...chat.live.values()].map((m) => m.state).sort((a, b) => a.messageId - b.messageId);
  }

  /** The reply keyboard the user currently has, or undefined. */
  currentKeyboard(chatId: number | string): string[][] | undefined {
    return this.chats.get(chatKey(chatId))?.keyboard?.keyboard;
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
        reject(new Error(`FakeBotApi.waitFor: no matching call within ${timeoutMs} ms (last calls: ${recent || 'none'})`));
      }, timeoutMs);
      this.callWaiters.add(waiter);
    });
  }

  /**
   * Resolves with the messages added to messagesTo(chatId) after the first `afterCount`, once
   * there is at least one and no further one has arrived for `settleMs`.
   */
  waitForNewMessage(chatId: number | string, afterCount: number, timeoutMs = 5000, settleMs = 30): Promise<MessageState[]> {
    const chat = this.chat(chatId);
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
            `FakeBotApi.waitForNewMessage: no message to chat ${chatId} beyond ${afterCount} within ${timeoutMs} ms ` +
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
    this.queue = [];
    this.chats.clear();
    this.failures.clear();
    this.sentByChat.clear();
    for (const key of Object.keys(this.counts) as (keyof Counts)[]) this.counts[key] = 0;
    this.windowCount = 0;
  }

  // -------------------------------------------------------------------------------------------
  // Fault injection

  /** The next call of `method` ('*' for any method) fails once with this status and description. */
  failNext(method: string, status: number, description: string, parameters?: Json): void {
    const key = method === '*' ? '*' : method.toLowerCase();
    const list = this.failures.get(key) ?? [];
    list.push({ status, description, parameters });
    this.failures.set(key, list);
  }

  // -------------------------------------------------------------------------------------------
  // Update builders: each pushes to the getUpdates queue (see UpdateOptions.enqueue) and returns
  // the update, which can also be POSTed to a webhook with postUpdate().

  text(chatId: number, text: string, opts: UpdateOptions = {}): Update {
    return this.messageUpdate(chatId, { text }, opts);
  }

  command(chatId: number, command: string, args?: string, opts: UpdateOptions = {}): Update {
    const cmd = command.startsWith('/') ? command : `/${command}`;
    const text = args ? `${cmd} ${args}` : cmd;
    return this.messageUpdate(chatId, { text, entities: [{ type: 'bot_command', offset: 0, length: cmd.length }] }, opts);
  }

  /** A press of an inline button; `messageId` defaults to the chat's latest bot message. */
  callback(chatId: number, data: string, messageId?: number, opts: UpdateOptions = {}): Update {
    const chat = this.chat(chatId);
    let stored: StoredMessage | undefined;
    if (messageId !== undefined) stored = chat.live.get(messageId);
    else {
      const last = chat.history[chat.history.length - 1];
      if (last) stored = chat.live.get(last.messageId);
    }
    const message = stored?.message ?? {
      message_id: messageId ?? 0,
      date: unixTime(),
      chat: this.chatObject(chatId, opts),
      from: this.botInfo,
      text: '',
    };
    return this.push(
      {
        callback_query: {
          id: `${chatId}-${++this.callbackCounter}`,
          from: this.userObject(chatId, opts),
          message,
          chat_instance: `ci${chatId}`,
          data,
        },
      },
      opts,
    );
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
    throw new Error(`FakeBotApi.tap: no button "${buttonText}" in chat ${chatId} (buttons: ${available.join(', ') || 'none'})`);
  }

  contact(chatId: number, phone: string, opts: UpdateOptions = {}): Update {
    return this.messageUpdate(
      chatId,
      { contact: { phone_number: phone, first_name: opts.firstName ?? 'Test', user_id: chatId } },
      opts,
    );
  }

  location(chatId: number, latitude: number, longitude: number, opts: UpdateOptions = {}): Update {
    return this.messageUpdate(chatId, { location: { latitude, longitude } }, opts);
  }

  sticker(chatId: number, opts: UpdateOptions = {}): Update {
    return this.messageUpdate(
      chatId,
      {
        sticker: {
          ...this.fileIds('sticker'),
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: '👍',
        },
      },
      opts,
    );
  }

  photo(chatId: number, opts: UpdateOptions = {}): Update {
    return this.messageUpdate(
      chatId,
      {
        photo: [
          { ...this.fileIds('photo_s'), width: 90, height: 90, file_size: 1200 },
          { ...this.fileIds('photo_m'), width: 800, height: 800, file_size: 60000 },
        ],
      },
      opts,
    );
  }

  voice(chatId: number, opts: UpdateOptions = {}): Update {
    return this.messageUpdate(chatId, { voice: { ...this.fileIds('voice'), duration: 3, mime_type: 'audio/ogg', file_size: 9000 } }, opts);
  }

  document(chatId: number, opts: UpdateOptions = {}): Update {
    return this.messageUpdate(
      chatId,
      { document: { ...this.fileIds('doc'), file_name: 'file.pdf', mime_type: 'application/pdf', file_size: 20000 } },
      opts,
    );
  }

  /** The user blocked ('kicked') or unblocked ('member') the bot. */
  myChatMember(chatId: number, status: 'kicked' | 'member', opts: UpdateOptions = {}): Update {
    const old = status === 'kicked' ? 'member' : 'kicked';
    const member = (s: string) => (s === 'kicked' ? { user: this.botInfo, status: s, until_date: 0 } : { user: this.botInfo, status: s });
    return this.push(
      {
        my_chat_member: {
          chat: this.chatObject(chatId, opts),
          from: this.userObject(chatId, opts),
          date: unixTime(),
          old_chat_member: member(old),
          new_chat_member: member(status),
        },
      },
      opts,
    );
  }

  /** Queues an update built elsewhere (e.g. `{ message: {...} }`); it gets the next global update_id. */
  push(body: Json, opts: UpdateOptions = {}): Update {
    const id = this.nextUpdateId++;
    const update = Object.assign({ update_id: id }, body, { update_id: id }) as Update;
    const enqueue = opts.enqueue ?? !this.webhook;
    if (enqueue) {
      this.queue.push(update);
      this.wakePollers();
    }
    return update;
  }

  /** Number of updates not yet confirmed by a getUpdates offset. */
  get pendingUpdates(): number {
    return this.queue.length;
  }

  /**
   * POSTs an update to a webhook (default: the URL from setWebhook) the way Telegram does, with
   * the secret token header when one was set. Returns the HTTP status and body.
   */
  async postUpdate(update: Update, url?: string, secretToken?: string): Promise<{ status: number; body: string }> {
    const target = url ?? this.webhook?.url;
    if (!target) throw new Error('FakeBotApi.postUpdate: no webhook URL given or set');
    const secret = secretToken ?? this.webhook?.secretToken;
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: JSON.stringify(update),
    });
    return { status: res.status, body: await res.text() };
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.counts.requests++;
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const match = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(url.pathname);
      if (!match) return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      if (match[1] !== this.token) return this.reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = match[2]!;
      let payload: Json;
      try {
        payload = parseBody(String(req.headers['content-type'] ?? ''), Buffer.concat(chunks), url.searchParams);
      } catch {
        return this.reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse request body" });
      }
      this.record(method, payload);
      void this.dispatch(method, payload, res);
    });
  }

  private reply(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  }

  private record(method: string, payload: Json): void {
    if (this.options.recordCalls === false && this.callWaiters.size === 0) return;
    const call: RecordedCall = { method, payload, at: now() };
    if (this.options.recordCalls !== false) this.calls.push(call);
    for (const waiter of this.callWaiters) if (waiter.predicate(call)) waiter.resolve(call);
  }

  private async dispatch(method: string, payload: Json, res: http.ServerResponse): Promise<void> {
    const m = method.toLowerCase();
    try {
      const injected = this.takeFailure(m);
      if (injected) {
        this.counts.injected++;
        throw new ApiError(injected.status, injected.description, injected.parameters);
      }
      if (m === 'getupdates') return this.getUpdates(payload, res);
      const result = this.answer(m, payload);
      this.reply(res, 200, { ok: true, result });
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

  private takeFailure(method: string): Failure | undefined {
    for (const key of [method, '*']) {
      const list = this.failures.get(key);
      if (list && list.length > 0) {
        const failure = list.shift();
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
        if (p.drop_pending_updates === true) this.queue = [];
        return true;
      case 'setwebhook':
        if (!p.url) {
          this.webhook = undefined;
          return true;
        }
        this.webhook = { url: String(p.url), secretToken: p.secret_token ? String(p.secret_token) : undefined };
        if (p.drop_pending_updates === true) this.queue = [];
        return true;
      case 'getwebhookinfo':
        return {
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.queue.length,
        };
      case 'setmycommands':
        this.commands.set(this.commandsKey(p), Array.isArray(p.commands) ? p.commands : []);
        return true;
      case 'deletemycommands':
        this.commands.delete(this.commandsKey(p));
        return true;
      case 'getmycommands':
        return this.commands.get(this.commandsKey(p)) ?? [];
      case 'getchat':
        return { id: normaliseChatId(p.chat_id), type: 'private', first_name: 'Test' };
      case 'sendchataction':
        this.checkChat(p, false);
        return true;
      case 'sendmessage':
        return this.sendMessage(p);
      case 'sendvenue':
        return this.sendVenue(p);
      case 'sendlocation':
        return this.sendLocation(p);
      case 'editmessagetext':
        return this.edit(m, p, true);
      case 'editmessagecaption':
      case 'editmessagereplymarkup':
        return this.edit(m, p, false);
      case 'deletemessage':
        return this.deleteMessage(p);
      case 'answercallbackquery':
        if (p.text !== undefined && String(p.text).length > 200) throw new ApiError(400, 'Bad Request: MESSAGE_TOO_LONG');
        return true;
      case 'copymessage': {
        const message = this.createMessage(m, p, { text: '' }, {
          ...(p.caption !== undefined ? { text: String(p.caption) } : {}),
          copiedFrom: { chatId: normaliseChatId(p.from_chat_id), messageId: Number(p.message_id) },
        });
        return { message_id: message.message_id };
      }
      case 'createforumtopic':
      case 'editforumtopic':
      case 'closeforumtopic':
      case 'reopenforumtopic':
        return this.forumTopic(m, p);
      default:
        if (m.startsWith('send') && !NON_MESSAGE_SENDS.has(m)) {
          // grammY sends the file in its own part and names it with "attach://<part>".
          const attached = typeof p.document === 'string' && p.document.startsWith('attach://') ? p[p.document.slice(9)] : p.document;
          const file = attached as { filename?: string; content?: string } | undefined;
          const extra = file && typeof file === 'object' && file.filename ? { document: { filename: file.filename, content: file.content ?? '' } } : {};
          return this.createMessage(m, p, p.caption !== undefined ? { caption: String(p.caption) } : {}, extra);
        }
        return true;
    }
  }

  private commandsKey(p: Json): string {
    const scope = p.scope && typeof p.scope === 'object' ? JSON.stringify(p.scope) : 'default';
    return `${scope}|${String(p.language_code ?? '')}`;
  }

  // -------------------------------------------------------------------------------------------
  // getUpdates

  private getUpdates(p: Json, res: http.ServerResponse): void {
    if (this.webhook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = typeof p.offset === 'number' ? p.offset : 0;
    const limit = Math.min(Math.max(typeof p.limit === 'number' ? p.limit : 100, 1), 100);
    const timeoutSec = typeof p.timeout === 'number' ? p.timeout : 0;
    const ready = this.collect(offset, limit);
    if (ready.length > 0 || timeoutSec <= 0) return this.reply(res, 200, { ok: true, result: ready });

    // Telegram answers an older long poll when a newer one arrives (with 409); answering it
    // with no updates is gentler on clients that are just restarting their loop.
    for (const waiter of this.pollWaiters) waiter.finish([]);

    let finished = false;
    const waiter: PollWaiter = {
      offset,
      limit,
      finish: (updates) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        this.pollWaiters.delete(waiter);
        this.reply(res, 200, { ok: true, result: updates });
      },
    };
    const timer = setTimeout(() => waiter.finish([]), timeoutSec * 1000);
    // The client gave up (aborted fetch, bot.stop()): forget the poll.
    res.on('close', () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      this.pollWaiters.delete(waiter);
    });
    this.pollWaiters.add(waiter);
  }

  /** Drops updates confirmed by `offset` and returns up to `limit` of the rest. */
  private collect(offset: number, limit: number): Update[] {
    if (offset < 0) return this.queue.slice(offset).slice(0, limit);
    let confirmed = 0;
    while (confirmed < this.queue.length && this.queue[confirmed]!.update_id < offset) confirmed++;
    if (confirmed > 0) this.queue.splice(0, confirmed);
    return this.queue.slice(0, limit);
  }

  private wakePollers(): void {
    if (this.pollWaiters.size === 0) return;
    // Deliver on the next tick so that several updates pushed together arrive in one batch.
    queueMicrotask(() => {
      for (const waiter of [...this.pollWaiters]) {
        const updates = this.collect(waiter.offset, waiter.limit);
        if (updates.length > 0) waiter.finish(updates);
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Messages

  private chat(chatId: unknown): ChatRecord {
    const key = chatKey(chatId);
    let chat = this.chats.get(key);
    if (!chat) {
      chat = { nextMessageId: 1, history: [], live: new Map(), listeners: new Set() };
      this.chats.set(key, chat);
    }
    return chat;
  }

  /** Rejects blocked chats and, for sends, applies the rate limit. */
  private checkChat(p: Json, isSend: boolean): number | string {
    if (p.chat_id === undefined || p.chat_id === '') throw new ApiError(400, 'Bad Request: chat_id is empty');
    const chatId = normaliseChatId(p.chat_id);
    if (typeof chatId === 'number' && this.blockedChats.has(chatId)) {
      this.counts.rejected403++;
      throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    }
    if (isSend && this.options.rateLimitPerSecond !== undefined) {
      const second = Math.floor(now() / 1000);
      if (second !== this.windowSecond) {
        this.windowSecond = second;
        this.windowCount = 0;
      }
      if (this.windowCount >= this.options.rateLimitPerSecond) {
        this.counts.rejected429++;
        throw new ApiError(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
      }
      this.windowCount++;
    }
    return chatId;
  }

  private sendMessage(p: Json): Json {
    const text = p.text === undefined ? '' : String(p.text);
    if (text.trim() === '') {
      this.checkChat(p, false);
      throw new ApiError(400, 'Bad Request: message text is empty');
    }
    if (text.length > 4096) {
      this.checkChat(p, false);
      throw new ApiError(400, 'Bad Request: message is too long');
    }
    return this.createMessage('sendMessage', p, { text, ...(p.entities ? { entities: p.entities } : {}) });
  }

  private sendVenue(p: Json): Json {
    const venue: Venue = {
      latitude: Number(p.latitude),
      longitude: Number(p.longitude),
      title: String(p.title ?? ''),
      address: String(p.address ?? ''),
    };
    if (!Number.isFinite(venue.latitude) || !Number.isFinite(venue.longitude)) {
      throw new ApiError(400, 'Bad Request: wrong latitude or longitude');
    }
    return this.createMessage('sendVenue', p, {
      venue: { location: { latitude: venue.latitude, longitude: venue.longitude }, title: venue.title, address: venue.address },
      location: { latitude: venue.latitude, longitude: venue.longitude },
    }, { venue, location: { latitude: venue.latitude, longitude: venue.longitude } });
  }

  private sendLocation(p: Json): Json {
    const location = { latitude: Number(p.latitude), longitude: Number(p.longitude) };
    if (!Number.isFinite(location.latitude) || !Number.isFinite(location.longitude)) {
      throw new ApiError(400, 'Bad Request: wrong latitude or longitude');
    }
    return this.createMessage('sendLocation', p, { location }, { location });
  }

  private createMessage(method: string, p: Json, content: Json, extra: Partial<MessageState> = {}): Json {
    const chatId = this.checkChat(p, true);
    const threadId = this.checkThread(chatId, p);
    const markup = parseMarkup(p.reply_markup);
    checkInlineKeyboard(markup);
    const chat = this.chat(chatId);
    const messageId = chat.nextMessageId++;
    const message: Json = {
      message_id: messageId,
      from: this.botInfo,
      chat: { id: chatId, type: 'private', first_name: 'Test' },
      date: unixTime(),
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
      ...(p.reply_markup !== undefined ? { replyMarkup: typeof p.reply_markup === 'string' ? JSON.parse(p.reply_markup) : p.reply_markup } : {}),
      ...(threadId !== undefined ? { threadId } : {}),
      ...extra,
      at: now(),
    };
    if (markup.keyboard) chat.keyboard = state;
    else if (markup.removeKeyboard) chat.keyboard = undefined;
    chat.live.set(messageId, { message, state });
    this.counts.sent++;
    if (typeof chatId === 'number') this.sentByChat.set(chatId, (this.sentByChat.get(chatId) ?? 0) + 1);
    this.appendHistory(chat, state);
    return message;
  }

  private appendHistory(chat: ChatRecord, state: MessageState): void {
    chat.history.push(state);
    for (const listener of chat.listeners) listener();
  }

  private edit(m: string, p: Json, isText: boolean): Json | true {
    if (p.inline_message_id !== undefined) return true;
    const chatId = this.checkChat(p, false);
    const chat = this.chat(chatId);
    const messageId = Number(p.message_id);
    const stored = chat.live.get(messageId);
    if (!stored) throw new ApiError(400, 'Bad Request: message to edit not found');

    const markup = parseMarkup(p.reply_markup);
    checkInlineKeyboard(markup);
    const old = stored.state;
    let text = old.text;
    if (isText) {
      text = p.text === undefined ? '' : String(p.text);
      if (text.trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
      if (text.length > 4096) throw new ApiError(400, 'Bad Request: message is too long');
    } else if (m === 'editmessagecaption') {
      text = p.caption === undefined ? '' : String(p.caption);
    }
    const sameMarkup = JSON.stringify(markup.buttons) === JSON.stringify(old.buttons) &&
      JSON.stringify(markup.callbackData) === JSON.stringify(old.callbackData);
    if (this.options.notModifiedErrors !== false && text === old.text && sameMarkup) {
      throw new ApiError(
        400,
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }

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
      replyMarkup: p.reply_markup === undefined ? undefined : typeof p.reply_markup === 'string' ? JSON.parse(p.reply_markup) : p.reply_markup,
      at: now(),
    };
    delete state.keyboard;
    delete state.keyboardRequests;
    delete state.removeKeyboard;
    chat.live.set(messageId, { message, state });
    this.counts.edited++;
    this.appendHistory(chat, state);
    return message;
  }

  private deleteMessage(p: Json): true {
    const chatId = this.checkChat(p, false);
    const chat = this.chat(chatId);
    if (!chat.live.delete(Number(p.message_id))) throw new ApiError(400, 'Bad Request: message to delete not found');
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Forum topics and staff-group updates (added for the inquiries feature; the playground
  // component implements the same methods). A supergroup's topics are created, renamed, closed
  // and reopened; sends into a closed or unknown topic fail as Telegram's do.

  /** Topics by chat: thread id → name and whether it is closed. */
  readonly forumTopics = new Map<string, Map<number, { name: string; closed: boolean }>>();
  private nextThreadId = 100;

  private forumTopic(m: string, p: Json): Json | true {
    const chatId = normaliseChatId(p.chat_id);
    const topics = this.forumTopics.get(chatKey(chatId)) ?? new Map<number, { name: string; closed: boolean }>();
    this.forumTopics.set(chatKey(chatId), topics);
    if (m === 'createforumtopic') {
      const name = String(p.name ?? '');
      if (name.length < 1 || name.length > 128) throw new ApiError(400, 'Bad Request: TOPIC_NAME_INVALID');
      const threadId = this.nextThreadId++;
      topics.set(threadId, { name, closed: false });
      return { message_thread_id: threadId, name, icon_color: 7322096 };
    }
    const topic = topics.get(Number(p.message_thread_id));
    if (!topic) throw new ApiError(400, 'Bad Request: message thread not found');
    if (m === 'editforumtopic' && p.name !== undefined) topic.name = String(p.name);
    if (m === 'closeforumtopic') topic.closed = true;
    if (m === 'reopenforumtopic') topic.closed = false;
    return true;
  }

  /** A send with message_thread_id must name an open topic of that chat. */
  private checkThread(chatId: number | string, p: Json): number | undefined {
    if (p.message_thread_id === undefined) return undefined;
    const threadId = Number(p.message_thread_id);
    const topic = this.forumTopics.get(chatKey(chatId))?.get(threadId);
    if (!topic) throw new ApiError(400, 'Bad Request: message thread not found');
    if (topic.closed) throw new ApiError(400, 'Bad Request: TOPIC_CLOSED');
    return threadId;
  }

  /** The bot's messages in one topic of a group, in order. */
  messagesInThread(chatId: number, threadId: number): MessageState[] {
    return this.messagesTo(chatId).filter((m) => m.threadId === threadId);
  }

  /** A member of a forum supergroup writes in a topic. */
  groupMessage(chatId: number, threadId: number, fromId: number, content: Json, opts: UpdateOptions = {}): Update {
    const chat = this.chat(chatId);
    return this.push(
      {
        message: {
          message_id: chat.nextMessageId++,
          from: this.userObject(fromId, opts),
          chat: { id: chatId, type: 'supergroup', title: 'Staff', is_forum: true },
          date: unixTime(),
          message_thread_id: threadId,
          is_topic_message: true,
          ...content,
        },
      },
      opts,
    );
  }

  groupText(chatId: number, threadId: number, fromId: number, text: string, opts: UpdateOptions = {}): Update {
    return this.groupMessage(chatId, threadId, fromId, { text }, opts);
  }

  groupPhoto(chatId: number, threadId: number, fromId: number, caption?: string, opts: UpdateOptions = {}): Update {
    return this.groupMessage(chatId, threadId, fromId, {
      photo: [{ ...this.fileIds('photo_m'), width: 800, height: 800, file_size: 60000 }],
      ...(caption ? { caption } : {}),
    }, opts);
  }

  /** A member taps an inline button on one of the bot's messages in a topic. */
  groupCallback(chatId: number, threadId: number, fromId: number, data: string, opts: UpdateOptions = {}): Update {
    return this.push(
      {
        callback_query: {
          id: `${chatId}-${++this.callbackCounter}`,
          from: this.userObject(fromId, opts),
          message: {
            message_id: 0,
            date: unixTime(),
            chat: { id: chatId, type: 'supergroup', title: 'Staff', is_forum: true },
            message_thread_id: threadId,
            is_topic_message: true,
            from: this.botInfo,
            text: '',
          },
          chat_instance: `ci${chatId}`,
          data,
        },
      },
      opts,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Update helpers

  private userObject(chatId: number, opts: UpdateOptions): Json {
    return {
      id: chatId,
      is_bot: false,
      first_name: opts.firstName ?? 'Test',
      ...(opts.username ? { username: opts.username } : {}),
      ...(opts.languageCode ? { language_code: opts.languageCode } : {}),
    };
  }

  private chatObject(chatId: number, opts: UpdateOptions): Json {
    return {
      id: chatId,
      type: 'private',
      first_name: opts.firstName ?? 'Test',
      ...(opts.username ? { username: opts.username } : {}),
    };
  }

  private messageUpdate(chatId: number, content: Json, opts: UpdateOptions): Update {
    // In a private chat the user's and the bot's messages share one id sequence.
    const chat = this.chat(chatId);
    return this.push(
      {
        message: {
          message_id: chat.nextMessageId++,
          from: this.userObject(chatId, opts),
          chat: this.chatObject(chatId, opts),
          date: unixTime(),
          ...content,
        },
      },
      opts,
    );
  }

  private fileIds(kind: string): { file_id: string; file_unique_id: string } {
    const n = ++this.fileCounter;
    return { file_id: `${kind}-file-${n}`, file_unique_id: `${kind}-u${n}` };
  }
}

/** Starts a FakeBotApi; pair with `await api.stop()` in afterAll/afterEach. */
export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const api = new FakeBotApi(options);
  await api.start();
  return api;
}
