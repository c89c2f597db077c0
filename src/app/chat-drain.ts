import type { Update } from 'grammy/types';
import type { Input, Locale, Reply, UpdateMeta } from '../telegram/types.js';
import { updateToInput } from '../telegram/update-to-input.js';
import type { ApiCaller } from '../telegram/api-caller.js';
import type { ApiCall } from '../telegram/reply-to-calls.js';
import { entryBody, entryUpdateId, type ChatState, type ChatMailbox } from '../session/mailbox.js';
import { UnreadableSessionError, type SessionStore } from '../session/session-store.js';
import type { DataCipher } from '../security/crypto.js';
import { localeFromTelegram, type I18n } from '../i18n/index.js';
import { errorSummary } from '../logger.js';
import { buildContext } from './context.js';
import { eraseChatLeftovers } from './erase-leftovers.js';
import { isTransient } from './failure-kind.js';
import { openOutbox, outboxCalls, outboxFor, sealOutbox } from './outbox.js';
import type { Registry } from './registry.js';
import type { Router } from './router.js';
import { sessionTtlS } from './session-lifetime.js';
import type { AppDeps, Session, StaffChatUpdate } from './types.js';

/** The chat of a group message or of a button under one (what the staff group sends us). */
export function staffChatOf(update: Update): number | undefined {
  return update.message?.chat.id ?? update.edited_message?.chat.id ?? update.callback_query?.message?.chat.id;
}

/** Re-sync the user record (last seen, unblock) at most this often, not on every update. */
const SYNC_EVERY_MS = 6 * 60 * 60 * 1000;

export type UpdateOutcome = 'handled' | 'duplicate' | 'ignored' | 'failed';

export interface DrainTimings {
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  maxRetryAfterS: number;
}

/** What every drain shares: built once per process by the pipeline. */
export interface DrainShared {
  mailbox: ChatMailbox;
  store: SessionStore;
  cipher: DataCipher;
  deps: AppDeps;
  i18n: I18n;
  registry: Registry;
  router: Router;
  timings: DrainTimings;
  /** True once the process is shutting down: hand chats back after the current update. */
  stopping(): boolean;
  /** The update as this process took it in, if it did (saves opening the sealed copy). */
  takeLocal(chatId: number, updateId: number): Update | undefined;
  /** Each update's end, for those waiting on it in this process. */
  done(chatId: number, updateId: number, outcome: UpdateOutcome): void;
}

class LeaseLost extends Error {
  constructor() {
    super('the chat lease was lost');
    this.name = 'LeaseLost';
  }
}

