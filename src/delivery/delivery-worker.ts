import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { ApiCaller } from '../telegram/api-caller.js';
import type { DeliveryGuard, DeliveryJob, DeliveryKind, DeliveryOutcome, DeliveryText } from './types.js';
import { deliveryKeys, DELIVERY_QUEUE_NAME } from './keys.js';
import { fromStored, UnreadableJobError, type StoredJobData } from './stored-job.js';
import type { DataCipher } from '../security/crypto.js';
import { inlineMarkup } from '../telegram/inline-markup.js';

export interface DeliveryWorkerOptions {
  redisUrl: string;
  prefix: string;
  api: ApiCaller;
  /** Opens the job texts the queue sealed (the same DATA_KEY as the processes that enqueue). */
  cipher: DataCipher;
  /** Messages per second across ALL workers on this Redis (BullMQ's limiter is global). */
  ratePerSecond: number;
  /** Per kind: is the job still wanted at send time (user not blocked, still wants announcements...)? */
  guards?: Partial<Record<DeliveryKind, DeliveryGuard>>;
  /** Per kind: the text of a job queued without one (a broadcast's, in the job's language). */
  texts?: Partial<Record<DeliveryKind, DeliveryText>>;
  /** A 403: the user blocked the bot or the account is gone. */
  onBlocked: (chatId: number) => Promise<void>;
  /** Called exactly once per job with its final outcome (broadcast progress is counted here). */
  onResult?: (job: DeliveryJob, outcome: DeliveryOutcome) => Promise<void>;
  logger: Logger;
  /** Jobs in flight in this worker; also the most messages a SIGKILL can leave half-done. */
  concurrency?: number;
  /** How long a dead worker's jobs stay locked before another worker takes them over. */
  lockDurationMs?: number;
  /** Least time between two messages to one chat (ms; DELIVERY_CHAT_GAP_MS, default one second). */
  chatGapMs?: number;
  /** Send with `allow_paid_broadcast` (paid broadcasts, PAID_BROADCASTS): Telegram then allows up to 1,000/s. */
  paidBroadcast?: boolean;
}

export interface DeliveryWorkerHandle {
  close(): Promise<void>;
}

/** Telegram allows about one message per second to the same chat. */
const CHAT_GAP_MS = 1000;
const DONE_TTL_S = 7 * 24 * 3600;

/**
 * BullMQ's limiter only as a ceiling well above the rate, for the pause after a 429
 * (worker.rateLimit needs a limiter to act on). The rate itself is kept by the gate below: the
 * limiter lets `max` jobs start per window and then stops fetching until the window's key
 * expires, which lost the fetch latency at every window (0.92 of 25/s, 0.90 of 1,000/s).
 */
export function limiterFor(ratePerSecond: number): { max: number; duration: number } {
  return { max: Math.max(2, Math.ceil(ratePerSecond * 2)), duration: 1000 };
}

/**
 * Jobs in flight per worker: enough to keep every send slot taken while each job also waits on
 * Redis, the database and Telegram (400 ms of work per job at the rate: 10 at 25/s, 100, the
 * most, at paid broadcasts' 1,000/s). A slot nobody reserved in time is lost: with 5 in flight
 * at 25/s a job had 200 ms, and a 403 (the person is marked blocked) or a loaded database took
 * longer. A SIGKILL can leave at most this many sends unrecorded (sent again after a restart);
 * most of them are still waiting for their slot, not yet sent.
 */
export function defaultConcurrency(ratePerSecond: number): number {
  return Math.min(100, Math.max(4, Math.ceil(ratePerSecond / 2.5)));
}

/** The longest a job holds its slot waiting for its send time; later than that it is re-delayed. */
const MAX_RATE_WAIT_MS = 2000;

/**
 * One round trip right before a send, so the checks and the send are as close together as they
 * can be: already done (a restart after the send) → skip; cancelled while held → skip; a 429
 * pause still running → wait; the chat got a message less than a second ago → come back later.
 * Then the global rate, shared by every worker on this Redis: each send reserves the next free
 * slot, `1000 / rate` ms after the one before (GCRA, virtual scheduling), and the job waits
 * until its slot. The sends go out evenly spaced at exactly the rate, never in bursts, and no
 * slot is lost between windows. The chat's one-second gap counts from the reserved slot.
 */
