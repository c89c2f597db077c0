// The chat mailbox in memory, for scene and router tests: the same ChatMailbox the pipeline uses,
// with RedisMailbox's rules (one lease per chat, ready times, commit before send, dedupe, dead
// letters) kept in Maps. test/mailbox/contract.test.ts runs the same behaviour tests against this
// and against RedisMailbox on the real test Redis, so the two cannot drift apart.
import { randomBytes } from 'node:crypto';
import { sessionTtl, type ChatMailbox, type ChatState, type MailboxOptions, type Taken } from '../../src/session/mailbox.js';

interface Expiring<T> {
  value: T;
  /** Wall-clock ms, as Redis expires keys by its own clock whatever `now` a caller passes. */
  until: number;
}

interface Chat {
  seen: Map<number, number>;
  entries: string[];
  lease?: Expiring<string>;
  outbox: string;
  session?: Expiring<string>;
  setAside: Map<string, string>;
  /** "<updateId>:<starts>" of the head, as the scripts' `P:{c}:try` key. */
  tries?: { updateId: string; starts: number };
}

export class MemoryMailbox implements ChatMailbox {
  private readonly chats = new Map<number, Chat>();
  /** Chat id → when a worker may take it (ms), like the `ready` sorted set. */
  private readonly ready = new Map<number, number>();
  /** Dead letters, newest first, each filed under its chat as `P:{c}:dead` files it. */
  private readonly dead: Array<{ chatId: number; line: string }> = [];
  private readonly tokenBase = randomBytes(6).toString('base64url');
  private tokenCounter = 0;

  constructor(readonly options: Omit<MailboxOptions, 'prefix'>) {}

