import type { Update } from 'grammy/types';
import { updateToInput } from '../telegram/update-to-input.js';
import type { ApiCaller } from '../telegram/api-caller.js';
import type { ChatMailbox, ChatState } from '../session/mailbox.js';
import type { SessionStore } from '../session/session-store.js';
import type { DataCipher } from '../security/crypto.js';
import type { I18n } from '../i18n/index.js';
import { ChatDrain, staffChatOf, type DrainShared, type DrainTimings, type UpdateOutcome } from './chat-drain.js';
import type { Registry } from './registry.js';
import type { Router } from './router.js';
import type { AppDeps } from './types.js';

export type { UpdateOutcome };

const LOCAL_MAX = 20_000;

/** What intake made of a body: appended to its chat's mailbox, a repeat, not for us, or not an update. */
export type Intake = 'queued' | 'duplicate' | 'ignored' | 'invalid';

export interface PipelineTimings extends DrainTimings {
  pollMs: number;
  concurrency: number;
  shutdownMs: number;
}

/**
 * Intake appends, workers drain. `accept` only seals an update and appends it to its chat's
 * mailbox in Redis (one round trip that also drops a repeated update id and marks the chat
 * ready), then nudges this process's workers. Workers in every process share the ready chats:
 * each holds at most one chat's lease at a time per slot, renews it while it works, and hands
 * the chat back when its mailbox is empty. A process that dies loses its leases; another takes
 * over from the same update. See docs/mailbox.md.
 */
export class UpdatePipeline {
  private api: ApiCaller | undefined;
  private readonly active = new Map<number, Promise<void>>();
  /** Chats that got a new update while a drain was ending: looked at again right after. */
  private readonly rekick = new Set<number>();
  private readonly waiters = new Map<string, Array<(outcome: UpdateOutcome) => void>>();
  private readonly idleWaiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private scanning = false;
  /** Claims on their way (kick): counted against the concurrency before they come back. */
  private claiming = 0;
  private stopping = false;
  private readonly shared: DrainShared;
  /** Updates this process appended and has not handled yet, by `chat:update` (bounded). */
  private readonly local = new Map<string, Update>();

  constructor(
    store: SessionStore,
    private readonly deps: AppDeps,
    i18n: I18n,
    registry: Registry,
    router: Router,
    private readonly mailbox: ChatMailbox,
    private readonly cipher: DataCipher,
    private readonly timings: PipelineTimings,
  ) {
    this.shared = {
      mailbox,
      store,
      cipher,
      deps,
      i18n,
      registry,
      router,
      timings,
      stopping: () => this.stopping,
      done: (chatId, updateId, outcome) => this.settle(chatId, updateId, outcome),
      takeLocal: (chatId, updateId) => {
        const key = `${chatId}:${updateId}`;
        const update = this.local.get(key);
        if (update) this.local.delete(key);
        return update;
      },
    };
  }

  /** Gives the workers their way to Telegram and starts looking for ready chats. */
  attach(api: ApiCaller): void {
    this.api = api;
    this.stopping = false;
    this.schedule(0);
  }

  /**
   * Intake: validates and appends; never handles. Throws when Redis refused the append (the
   * webhook then answers 503 and Telegram delivers the update again).
   */
  async accept(body: unknown): Promise<Intake> {
    const checked = checkUpdate(body, this.deps.config.STAFF_CHAT_ID);
    if (checked === 'invalid' || checked === 'ignored') return checked;
    const { update, chatId } = checked;
    // Take the chat in the same round trip when this process has room and is not serving it.
    const take = !!this.api && !this.stopping && !this.active.has(chatId) && this.active.size + this.claiming < this.timings.concurrency;
    if (take) this.claiming += 1;
    let result;
    try {
      result = await this.mailbox.append(chatId, update.update_id, this.cipher.encrypt(JSON.stringify(update)), take, undefined, take ? this.shared.store.known(chatId) : '');
    } finally {
      if (take) this.claiming -= 1;
    }
    if (result === 'duplicate') return 'duplicate';
    this.remember(chatId, update);
    if (result === 'appended') void this.kick(chatId);
    else if (this.active.has(chatId)) {
      // Raced with another update of this chat taking it meanwhile: hand this lease back.
      await this.mailbox.release(chatId, result.token, false, true).catch(() => undefined);
      this.rekick.add(chatId);
    } else this.startDrain(chatId, result.token, result.state);
    return 'queued';
  }

