import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ADOPT_DEAD, APPEND, BEGIN, CLAIM_DUE, CLAIM_ONE, COMMIT, DEAD_LETTER, FORGET_DEAD, RELEASE, RENEW, SET_ASIDE } from './mailbox-scripts.js';

/**
 * The durable per-chat mailbox in Redis. Intake (webhook, poller) only appends; workers in any
 * process lease a ready chat, handle its updates one after another and hand it back.
 *
 * Keys (P = `<REDIS_PREFIX>:chat`); one chat's keys share the hash tag `{chatId}`:
 * - `P:{c}:mbox`   list of waiting updates, oldest first: "<updateId>\n<sealed update JSON>"
 * - `P:{c}:upd:<id>` an update id already taken in (dropped if delivered again)
 * - `P:{c}:sess`   the session, sealed
 * - `P:{c}:lease`  the token of the worker holding the chat
 * - `P:{c}:out`    replies committed but maybe not yet sent, sealed
 * - `P:{c}:try`    "<updateId>:<starts>": how often the head was handed to a worker
 * - `P:{c}:bad:<t>` a session that could not be read, set aside for staff
 * - `P:{c}:bads`   the names of the chat's `bad:<t>` keys, so "Delete my data" finds them
 * - `P:{c}:dead`   the chat's dead letters: hash of number → letter (JSON, the update sealed)
 * - `P:ready`      sorted set: chat id → when a worker may take it (ms)
 * - `P:dead:order` sorted set of every dead letter, "<chatId>:<number>" by number (at most
 *                  deadLettersMax; the oldest go from both keys); `P:dead:seq` the last number
 * - `P:dead`       dead letters of an earlier release, one list for everyone, newest first: filed
 *                  under their chats by the first erasure (`adoptLegacyDeadLetters`)
 */

export interface MailboxOptions {
  /** `<REDIS_PREFIX>:chat` */
  prefix: string;
  leaseMs: number;
  seenTtlS: number;
  sessionTtlS: number;
  badSessionTtlS: number;
  deadLettersMax: number;
}

/** What a worker sees when it goes on with a chat it holds. */
export interface ChatState {
  /** Sealed outbox ('' when there is none). */
  outbox: string;
  /** The oldest waiting entry ('' when the mailbox is empty). */
  head: string;
  /** Sealed session ('' when there is none). */
  session: string;
  /**
   * How many times the head has been handed to a worker, this time included (counted in Redis,
   * so it survives the process: a poison update that kills every process that runs it is seen).
   */
  starts: number;
}

type StateReply = [number, string?, string?, string?, number?];

function stateOf(r: StateReply): ChatState {
  return { outbox: r[1] ?? '', head: r[2] ?? '', session: r[3] ?? '', starts: Number(r[4] ?? 0) };
}

/** A lease taken with the chat's state, as append (when it also took the chat) and claim return it. */
export interface Taken {
  token: string;
  state: ChatState;
}

/**
 * What the pipeline needs of a chat mailbox. The one used in production is RedisMailbox (Lua
 * scripts, shared by every process); scene tests run the same pipeline over an in-memory one that
 * the contract tests (test/mailbox/contract.test.ts) hold to the same behaviour.
 * Times (`now`, `readyAt`) are in ms; leases and TTLs are the implementation's options.
 */