  private chat(chatId: number): Chat {
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { seen: new Map(), entries: [], outbox: '', setAside: new Map() };
      this.chats.set(chatId, chat);
    }
    return chat;
  }

  private nextToken(): string {
    this.tokenCounter += 1;
    return `${this.tokenBase}.${this.tokenCounter}`;
  }

  private holder(chat: Chat): string | undefined {
    if (chat.lease && chat.lease.until <= Date.now()) chat.lease = undefined;
    return chat.lease?.value;
  }

  private lease(chat: Chat, token: string): void {
    chat.lease = { value: token, until: Date.now() + this.options.leaseMs };
  }

  private sessionOf(chat: Chat): string {
    if (chat.session && chat.session.until <= Date.now()) chat.session = undefined;
    return chat.session?.value ?? '';
  }

  /** The scripts' count_start: each hand-over of the head to a worker counts one start. */
  private countStart(chat: Chat, head: string): number {
    if (!head) {
      chat.tries = undefined;
      return 0;
    }
    const updateId = head.slice(0, head.indexOf('\n'));
    const starts = chat.tries?.updateId === updateId ? chat.tries.starts + 1 : 1;
    chat.tries = { updateId, starts };
    return starts;
  }

  private stateOf(chat: Chat): ChatState {
    const head = chat.entries[0] ?? '';
    return { outbox: chat.outbox, head, session: this.sessionOf(chat), starts: this.countStart(chat, head) };
  }

  private heldBy(chatId: number, token: string): Chat | undefined {
    const chat = this.chats.get(chatId);
    return chat && this.holder(chat) === token ? chat : undefined;
  }

  async append(chatId: number, updateId: number, sealedUpdate: string, take: boolean, now = Date.now()): Promise<'duplicate' | 'appended' | Taken> {
    const chat = this.chat(chatId);
    const seenUntil = chat.seen.get(updateId);
    if (seenUntil !== undefined && seenUntil > Date.now()) return 'duplicate';
    chat.seen.set(updateId, Date.now() + this.options.seenTtlS * 1000);
    chat.entries.push(`${updateId}\n${sealedUpdate}`);
    if (take && this.holder(chat) === undefined) {
      const token = this.nextToken();
      this.lease(chat, token);
      this.ready.set(chatId, now + this.options.leaseMs);
      return { token, state: this.stateOf(chat) };
    }
    if (!this.ready.has(chatId)) this.ready.set(chatId, now);
    return 'appended';
  }

  async claim(chatId: number, now = Date.now()): Promise<Taken | null> {
    const chat = this.chat(chatId);
    if (this.holder(chat) !== undefined) return null;
    const token = this.nextToken();
    this.lease(chat, token);
    this.ready.set(chatId, now + this.options.leaseMs);
    return { token, state: this.stateOf(chat) };
  }

  async claimDue(max: number, now = Date.now()): Promise<Array<[number, string]>> {
    const base = this.nextToken();
    // Redis orders equal scores by member, as strings.
    const due = [...this.ready]
      .filter(([, at]) => at <= now)
      .sort(([a, x], [b, y]) => x - y || String(a).localeCompare(String(b)))
      .slice(0, max);
    const taken: Array<[number, string]> = [];
    for (const [chatId] of due) {
      const chat = this.chat(chatId);
      if (this.holder(chat) === undefined) {
        const token = `${base}.${chatId}`;
        this.lease(chat, token);
        this.ready.set(chatId, now + this.options.leaseMs);
        taken.push([chatId, token]);
      } else {
        this.ready.set(chatId, now + Math.max(50, chat.lease!.until - Date.now()));
      }
    }
    return taken;
  }

  async begin(chatId: number, token: string): Promise<ChatState | null> {
    const chat = this.heldBy(chatId, token);
    return chat ? this.stateOf(chat) : null;
  }

  async commit(chatId: number, token: string, updateId: number, session: string, outbox: string, sessionTtlS?: number): Promise<{ head: string; starts: number } | null> {
    const chat = this.heldBy(chatId, token);
    if (!chat) return null;
    if (chat.entries[0]?.startsWith(`${updateId}\n`)) chat.entries.shift();
    if (session === '-') chat.session = undefined;
    else if (session !== '') chat.session = { value: session, until: Date.now() + sessionTtl(this.options, sessionTtlS) * 1000 };
    chat.outbox = outbox;
    const head = chat.entries[0] ?? '';
    // As the COMMIT script: with nothing waiting, the handled head's count is left for release.
    if (!head) return { head, starts: 0 };
    return { head, starts: this.countStart(chat, head) };
  }

  async renew(chatId: number, token: string, now = Date.now()): Promise<boolean> {
    const chat = this.heldBy(chatId, token);
    if (!chat) return false;
    this.lease(chat, token);
    this.ready.set(chatId, now + this.options.leaseMs);
    return true;
  }

  async release(chatId: number, token: string, outboxSent: boolean, force: boolean, readyAt = Date.now()): Promise<'released' | 'lost' | { more: ChatState }> {
    const chat = this.heldBy(chatId, token);
    if (!chat) return 'lost';
    if (outboxSent) chat.outbox = '';
    const waiting = chat.entries.length;
    // Kept, and handed the head as begin() would (its start counted).
    if (waiting > 0 && !force) return { more: this.stateOf(chat) };
    if (waiting === 0) chat.tries = undefined;
    // Handed back unrun: the start counted at hand-over is taken back, as the RELEASE script does.
    const head = chat.entries[0];
    if (head !== undefined && chat.tries?.updateId === head.slice(0, head.indexOf('\n'))) {
      chat.tries = chat.tries.starts > 1 ? { ...chat.tries, starts: chat.tries.starts - 1 } : undefined;
    }
    chat.lease = undefined;
    if (waiting > 0 || chat.outbox !== '') this.ready.set(chatId, readyAt);
    else this.ready.delete(chatId);
    return 'released';
  }

  async setAside(chatId: number, token: string, now = Date.now()): Promise<boolean> {
    const chat = this.heldBy(chatId, token);
    const session = chat ? this.sessionOf(chat) : '';
    if (!chat || !session) return false;
    chat.setAside.set(`bad:${now}`, session);
    chat.session = undefined;
    return true;
  }

  async deadLetter(chatId: number, record: Record<string, unknown>): Promise<void> {
    this.dead.unshift({ chatId, line: JSON.stringify(record) });
    this.dead.length = Math.min(this.dead.length, this.options.deadLettersMax);
  }

  async deadLetters(): Promise<Array<Record<string, unknown>>> {
    return this.dead.map(({ line }) => JSON.parse(line) as Record<string, unknown>);
  }

  async forgetDeadLetters(chatId: number): Promise<number> {
    const kept = this.dead.filter((letter) => letter.chatId !== chatId);
    const removed = this.dead.length - kept.length;
    this.dead.splice(0, this.dead.length, ...kept);
    return removed;
  }

  /** An earlier release's list of dead letters exists only in a Redis that ran it. */
  async adoptLegacyDeadLetters(): Promise<number> {
    return 0;
  }

  /** Sessions set aside as unreadable, newest first (Redis keeps them under `bad:<t>` for staff). */
  async setAsideSessions(chatId: number): Promise<string[]> {
    const chat = this.chats.get(chatId);
    return chat ? [...chat.setAside.entries()].sort(([a], [b]) => b.localeCompare(a)).map(([, sealed]) => sealed) : [];
  }

  async eraseSetAside(chatId: number): Promise<void> {
    this.chats.get(chatId)?.setAside.clear();
  }

  async storedSession(chatId: number): Promise<string> {
    const chat = this.chats.get(chatId);
    return chat ? this.sessionOf(chat) : '';
  }

  async eraseSession(chatId: number): Promise<void> {
    const chat = this.chats.get(chatId);
    if (chat) chat.session = undefined;
  }

  async waiting(chatId: number): Promise<number> {
    return this.chats.get(chatId)?.entries.length ?? 0;
  }

  async pendingChats(): Promise<number> {
    return this.ready.size;
  }
}