const GATE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'done', 0} end
if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[5]) == 1 then return {'cancelled', 0} end
local paused = redis.call('PTTL', KEYS[3])
if paused > 0 then return {'paused', paused} end
local busy = redis.call('PTTL', KEYS[4])
if busy > 0 then return {'chat', busy} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local slot = tonumber(redis.call('GET', KEYS[6]) or '0')
if slot < now then slot = now end
-- Whole milliseconds from here on: a rate that does not divide 1000 (30 a second: a slot every
-- 33.3 ms) makes the wait fractional, and Redis refuses a fractional PX (the script would fail).
local wait = math.ceil(slot - now)
if wait > tonumber(ARGV[3]) then return {'rate', wait} end
redis.call('SET', KEYS[6], tostring(slot + tonumber(ARGV[2])), 'PX', 60000)
redis.call('SET', KEYS[4], '1', 'PX', math.ceil(tonumber(ARGV[1]) + wait))
return {'ok', wait}
`;

/**
 * Marks the job done and, for a broadcast, counts its outcome, in one atomic step: either both
 * happen or neither, so a worker killed at any point never loses or repeats a count.
 */
const RECORD_SCRIPT = `
if not redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX') then return false end
if KEYS[2] == '' then return {} end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('EXPIRE', KEYS[2], ARGV[2])
return redis.call('HGETALL', KEYS[2])
`;

interface GateRedis extends Redis {
  recordOnce(done: string, counts: string, status: string, ttlS: number): Promise<string[] | null>;
  deliveryGate(done: string, cancelled: string, pause: string, chat: string, broadcastCancelled: string, rate: string, gapMs: number, intervalMs: number, maxWaitMs: number): Promise<[string, number]>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}

export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorkerHandle {
  const { api, logger } = options;
  const log = logger.child({ component: 'delivery-worker' });
  const keys = deliveryKeys(options.prefix);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 }) as GateRedis;
  redis.defineCommand('deliveryGate', { numberOfKeys: 6, lua: GATE_SCRIPT });
  redis.defineCommand('recordOnce', { numberOfKeys: 2, lua: RECORD_SCRIPT });
  redis.on('error', (err) => log.warn({ err }, 'delivery redis error'));
  const concurrency = options.concurrency ?? defaultConcurrency(options.ratePerSecond);
  const chatGapMs = options.chatGapMs ?? CHAT_GAP_MS;
  // Fractional ms are fine: Lua numbers are doubles; the slot key keeps them as text.
  const intervalMs = 1000 / options.ratePerSecond;
  /** Until when this worker saw a 429: jobs waiting for their slot do not send before it passed. */
  let pausedUntil = 0;

  /** The outcome is recorded once per job id, whatever retries and restarts happen around it. */
  async function record(job: DeliveryJob, outcome: DeliveryOutcome): Promise<void> {
    const countsKey = job.broadcastId ? keys.broadcastCounts(job.broadcastId) : '';
    const recorded = await redis.recordOnce(keys.done(job.id), countsKey, outcome.status, DONE_TTL_S);
    if (!recorded || !options.onResult) return;
    if (job.broadcastId) {
      const totals: Record<string, number> = {};
      for (let i = 0; i + 1 < recorded.length; i += 2) totals[recorded[i]!] = Number(recorded[i + 1]);
      outcome = { ...outcome, totals };
    }
    try {
      await options.onResult(job, outcome);
    } catch (err) {
      // The message went (or definitely did not); retrying the job could send it twice. The
      // counts are safe in Redis and the next outcome (or the reconcile tick) writes them.
      // Job ids hold the recipient's chat id: log the kind and the broadcast, never the person.
      log.error({ err, kind: job.kind, broadcastId: job.broadcastId }, 'could not record a delivery outcome');
    }
  }

  async function pauseAll(ms: number): Promise<never> {
    await worker.rateLimit(ms);
    throw Worker.RateLimitError();
  }

  function opened(data: StoredJobData): DeliveryJob | undefined {
    try {
      return fromStored(data, options.cipher);
    } catch (err) {
      if (!(err instanceof UnreadableJobError)) throw err;
      log.error({ kind: data.kind, broadcastId: data.broadcastId }, 'a delivery job text cannot be opened: is DATA_KEY the same as where it was queued?');
      return undefined;
    }
  }

  async function handle(bull: Job<StoredJobData>, token?: string): Promise<string> {
    const job = opened(bull.data);
    if (!job) {
      // Retrying cannot help: the key that sealed it is not this worker's. Recorded once (the
      // text left out), so a broadcast's counts and the job's feature still hear of it.
      const { textSealed: _sealed, text: _text, notBefore: _at, ...rest } = bull.data;
      await record({ ...rest, text: '' }, { status: 'failed', reason: 'unreadable text' });
      throw new UnrecoverableError('unreadable text');
    }
    const guard = options.guards?.[job.kind];
    if (guard && !(await guard(job))) {
      await record(job, { status: 'skipped', reason: 'not wanted' });
      // Never sent, so nothing needs its text: a message to someone who deleted their data
      // meanwhile must not stay in the queue, sealed, for the week a finished job is kept.
      if (bull.data.textSealed !== undefined || bull.data.text) {
        const { textSealed: _sealed, ...rest } = bull.data;
        await bull.updateData({ ...rest, text: '' });
      }
      return 'skipped';
    }
    if (job.text === '') {
      const text = await options.texts?.[job.kind]?.(job);
      if (!text) {
        await record(job, { status: 'skipped', reason: 'no text' });
        return 'skipped';
      }
      job.text = text;
    }

    const [gate, waitMs] = await redis.deliveryGate(
      keys.done(job.id), keys.cancelled(job.id), keys.pause, keys.chat(job.chatId), keys.broadcastCancelled(job.broadcastId ?? '-'), keys.rate,
      chatGapMs, intervalMs, MAX_RATE_WAIT_MS,
    );
    if (gate === 'done') return 'already-done';
    if (gate === 'cancelled') {
      await record(job, { status: 'skipped', reason: 'cancelled' });
      return 'skipped';
    }
    // Another worker got a 429: every worker waits it out, and nobody sends before it passed.
    if (gate === 'paused') return pauseAll(Number(waitMs));
    if (gate === 'chat' || gate === 'rate') {
      // Why re-delay instead of sleeping: a sleeping job would hold a concurrency slot, and
      // BullMQ (without Pro's groups) has no per-chat limiter. A delayed job frees the slot at
      // once and comes back when the chat's second is over; moveToDelayed + DelayedError does not
      // count an attempt, so a busy chat never exhausts its retries.
      await bull.moveToDelayed(Date.now() + Number(waitMs), token);
      throw new DelayedError();
    }
    // The reserved slot (a few ms to a few hundred: in flight × 1000 / rate at most).
    if (Number(waitMs) > 0) {
      await sleep(Number(waitMs));
      // A 429 seen meanwhile, by this process or by another worker (the shared pause key), holds
      // this send too: sending into Telegram's retry_after window only earns more 429s.
      const sharedPause = Date.now() < pausedUntil ? 0 : await redis.pttl(keys.pause);
      const pauseMs = Math.max(pausedUntil - Date.now(), sharedPause);
      if (pauseMs > 0) {
        await redis.del(keys.chat(job.chatId));
        return pauseAll(pauseMs);
      }
    }

    try {
      const markup = job.buttons?.length
        ? {
            reply_markup: inlineMarkup(job.buttons),
          }
        : {};
      const paid = options.paidBroadcast ? { allow_paid_broadcast: true } : {};
      if (job.copy) {
        // An attachment an operator sent: copied, so the citizen never sees who sent it.
        const caption = job.copy.withoutCaption ? {} : { caption: job.text };
        await api.call('copyMessage', { chat_id: job.chatId, from_chat_id: job.copy.fromChatId, message_id: job.copy.messageId, ...caption, ...paid, ...markup });
      } else {
        await api.call('sendMessage', { chat_id: job.chatId, text: job.text, link_preview_options: { is_disabled: true }, ...paid, ...markup });
      }
    } catch (error) {
      const kind = api.classify(error);
      if (kind === 'rate-limited') {
        const ms = Math.max(1, api.retryAfter(error) ?? 1) * 1000;
        pausedUntil = Date.now() + ms;
        await redis.set(keys.pause, '1', 'PX', ms);
        // The chat did not get the message, so its one-per-second slot is free again.
        await redis.del(keys.chat(job.chatId));
        log.warn({ retryAfterMs: ms }, 'Telegram asked to slow down; all workers pause');
        return pauseAll(ms);
      }
      if (kind === 'forbidden') {
        await options.onBlocked(job.chatId);
        await record(job, { status: 'blocked' });
        return 'blocked';
      }
      const reason = describe(error);
      if (kind === 'bad-request') {
        await record(job, { status: 'failed', reason });
        throw new UnrecoverableError(reason);
      }
      // 5xx, network and unknown errors: BullMQ retries with exponential backoff.
      if (bull.attemptsMade + 1 >= (bull.opts.attempts ?? 1)) await record(job, { status: 'failed', reason });
      throw error;
    }
    await record(job, { status: 'sent' });
    return 'sent';
  }

  const worker: Worker<StoredJobData, string> = new Worker<StoredJobData, string>(DELIVERY_QUEUE_NAME, handle, {
    prefix: options.prefix,
    connection: { url: options.redisUrl, maxRetriesPerRequest: null },
    concurrency,
    limiter: limiterFor(options.ratePerSecond),
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.lockDurationMs ?? 30_000,
    // A SIGKILLed worker leaves its jobs "active"; the stalled check hands them to the living.
    // Allow a few such crashes per job before giving up on it.
    maxStalledCount: 5,
  });
  worker.on('error', (err) => log.error({ err }, 'delivery worker error'));
  worker.on('failed', (job, err) => {
    if (job) log.debug({ kind: job.name, broadcastId: job.data?.broadcastId, attemptsMade: job.attemptsMade, err: describe(err) }, 'delivery attempt failed');
  });

  return {
    async close() {
      await worker.close();
      redis.disconnect();
    },
  };
}