export interface ChatMailbox {
  /**
   * 'duplicate' when this update id was taken in before; with `take`, also takes a chat nobody
   * holds. `knownSession`: the sealed session this process last stored for the chat; when it is
   * still the stored one, Redis need not send it back (the state's session is it either way).
   */
  append(chatId: number, updateId: number, sealedUpdate: string, take: boolean, now?: number, knownSession?: string): Promise<'duplicate' | 'appended' | Taken>;
  /** The lease token and the chat's state, or null when another worker holds the chat. */
  claim(chatId: number, now?: number): Promise<Taken | null>;
  /** Takes up to `max` chats that are due; returns [chatId, token] pairs. */
  claimDue(max: number, now?: number): Promise<Array<[number, string]>>;
  /** null when the lease is no longer ours. */
  begin(chatId: number, token: string): Promise<ChatState | null>;
  /**
   * Removes the handled head, stores the session ('' keeps it, '-' deletes it) and the outbox.
   * A stored session expires after `sessionTtlS` (at most the `sessionTtlS` option, which is
   * also the default): one holding an unfinished form lives no longer than the form.
   * Returns the next head ('' none) and how often it was started (this start included), or null
   * when the lease is no longer ours. The lease is renewed by `renew`, not here.
   */
  commit(chatId: number, token: string, updateId: number, session: string, outbox: string, sessionTtlS?: number): Promise<{ head: string; starts: number } | null>;
  renew(chatId: number, token: string, now?: number): Promise<boolean>;
  /**
   * 'released'; 'lost': the lease was not ours; `{ more }`: updates arrived meanwhile, the chat is
   * kept and `more` is its state, as `begin` would read it (its head's start counted).
   * `knownSession` as for `append`.
   */
  release(chatId: number, token: string, outboxSent: boolean, force: boolean, readyAt?: number, knownSession?: string): Promise<'released' | 'lost' | { more: ChatState }>;
  /** Moves an unreadable session out of the way (kept, still sealed, for staff). */
  setAside(chatId: number, token: string, now?: number): Promise<boolean>;
  /**
   * A dead letter of the chat's: JSON without personal data in clear (the update itself is
   * sealed), filed under the chat, so erasing it never reads other people's. At most
   * deadLettersMax are kept for everyone together; the oldest go.
   */
  deadLetter(chatId: number, record: Record<string, unknown>): Promise<void>;
  /** Every dead letter, newest first (staff, tests). */
  deadLetters(): Promise<Array<Record<string, unknown>>>;
  /** "Delete my data": removes the chat's dead letters, reading only theirs. Returns how many went. */
  forgetDeadLetters(chatId: number): Promise<number>;
  /**
   * Dead letters an earlier release kept in one list for everyone, which name no chat: `chatOf`
   * opens each (the caller holds the key) and it is filed under its chat (0 when nobody's can be
   * told), once. Returns how many were filed; 0 when there are none (a new deployment, memory).
   */
  adoptLegacyDeadLetters(chatOf: (record: Record<string, unknown>) => number | undefined): Promise<number>;
  /** The chat's sessions set aside (sealed), for staff and tests. */
  setAsideSessions(chatId: number): Promise<string[]>;
  /** "Delete my data": the chat's sessions set aside go too. */
  eraseSetAside(chatId: number): Promise<void>;
  /** The stored (sealed) session, read without the lease ('' none): My data, tests. */
  storedSession(chatId: number): Promise<string>;
  eraseSession(chatId: number): Promise<void>;
  /** Updates waiting in a chat's mailbox (tests, health). */
  waiting(chatId: number): Promise<number>;
  /** Chats with waiting work, due or held (tests, benchmarks). */
  pendingChats(): Promise<number>;
}

/** Seconds a committed session is kept: as asked, never longer than the option, at least 1. */
export function sessionTtl(options: Pick<MailboxOptions, 'sessionTtlS'>, asked?: number): number {
  return asked === undefined ? options.sessionTtlS : Math.max(1, Math.min(options.sessionTtlS, Math.ceil(asked)));
}

type Script = (...args: Array<string | number>) => Promise<unknown>;

const SCRIPTS = {
  komekMbAppend: [7, APPEND],
  komekMbClaimOne: [6, CLAIM_ONE],
  komekMbClaimDue: [1, CLAIM_DUE],
  komekMbBegin: [5, BEGIN],
  komekMbCommit: [5, COMMIT],
  komekMbRenew: [2, RENEW],
  komekMbRelease: [6, RELEASE],
  komekMbSetAside: [4, SET_ASIDE],
  komekMbDeadLetter: [3, DEAD_LETTER],
  komekMbForgetDead: [2, FORGET_DEAD],
  komekMbAdoptDead: [3, ADOPT_DEAD],
} as const;

/** Letters of the earlier release's list read and filed per call: bounded memory, whatever its length. */
const ADOPT_CHUNK = 200;