/** The update was handed to workers more than MAILBOX_MAX_ATTEMPTS times and never finished. */
class UnfinishedError extends Error {
  constructor() {
    super('the update was started too often without finishing (its process died each time)');
    this.name = 'UnfinishedError';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One worker's turn with one chat: handles its waiting updates one after another, in arrival
 * order, while it holds the chat's lease, and hands the chat back when the mailbox is empty.
 *
 * Per update: route it, then commit the new session and the replies (the outbox) in one round
 * trip, then send the replies. A passing failure (Redis, database, network, Telegram 429/5xx)
 * leaves the update at the head of the mailbox and it is tried again after a pause, the user
 * being told once that it takes longer; after `maxAttempts`, or at once for an error that would
 * only repeat, it goes to the dead-letter list and the user gets the apology.
 */
export class ChatDrain {
  private state: ChatState;
  /** The session as committed, parsed from its JSON (saves a decryption per update). */
  private session: Session | undefined;
  /** The sealed outbox this worker has already sent (never sent twice by the same worker). */
  private sentOutbox = '';
  private lost = false;
  private readonly told = new Set<number>();

  constructor(
    private readonly s: DrainShared,
    private readonly api: ApiCaller,
    private readonly chatId: number,
    private readonly token: string,
    state: ChatState,
  ) {
    this.state = state;
  }

  private log() {
    return this.s.deps.logger;
  }

  async run(): Promise<void> {
    const renew = setInterval(() => {
      this.s.mailbox.renew(this.chatId, this.token).then(
        (ok) => {
          if (!ok) this.lost = true;
        },
        (error: unknown) => this.log().warn({ err: error }, 'could not renew a chat lease'),
      );
    }, Math.max(100, Math.floor(this.s.timings.leaseMs / 3)));
    renew.unref();
    try {
      await this.loop();
    } finally {
      clearInterval(renew);
    }
  }

  private async loop(): Promise<void> {
    let failures = 0;
    for (;;) {
      if (this.lost) return;
      try {
        const more = await this.step();
        failures = 0;
        if (!more) return;
      } catch (error) {
        if (error instanceof LeaseLost) return;
        // Redis itself failed (commit, begin, release): pause, then read the chat again.
        failures += 1;
        this.log().warn({ err: error, attempt: failures }, 'chat mailbox step failed; trying again');
        if (this.s.stopping() && failures > 2) return;
        await sleep(this.backoff(failures));
        const state = await this.s.mailbox.begin(this.chatId, this.token).catch(() => undefined);
        if (state === null) return;
        if (state) {
          this.state = state;
          this.session = undefined;
        }
      }
    }
  }

  /** One step; false when the chat was handed back. */
  private async step(): Promise<boolean> {
    const { outbox, head } = this.state;
    if (outbox && outbox !== this.sentOutbox) {
      // Committed but not sent before (a crash, or the process that committed it stopped).
      const open = openOutbox(this.s.cipher, outbox);
      if (open) await this.send(open.uid, outboxCalls(open), open.u);
      this.sentOutbox = outbox;
    }
    if (!head || this.s.stopping()) {
      const result = await this.s.mailbox.release(this.chatId, this.token, this.sentOutbox !== '' && this.sentOutbox === outbox, this.s.stopping(), undefined, this.state.session);
      if (typeof result === 'string') return false;
      // Updates arrived meanwhile: the chat is kept, and its state came back with the answer.
      this.state = result.more;
      this.session = undefined;
      return true;
    }
    await this.handleHead(head);
    return true;
  }

  private async reload(): Promise<void> {
    const state = await this.s.mailbox.begin(this.chatId, this.token);
    if (!state) throw new LeaseLost();
    this.state = state;
    this.session = undefined;
  }

  private async handleHead(head: string): Promise<void> {
    const updateId = entryUpdateId(head);
    let parsed: { meta: UpdateMeta; input: Input } | null = null;
    let update: Update | undefined;
    try {
      update = this.s.takeLocal(this.chatId, updateId) ?? (JSON.parse(this.s.cipher.decrypt(entryBody(head))) as Update);
      parsed = updateToInput(update);
    } catch {
      parsed = null;
    }
    if (!parsed && update && this.chatId === this.s.deps.config.STAFF_CHAT_ID && staffChatOf(update) === this.chatId) {
      await this.handleStaffChat(updateId, update);
      return;
    }
    if (!parsed) {
      // Nothing we serve (or unreadable with this DATA_KEY): step over it, keeping the session.
      await this.commit(updateId, '', '', null);
      this.s.done(this.chatId, updateId, 'ignored');
      return;
    }
    const { meta, input } = parsed;
    // Counted in Redis when the update was handed to this worker: more starts than allowed means
    // earlier holders died while running it (a poison update), with nobody left to record it.
    const attempts = this.state.starts;
    if (attempts > this.s.timings.maxAttempts) {
      this.log().error({ updateId, attempts, input: input.kind }, 'update started too often without finishing; moved to the dead-letter list');
      await this.deadLetter(head, meta, input, new UnfinishedError(), attempts, false);
      this.s.done(this.chatId, updateId, 'failed');
      return;
    }
    try {
      await this.handle(meta, input);
      this.s.done(this.chatId, updateId, 'handled');
    } catch (error) {
      if (error instanceof LeaseLost) throw error;
      const transient = isTransient(error, this.api);
      if (!transient || attempts >= this.s.timings.maxAttempts) {
        this.log().error({ err: error, updateId, attempts, input: input.kind }, 'update failed; moved to the dead-letter list');
        await this.deadLetter(head, meta, input, error, attempts, transient);
        this.s.done(this.chatId, updateId, 'failed');
        return;
      }
      this.log().warn({ err: error, updateId, attempts }, 'update failed for a passing reason; it will be tried again');
      if (!this.told.has(updateId)) {
        this.told.add(updateId);
        await this.tellDelayed(meta, input);
      }
      await sleep(this.backoff(attempts));
      // Whatever the failed attempt changed in memory is dropped: start again from Redis.
      await this.reload();
    }
  }

  /**
   * An update of the staff group: features with a staffChat handler relay operators' replies.
   * Passing failures are tried again like a citizen's update; one that keeps failing is logged and
   * stepped over (there is no citizen to apologise to, and the operator sees no relay notice).
   */
  private async handleStaffChat(updateId: number, update: Update): Promise<void> {
    const attempts = this.state.starts;
    try {
      // Started too often without finishing (it killed its process): stepped over unrun.
      if (attempts > this.s.timings.maxAttempts) throw new UnfinishedError();
      for (const handler of this.s.registry.staffChat) if (await handler(update as StaffChatUpdate, this.s.deps)) break;
    } catch (error) {
      if (error instanceof LeaseLost) throw error;
      if (isTransient(error, this.api) && attempts < this.s.timings.maxAttempts) {
        this.log().warn({ err: error, updateId, attempts }, 'staff group update failed for a passing reason; it will be tried again');
        await sleep(this.backoff(attempts));
        await this.reload();
        return;
      }
      this.log().error({ err: error, updateId, attempts }, 'staff group update failed; stepped over');
    }
    await this.commit(updateId, '', '', null);
    this.s.done(this.chatId, updateId, 'handled');
  }

  private async handle(meta: UpdateMeta, input: Input): Promise<void> {
    const notices: Reply[] = [];
    let session = this.session;
    if (!session) {
      try {
        session = this.s.store.openFor(this.chatId, this.state.session);
      } catch (error) {
        if (!(error instanceof UnreadableSessionError)) throw error;
        // Kept (still sealed) for staff; the user starts afresh and is told so.
        await this.s.mailbox.setAside(this.chatId, this.token);
        this.log().warn({ updateId: meta.updateId }, 'a session could not be read; set aside, the user starts afresh');
        session = {};
        const locale = localeFromTelegram(meta.languageCode, this.s.deps.config.DEFAULT_LOCALE);
        notices.push({ kind: 'text', text: this.s.i18n.t(locale)('errors:session-reset') });
      }
    }
    const { ctx, replies } = buildContext(meta, session, this.s.deps, this.s.i18n, this.s.registry, this.s.router);
    await this.syncUser(meta, session, input, ctx.locale);
    await this.s.router.route(ctx, input);
    const all = notices.length ? [...notices, ...replies] : replies;
    if (session.erase) await eraseChatLeftovers(this.s.mailbox, this.s.cipher, this.chatId);
    const sealedSession = session.erase ? { sealed: '-', json: '' } : this.s.store.seal(session);
    const outbox = outboxFor(meta.updateId, meta.chatId, meta.userId, input, all);
    const sealedOutbox = sealOutbox(this.s.cipher, outbox);
    // An unfinished form's answers must not outlive the form in Redis (session-lifetime.ts).
    const ttlS = sessionTtlS(session, this.s.registry, this.s.deps.now().getTime(), this.s.deps.config.SESSION_TTL_S);
    await this.commit(meta.updateId, sealedSession.sealed, sealedOutbox, sealedSession.json ? (JSON.parse(sealedSession.json) as Session) : {}, ttlS);
    this.s.store.remember(this.chatId, sealedSession.sealed, sealedSession.json);
    if (outbox) await this.send(meta.userId, outboxCalls(outbox), meta.updateId);
    this.sentOutbox = sealedOutbox;
  }

  /**
   * `session` is what the next update starts from (null: open the stored one again);
   * `sessionTtlS` how long Redis keeps a stored one (the mailbox's SESSION_TTL_S when not given).
   */
  private async commit(updateId: number, sealedSession: string, sealedOutbox: string, session: Session | null, sessionTtlS?: number): Promise<void> {
    const next = await this.s.mailbox.commit(this.chatId, this.token, updateId, sealedSession, sealedOutbox, sessionTtlS);
    if (next === null) throw new LeaseLost();
    // The previous outbox is gone with this commit; a kept session ('') stays as it was.
    this.state = {
      outbox: sealedOutbox,
      head: next.head,
      session: sealedSession === '' ? this.state.session : sealedSession === '-' ? '' : sealedSession,
      starts: next.starts,
    };
    this.session = session ?? undefined;
    if (sealedOutbox === '') this.sentOutbox = '';
  }

  private async syncUser(meta: UpdateMeta, session: Session, input: Input, locale: Session['locale']): Promise<void> {
    if (input.kind === 'membership') return;
    const now = this.s.deps.now().getTime();
    if (session.syncedAt && now - session.syncedAt < SYNC_EVERY_MS) return;
    // Not done (another writer kept the record): the next update tries again.
    if (await this.s.deps.services.users.touch(meta, locale ?? this.s.deps.config.DEFAULT_LOCALE, input.kind === 'callback')) session.syncedAt = now;
  }

  /**
   * Sends committed replies in order. Telegram's 429 is waited out (retry_after), 5xx and network
   * failures are tried again with back-off; a refused edit or callback answer is harmless; a user
   * who blocked the bot is marked so. Replies are never rolled back: the update was handled.
   */
  private async send(userId: number, calls: ApiCall[], updateId: number): Promise<void> {
    for (const call of calls) {
      for (let attempt = 1; ; attempt += 1) {
        if (this.lost) throw new LeaseLost();
        try {
          await this.api.call(call.method, call.payload);
          break;
        } catch (error) {
          const kind = this.api.classify(error);
          if (kind === 'forbidden') {
            await this.s.deps.services.users
              .setBlocked(userId, true)
              .catch((e: unknown) => this.log().warn({ err: e, updateId }, 'could not mark a user as blocked'));
            return;
          }
          if (kind === 'bad-request' || kind === 'other' || attempt >= this.s.timings.maxAttempts) {
            // Expected for an edit of an unchanged message or an old callback query; anything else is logged.
            if (!(kind === 'bad-request' && (call.method === 'editMessageText' || call.method === 'answerCallbackQuery'))) {
              this.log().warn({ err: error, updateId, method: call.method, attempt }, 'a reply could not be sent');
            }
            break;
          }
          const retryAfter = kind === 'rate-limited' ? this.api.retryAfter(error) : undefined;
          const pause = retryAfter !== undefined ? Math.min(retryAfter, this.s.timings.maxRetryAfterS) * 1000 : this.backoff(attempt);
          await sleep(pause);
        }
      }
    }
  }

  /** Once per update that is taking longer: a short note, best effort (Telegram may be what fails). */
  private async tellDelayed(meta: UpdateMeta, input: Input): Promise<void> {
    const locale = this.userLocale(meta);
    try {
      if (input.kind === 'callback') await this.api.call('answerCallbackQuery', { callback_query_id: input.queryId }).catch(() => undefined);
      await this.api.call('sendMessage', { chat_id: meta.chatId, text: this.s.i18n.t(locale)('errors:delayed') });
    } catch (error) {
      this.log().warn({ err: error, updateId: meta.updateId }, 'could not say that an answer is delayed');
    }
  }

  /** Keeps the update (sealed) with the error for staff, and answers the user with the apology. */
  private async deadLetter(head: string, meta: UpdateMeta, input: Input, error: unknown, attempts: number, transient: boolean): Promise<void> {
    await this.s.mailbox.deadLetter(this.chatId, {
      at: new Date(this.s.deps.now()).toISOString(),
      updateId: meta.updateId,
      attempts,
      transient,
      error: errorSummary(error),
      update: entryBody(head),
    });
    const locale = this.userLocale(meta);
    const apology: Reply = { kind: 'text', text: this.s.i18n.t(locale)('errors:internal') };
    const outbox = outboxFor(meta.updateId, meta.chatId, meta.userId, input, [apology]);
    const sealed = sealOutbox(this.s.cipher, outbox);
    // The session stays as it was before this update, so the user can simply try again.
    await this.commit(meta.updateId, '', sealed, null);
    if (outbox) await this.send(meta.userId, outboxCalls(outbox), meta.updateId);
    this.sentOutbox = sealed;
  }

  /** The user's chosen language from the stored session, else their Telegram app's. */
  private userLocale(meta: UpdateMeta): Locale {
    let stored: Session | undefined = this.session;
    if (!stored) {
      try {
        stored = this.s.store.openFor(this.chatId, this.state.session);
      } catch {
        stored = undefined;
      }
    }
    return stored?.locale ?? localeFromTelegram(meta.languageCode, this.s.deps.config.DEFAULT_LOCALE);
  }

  private backoff(attempt: number): number {
    const { retryBaseMs, retryMaxMs } = this.s.timings;
    const pause = Math.min(retryMaxMs, retryBaseMs * 2 ** (attempt - 1));
    // A little jitter, so chats that failed together do not all retry at the same instant.
    return Math.round(pause * (0.75 + Math.random() * 0.5));
  }
}