  /**
   * Appends the update and resolves when this process has handled it (tests, the harness). An
   * update that another process holds resolves after a lease's time at the latest.
   */
  async handleUpdate(update: Update, api?: ApiCaller): Promise<UpdateOutcome> {
    if (api && !this.api) this.attach(api);
    const checked = checkUpdate(update, this.deps.config.STAFF_CHAT_ID);
    if (checked === 'invalid' || checked === 'ignored') return 'ignored';
    const key = `${checked.chatId}:${update.update_id}`;
    const outcome = new Promise<UpdateOutcome>((resolve) => {
      const list = this.waiters.get(key) ?? [];
      list.push(resolve);
      this.waiters.set(key, list);
      // Only for an update another process took; a local one always settles when handled.
      setTimeout(() => this.settle(checked.chatId, update.update_id, 'handled'), Math.max(this.timings.leaseMs * 4, 300_000)).unref();
    });
    let intake: Intake;
    try {
      intake = await this.accept(update);
    } catch (error) {
      this.settle(checked.chatId, update.update_id, 'failed');
      throw error;
    }
    if (intake !== 'queued') this.settle(checked.chatId, update.update_id, intake === 'duplicate' ? 'duplicate' : 'ignored');
    return outcome;
  }

  /** Stops taking chats; chats in hand finish their current update and are handed back. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  /** Resolves when no chat is in hand, or after the shutdown cut-off. */
  idle(): Promise<void> {
    if (this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      setTimeout(resolve, this.timings.shutdownMs).unref();
    });
  }

  /** Chats in hand in this process (health, tests). */
  get busy(): number {
    return this.active.size;
  }

  private remember(chatId: number, update: Update): void {
    // Another process may handle it; the oldest entries make room, the sealed copy is the truth.
    if (this.local.size >= LOCAL_MAX) this.local.delete(this.local.keys().next().value!);
    this.local.set(`${chatId}:${update.update_id}`, update);
  }

  private settle(chatId: number, updateId: number, outcome: UpdateOutcome): void {
    const key = `${chatId}:${updateId}`;
    const list = this.waiters.get(key);
    if (!list) return;
    this.waiters.delete(key);
    for (const resolve of list) resolve(outcome);
  }

  private schedule(delay: number): void {
    if (this.stopping || !this.api) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.scan(), delay);
    this.timer.unref();
  }

  /** Takes due chats nobody serves (other processes' intake, retries, a dead worker's chats). */
  private async scan(): Promise<void> {
    if (this.scanning || this.stopping) return;
    this.scanning = true;
    try {
      const room = this.timings.concurrency - this.active.size - this.claiming;
      if (room > 0) {
        this.claiming += room;
        try {
          const taken = await this.mailbox.claimDue(Math.min(room, 100));
          for (const [chatId, token] of taken) {
            const state = await this.mailbox.begin(chatId, token);
            if (state && !this.active.has(chatId)) this.startDrain(chatId, token, state);
          }
        } finally {
          this.claiming -= room;
        }
      }
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not look for waiting chats');
    } finally {
      this.scanning = false;
      this.schedule(this.timings.pollMs);
    }
  }

  private async kick(chatId: number): Promise<void> {
    if (this.stopping || !this.api) return;
    if (this.active.has(chatId)) {
      this.rekick.add(chatId);
      return;
    }
    if (this.active.size + this.claiming >= this.timings.concurrency) return;
    this.claiming += 1;
    try {
      const claimed = await this.mailbox.claim(chatId);
      // Held elsewhere: that worker will reach this update, or its lease runs out and a scan takes it.
      if (claimed && !this.active.has(chatId)) this.startDrain(chatId, claimed.token, claimed.state);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not take a chat; a later scan will');
    } finally {
      this.claiming -= 1;
    }
  }

  private startDrain(chatId: number, token: string, state: ChatState): void {
    const api = this.api!;
    const run = new ChatDrain(this.shared, api, chatId, token, state)
      .run()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'a chat drain stopped unexpectedly'))
      .finally(() => {
        this.active.delete(chatId);
        if (this.active.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
        if (this.rekick.delete(chatId)) void this.kick(chatId);
        else if (!this.stopping && this.active.size === this.timings.concurrency - 1) this.schedule(0);
      });
    this.active.set(chatId, run);
  }
}

/**
 * A webhook body or polled update, checked before anything is stored: not an update at all
 * ('invalid': logged and dropped, never retried), one we do not serve ('ignored': groups,
 * channels, other update types), or one to append to its chat's mailbox.
 */
/**
 * `staffChatId`: the staff supergroup (STAFF_CHAT_ID) is the one group served; its updates go to
 * its own mailbox like a private chat's, so operators' replies are handled once and in order.
 */
export function checkUpdate(body: unknown, staffChatId?: number): { update: Update; chatId: number } | 'ignored' | 'invalid' {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'invalid';
  const id = (body as { update_id?: unknown }).update_id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return 'invalid';
  let parsed;
  try {
    parsed = updateToInput(body as Update);
  } catch {
    return 'invalid';
  }
  if (!parsed) {
    const groupChat = staffChatId === undefined ? undefined : staffChatOf(body as Update);
    return groupChat !== undefined && groupChat === staffChatId ? { update: body as Update, chatId: groupChat } : 'ignored';
  }
  if (!Number.isSafeInteger(parsed.meta.chatId)) return 'invalid';
  return { update: body as Update, chatId: parsed.meta.chatId };
}