/** Sessions in Redis read without a mailbox (tools and tests that look at another process's chats). */
export function redisStoredSessions(redis: Redis, prefix: string): Pick<ChatMailbox, 'storedSession' | 'eraseSession'> {
  const key = (chatId: number) => `${prefix}:{${chatId}}:sess`;
  return {
    storedSession: async (chatId) => (await redis.get(key(chatId))) ?? '',
    eraseSession: async (chatId) => void (await redis.del(key(chatId))),
  };
}

/**
 * "v1.<iv>.<tag>." of a sealed value: the IV is never used twice and the GCM tag authenticates
 * the rest, so equal prefixes mean the same ciphertext. '' for anything else (never matches).
 */
function sealedPrefix(sealed: string): string {
  const parts = sealed.split('.', 3);
  return parts.length === 3 && parts[0] && parts[1] && parts[2] ? `${parts.join('.')}.` : '';
}

/** Whose a letter of the earlier release's list is; 0 when it cannot be told (not JSON, another key). */
function legacyChat(line: string, chatOf: (record: Record<string, unknown>) => number | undefined): number {
  try {
    const record = JSON.parse(line) as unknown;
    if (!record || typeof record !== 'object' || Array.isArray(record)) return 0;
    return chatOf(record as Record<string, unknown>) ?? 0;
  } catch {
    return 0;
  }
}

/** The head entry's update id ("<id>\n<sealed>"). */
export function entryUpdateId(entry: string): number {
  return Number(entry.slice(0, entry.indexOf('\n')));
}

export function entryBody(entry: string): string {
  return entry.slice(entry.indexOf('\n') + 1);
}

export class RedisMailbox implements ChatMailbox {
  private readonly scripts: Record<keyof typeof SCRIPTS, Script>;
  /** Lease tokens: random per process, a counter per claim (no syscall per claim). */
  private readonly tokenBase = randomBytes(9).toString('base64url');
  private tokenCounter = 0;
  private readonly sessions: Pick<ChatMailbox, 'storedSession' | 'eraseSession'>;

  constructor(
    private readonly redis: Redis,
    readonly options: MailboxOptions,
  ) {
    this.sessions = redisStoredSessions(redis, options.prefix);
    for (const [name, [numberOfKeys, lua]] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
    }
    const bag = redis as unknown as Record<string, Script>;
    this.scripts = Object.fromEntries(Object.keys(SCRIPTS).map((name) => [name, bag[name]!.bind(redis)])) as Record<
      keyof typeof SCRIPTS,
      Script
    >;
  }

  private key(chatId: number | string, suffix: string): string {
    return `${this.options.prefix}:{${chatId}}:${suffix}`;
  }

  get readyKey(): string {
    return `${this.options.prefix}:ready`;
  }

  /** The dead letters of an earlier release: one list for everyone. */
  get legacyDeadKey(): string {
    return `${this.options.prefix}:dead`;
  }

  get deadOrderKey(): string {
    return `${this.options.prefix}:dead:order`;
  }

  /**
   * One round trip: 'duplicate' when this update id was taken in before; with `take`, the chat
   * is also taken when nobody holds it, and its lease token and state come back.
   */
  async append(
    chatId: number,
    updateId: number,
    sealedUpdate: string,
    take: boolean,
    now = Date.now(),
    knownSession = '',
  ): Promise<'duplicate' | 'appended' | Taken> {
    let token = '';
    if (take) {
      this.tokenCounter += 1;
      token = `${this.tokenBase}.${this.tokenCounter}`;
    }
    const entry = `${updateId}\n${sealedUpdate}`;
    const r = (await this.scripts.komekMbAppend(
      this.key(chatId, `upd:${updateId}`),
      this.key(chatId, 'mbox'),
      this.readyKey,
      this.key(chatId, 'lease'),
      this.key(chatId, 'out'),
      this.key(chatId, 'sess'),
      this.key(chatId, 'try'),
      entry,
      this.options.seenTtlS,
      now,
      chatId,
      token,
      this.options.leaseMs,
      sealedPrefix(knownSession),
    )) as StateReply;
    if (r[0] === 0) return 'duplicate';
    if (r[0] === 1) return 'appended';
    // '=': what this process sent or already holds, not sent back (about 1 KB less per update).
    const state = stateOf(r);
    if (state.head === '=') state.head = entry;
    if (state.session === '=') state.session = knownSession;
    return { token, state };
  }

