// Updates waiting for the bot: getUpdates long polling (offset confirms, limit, timeout) and,
// when asked to, pushing each update to the webhook the bot set.
import { errors } from './errors.js';
import type { Json, Update } from './types.js';

interface PollWaiter {
  offset: number;
  limit: number;
  finish: (updates: Update[]) => void;
}

export interface Webhook {
  url: string;
  secretToken?: string;
}

/** How a long poll is answered: at once, or later through `respond`. */
export type PollAnswer = (updates: Update[]) => void;

export class UpdateQueue {
  private queue: Update[] = [];
  private waiters = new Set<PollWaiter>();
  /** The update_id the next update gets. */
  nextUpdateId: number;

  /** `onChange`: an update was queued or confirmed (the playground then rewrites its chats file). */
  constructor(firstUpdateId = 1, private readonly onChange: () => void = () => undefined) {
    this.nextUpdateId = firstUpdateId;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Updates the bot has not confirmed yet, oldest first. */
  unconfirmed(): Update[] {
    return [...this.queue];
  }

  /** Puts back updates a previous run had not seen confirmed, before any new one. */
  restore(updates: Update[]): void {
    this.queue = [...updates, ...this.queue];
    if (updates.length > 0) this.wake();
  }

  /** Gives the body the next global update_id. */
  stamp(body: Json): Update {
    const id = this.nextUpdateId++;
    return { ...body, update_id: id };
  }

  enqueue(update: Update): void {
    this.queue.push(update);
    this.onChange();
    this.wake();
  }

  clear(): void {
    this.queue = [];
  }

  /** Ends every open long poll with no updates (server stopping). */
  releaseAll(): void {
    for (const waiter of this.waiters) waiter.finish([]);
    this.waiters.clear();
  }

  /**
   * getUpdates: answers at once when updates are ready or timeout is 0, otherwise waits up to
   * `timeout` seconds. `onClose` registers what to do when the client gives up.
   */
  poll(p: Json, webhook: Webhook | undefined, respond: PollAnswer, onClose: (forget: () => void) => void): void {
    if (webhook) throw errors.webhookActive();
    const offset = typeof p.offset === 'number' ? p.offset : 0;
    const limit = Math.min(Math.max(typeof p.limit === 'number' ? p.limit : 100, 1), 100);
    const timeoutSec = typeof p.timeout === 'number' ? p.timeout : 0;
    const ready = this.collect(offset, limit);
    if (ready.length > 0 || timeoutSec <= 0) return respond(ready);

    // Telegram answers an older long poll when a newer one arrives (with 409); answering it
    // with no updates is gentler on clients that are just restarting their loop.
    for (const waiter of this.waiters) waiter.finish([]);

    let finished = false;
    const waiter: PollWaiter = {
      offset,
      limit,
      finish: (updates) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        respond(updates);
      },
    };
    const timer = setTimeout(() => waiter.finish([]), timeoutSec * 1000);
    // The client gave up (aborted fetch, bot.stop()): forget the poll.
    onClose(() => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      this.waiters.delete(waiter);
    });
    this.waiters.add(waiter);
  }

  /** Drops updates confirmed by `offset` and returns up to `limit` of the rest. */
  private collect(offset: number, limit: number): Update[] {
    if (offset < 0) return this.queue.slice(offset).slice(0, limit);
    let confirmed = 0;
    while (confirmed < this.queue.length && this.queue[confirmed]!.update_id < offset) confirmed++;
    if (confirmed > 0) {
      this.queue.splice(0, confirmed);
      this.onChange();
    }
    return this.queue.slice(0, limit);
  }

  private wake(): void {
    if (this.waiters.size === 0) return;
    // Deliver on the next tick so that several updates pushed together arrive in one batch.
    queueMicrotask(() => {
      for (const waiter of [...this.waiters]) {
        const updates = this.collect(waiter.offset, waiter.limit);
        if (updates.length > 0) waiter.finish(updates);
      }
    });
  }
}

/** POSTs an update the way Telegram does, with the secret token header when one was set. */
export async function postToWebhook(update: Update, url: string, secretToken?: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secretToken ? { 'x-telegram-bot-api-secret-token': secretToken } : {}) },
    body: JSON.stringify(update),
  });
  return { status: res.status, body: await res.text() };
}

/**
 * Webhook delivery in order, one update at a time, retried while the bot answers with an error or
 * cannot be reached (Telegram keeps trying too), so a restarting bot loses nothing.
 */
export class WebhookPusher {
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly target: () => Webhook | undefined, private readonly retryMs = 500) {}

  push(update: Update): void {
    this.chain = this.chain.then(() => this.deliver(update));
  }

  async idle(): Promise<void> {
    await this.chain;
  }

  stop(): void {
    this.stopped = true;
  }

  private async deliver(update: Update): Promise<void> {
    for (let attempt = 0; attempt < 120 && !this.stopped; attempt++) {
      const hook = this.target();
      if (!hook) return;
      try {
        const { status } = await postToWebhook(update, hook.url, hook.secretToken);
        if (status < 500 && status !== 429) return;
      } catch {
        // not reachable yet: retry below
      }
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
  }
}
