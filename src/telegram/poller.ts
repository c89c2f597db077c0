import type { Logger } from '../logger.js';
import type { ApiCaller } from './api-caller.js';

export interface PollerOptions {
  api: ApiCaller;
  /** Appends one update to its chat's mailbox; throws when Redis refused it. */
  accept: (update: unknown) => Promise<unknown>;
  allowedUpdates: readonly string[];
  timeoutS: number;
  logger: Logger;
  /**
   * How long past its long-poll timeout a getUpdates may go unanswered before it is given up and
   * asked again. A connection dropped without a reset on the way (NAT, a mobile link, a proxy)
   * never answers, and both clients wait 500 s by default: the bot would hear nothing for eight
   * minutes. The updates of a call given up on were not confirmed, so they come with the next one.
   */
  answerGraceMs?: number;
  /**
   * The pause after a failed call (a 429's retry_after aside), doubled with each failure in a row
   * up to 30 s; the first pause is twice this. 250 ms unless set.
   */
  retryBaseMs?: number;
}

export interface Poller {
  /** False once the loop has died or has not reached Telegram for a long while (health check). */
  healthy(): boolean;
  stop(): void;
  /** Settles when the loop ends: after stop(), or with the error that killed it. */
  done: Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Long polling for both runtimes. The offset is confirmed (by asking for the next batch from
 * it) only after every update of the batch was appended to its mailbox, so an update is never
 * acknowledged to Telegram before it is stored. An append that fails stops the batch where it
 * is; the same updates come again on the next call.
 */
export function startPoller(options: PollerOptions): Poller {
  let stopped = false;
  let dead = false;
  let lastContact = Date.now();
  let offset = 0;
  const staleMs = Math.max(90_000, options.timeoutS * 3000);
  const answerGraceMs = options.answerGraceMs ?? 10_000;
  const retryBaseMs = options.retryBaseMs ?? 250;
  const backoff = (failures: number) => Math.min(30_000, retryBaseMs * 2 ** Math.min(failures, 7));

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      let batch: Array<{ update_id: number }>;
      const giveUp = new AbortController();
      const timer = setTimeout(() => giveUp.abort(), options.timeoutS * 1000 + answerGraceMs);
      try {
        batch = (await options.api.call(
          'getUpdates',
          { offset, timeout: options.timeoutS, allowed_updates: [...options.allowedUpdates] },
          giveUp.signal,
        )) as Array<{ update_id: number }>;
        lastContact = Date.now();
      } catch (error) {
        failures += 1;
        // A 429 says how long to wait; asking sooner only gets another 429.
        const askedS = options.api.retryAfter(error) ?? 0;
        options.logger.warn({ err: error, attempt: failures, retryAfterS: askedS || undefined, gaveUp: giveUp.signal.aborted || undefined }, 'getUpdates failed; polling again shortly');
        await sleep(Math.max(askedS * 1000, backoff(failures)));
        continue;
      } finally {
        clearTimeout(timer);
      }
      // A stop during the long poll: these updates are not confirmed and come again next start.
      if (stopped) return;
      try {
        for (const update of batch) {
          await options.accept(update);
          offset = update.update_id + 1;
        }
        failures = 0;
      } catch (error) {
        failures += 1;
        options.logger.warn({ err: error, attempt: failures }, 'could not store polled updates; asking for them again');
        await sleep(backoff(failures));
      }
    }
  };

  const done = loop().catch((error: unknown) => {
    dead = true;
    options.logger.error({ err: error }, 'the update poller stopped');
    throw error;
  });
  done.catch(() => undefined);
  return {
    healthy: () => !dead && !stopped && Date.now() - lastContact < staleMs,
    stop: () => {
      stopped = true;
    },
    done,
  };
}