  /** The lease token and the chat's state, or null when another worker holds the chat. */
  async claim(chatId: number, now = Date.now()): Promise<Taken | null> {
    this.tokenCounter += 1;
    const token = `${this.tokenBase}.${this.tokenCounter}`;
    const r = (await this.scripts.komekMbClaimOne(
      this.key(chatId, 'lease'),
      this.readyKey,
      this.key(chatId, 'out'),
      this.key(chatId, 'mbox'),
      this.key(chatId, 'sess'),
      this.key(chatId, 'try'),
      token,
      this.options.leaseMs,
      now,
      chatId,
    )) as StateReply;
    if (r[0] !== 1) return null;
    return { token, state: stateOf(r) };
  }

  /** Takes up to `max` chats that are due; returns [chatId, token] pairs. */
  async claimDue(max: number, now = Date.now()): Promise<Array<[number, string]>> {
    this.tokenCounter += 1;
    const base = `${this.tokenBase}.${this.tokenCounter}`;
    const ids = (await this.scripts.komekMbClaimDue(this.readyKey, this.options.prefix, base, this.options.leaseMs, now, max)) as string[];
    return ids.map((id) => [Number(id), `${base}.${id}`]);
  }

  /** null when the lease is no longer ours. */
  async begin(chatId: number, token: string): Promise<ChatState | null> {
    const r = (await this.scripts.komekMbBegin(
      this.key(chatId, 'lease'),
      this.key(chatId, 'out'),
      this.key(chatId, 'mbox'),
      this.key(chatId, 'sess'),
      this.key(chatId, 'try'),
      token,
    )) as StateReply;
    if (r[0] !== 1) return null;
    return stateOf(r);
  }

  /**
   * Removes the handled head, stores the session ('' keeps it, '-' deletes it) for `sessionTtlS`
   * and the outbox. Returns the next head ('' none) and how often it was started (this start
   * included), or null when the lease is no longer ours.
   */
  async commit(
    chatId: number,
    token: string,
    updateId: number,
    session: string,
    outbox: string,
    sessionTtlS?: number,
  ): Promise<{ head: string; starts: number } | null> {
    const r = (await this.scripts.komekMbCommit(
      this.key(chatId, 'lease'),
      this.key(chatId, 'out'),
      this.key(chatId, 'mbox'),
      this.key(chatId, 'sess'),
      this.key(chatId, 'try'),
      token,
      `${updateId}\n`,
      session,
      sessionTtl(this.options, sessionTtlS),
      outbox,
    )) as [number, string?, number?];
    return r[0] === 1 ? { head: r[1] ?? '', starts: Number(r[2] ?? 0) } : null;
  }

  async renew(chatId: number, token: string, now = Date.now()): Promise<boolean> {
    return (await this.scripts.komekMbRenew(this.key(chatId, 'lease'), this.readyKey, token, this.options.leaseMs, now, chatId)) === 1;
  }

  /** 'released'; 'lost': the lease was not ours; `{ more }`: updates arrived, the chat is kept. */
  async release(
    chatId: number,
    token: string,
    outboxSent: boolean,
    force: boolean,
    readyAt = Date.now(),
    knownSession = '',
  ): Promise<'released' | 'lost' | { more: ChatState }> {
    const r = await this.scripts.komekMbRelease(
      this.key(chatId, 'lease'),
      this.key(chatId, 'mbox'),
      this.readyKey,
      this.key(chatId, 'out'),
      this.key(chatId, 'try'),
      this.key(chatId, 'sess'),
      token,
      chatId,
      outboxSent ? '1' : '0',
      force ? '1' : '0',
      readyAt,
      sealedPrefix(knownSession),
    );
    if (Array.isArray(r)) {
      const more = stateOf(r as StateReply);
      if (more.session === '=') more.session = knownSession;
      return { more };
    }
    return r === 1 ? 'released' : 'lost';
  }

  /** Moves an unreadable session out of the way (kept, still sealed, for staff). */
  async setAside(chatId: number, token: string, now = Date.now()): Promise<boolean> {
    const r = await this.scripts.komekMbSetAside(
      this.key(chatId, 'lease'),
      this.key(chatId, 'sess'),
      this.key(chatId, `bad:${now}`),
      this.key(chatId, 'bads'),
      token,
      this.options.badSessionTtlS,
    );
    return r === 1;
  }

  async deadLetter(chatId: number, record: Record<string, unknown>): Promise<void> {
    await this.scripts.komekMbDeadLetter(
      this.deadOrderKey,
      `${this.options.prefix}:dead:seq`,
      this.key(chatId, 'dead'),
      JSON.stringify(record),
      chatId,
      this.options.deadLettersMax,
      this.options.prefix,
    );
  }

  async deadLetters(): Promise<Array<Record<string, unknown>>> {
    const members = await this.redis.zrevrange(this.deadOrderKey, 0, -1);
    const reads = this.redis.pipeline();
    for (const member of members) {
      const sep = member.indexOf(':');
      reads.hget(this.key(member.slice(0, sep), 'dead'), member.slice(sep + 1));
    }
    const filed = members.length ? ((await reads.exec()) ?? []).map(([, line]) => line as string | null) : [];
    const legacy = await this.redis.lrange(this.legacyDeadKey, 0, -1);
    return [...filed, ...legacy].filter((line): line is string => line !== null).map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async forgetDeadLetters(chatId: number): Promise<number> {
    return Number(await this.scripts.komekMbForgetDead(this.deadOrderKey, this.key(chatId, 'dead'), chatId));
  }

  async adoptLegacyDeadLetters(chatOf: (record: Record<string, unknown>) => number | undefined): Promise<number> {
    let moved = 0;
    // Nothing else writes that list once every process runs this release; a process of the
    // earlier one still adding to it in a rolling deploy leaves the rest for the next erasure.
    for (let round = Math.ceil(this.options.deadLettersMax / ADOPT_CHUNK) + 1; round > 0 && (await this.redis.llen(this.legacyDeadKey)) > 0; round -= 1) {
      const lines = await this.redis.lrange(this.legacyDeadKey, 0, ADOPT_CHUNK - 1);
      const pairs = lines.flatMap((line) => [String(legacyChat(line, chatOf)), line]);
      moved += Number(
        await this.scripts.komekMbAdoptDead(this.legacyDeadKey, this.deadOrderKey, `${this.options.prefix}:dead:legacy-seq`, this.options.deadLettersMax, this.options.prefix, ...pairs),
      );
    }
    return moved;
  }

  async setAsideSessions(chatId: number): Promise<string[]> {
    const names = (await this.redis.smembers(this.key(chatId, 'bads'))).sort().reverse();
    if (names.length === 0) return [];
    return (await this.redis.mget(...names)).filter((sealed): sealed is string => sealed !== null);
  }

  async eraseSetAside(chatId: number): Promise<void> {
    const index = this.key(chatId, 'bads');
    const names = await this.redis.smembers(index);
    // The index last: a try stopped half-way finds the rest again.
    if (names.length) await this.redis.del(...names);
    await this.redis.del(index);
  }

  storedSession(chatId: number): Promise<string> {
    return this.sessions.storedSession(chatId);
  }

  eraseSession(chatId: number): Promise<void> {
    return this.sessions.eraseSession(chatId);
  }

  /** Updates waiting in a chat's mailbox (tests, health). */
  async waiting(chatId: number): Promise<number> {
    return this.redis.llen(this.key(chatId, 'mbox'));
  }

  /** Chats with waiting work, due or held (tests, benchmarks). */
  async pendingChats(): Promise<number> {
    return this.redis.zcard(this.readyKey);
  }
}
