import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { JOB_ID_PATTERN, type DeliveryJob, type DeliveryQueue } from './types.js';
import { deliveryKeys, DELIVERY_QUEUE_NAME } from './keys.js';
import { toStored, type StoredJobData } from './stored-job.js';
import type { DataCipher } from '../security/crypto.js';
import { createFanOutQueue, fanOutJobId } from './fanout-queue.js';
import { createGrantExportQueue, requestGrantExport } from './grant-export-queue.js';

export interface DeliveryQueueOptions {
  redisUrl: string;
  /** REDIS_PREFIX: BullMQ keys become `<prefix>:delivery:*`. */
  prefix: string;
  /** Seals each job's text before it goes to Redis (see stored-job.ts); the workers need the same DATA_KEY. */
  cipher: DataCipher;
  /** Tries and first back-off of export jobs (EXPORT_ATTEMPTS, EXPORT_RETRY_BASE_MS). */
  exportAttempts?: number;
  exportRetryBaseMs?: number;
  /** Where connection errors go; every Redis connection has a listener, so an outage logs lines, not stack traces. */
  logger?: Logger;
}

export type ClosableDeliveryQueue = DeliveryQueue & { close(): Promise<void> };

/**
 * Announcements take a priority, every other message none: BullMQ hands out jobs without one
 * first, so a person's own notice (a decision on their application, an operator's answer, a
 * mission reminder) queued during a large announcement is not sent hours later, after it. The
 * announcement itself keeps its order and its rate.
 */
const BROADCAST_PRIORITY = 10;

/** addBulk is one Redis round trip per chunk; 500 keeps each script short enough not to stall Redis. */
const CHUNK = 500;
const DAY_S = 24 * 3600;
/** As long as the longest BullMQ keeps a job (failed ones, see JOB_DEFAULTS), and a day more. */
const CHAT_INDEX_TTL_S = 31 * DAY_S;

/**
 * Completed jobs are kept a week so that enqueuing the same id again (a second tap on "Send", a
 * bot restarted half-way through enqueuing) is a no-op: BullMQ ignores an id it still holds.
 */
export const JOB_DEFAULTS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * DAY_S },
  removeOnFail: { age: 30 * DAY_S },
};

export function validateJob(job: DeliveryJob): void {
  if (!JOB_ID_PATTERN.test(job.id)) {
    throw new Error(`delivery job id "${job.id}" must be 1-200 characters of A-Z a-z 0-9 _ . - (BullMQ forbids ':')`);
  }
  if (!Number.isSafeInteger(job.chatId) || job.chatId === 0) throw new Error(`delivery job ${job.id}: chatId must be an integer`);
  // A broadcast job may leave its text to the worker (rendered from the broadcast in `locale`).
  const renderedLater = job.text === '' && job.kind === 'broadcast' && job.broadcastId !== undefined && job.locale !== undefined;
  if (!renderedLater && (job.text.trim() === '' || job.text.length > 4096)) throw new Error(`delivery job ${job.id}: text must be 1-4096 characters`);
}

export function createDeliveryQueue(options: DeliveryQueueOptions): ClosableDeliveryQueue {
  const queue = new Queue<StoredJobData>(DELIVERY_QUEUE_NAME, {
    prefix: options.prefix,
    connection: { url: options.redisUrl, maxRetriesPerRequest: null },
    defaultJobOptions: JOB_DEFAULTS,
  });
  const fanOutQueue = createFanOutQueue(options);
  const exportQueue = createGrantExportQueue({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    attempts: options.exportAttempts ?? 10,
    retryBaseMs: options.exportRetryBaseMs ?? 2000,
  });
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const onError = (err: Error) => options.logger?.warn({ err }, 'delivery queue redis error');
  queue.on('error', onError);
  exportQueue.on('error', onError);
  redis.on('error', onError);
  const keys = deliveryKeys(options.prefix);

  async function removeOne(id: string): Promise<boolean> {
    const removed = await queue.remove(id);
    if (removed === 1) return true;
    // 0: the job is not there, or a worker holds it right now. Mark the latter so the worker
    // drops it at its last check before sending.
    const job = await queue.getJob(id);
    if (job && (await job.getState()) === 'active') await redis.set(keys.cancelled(id), '1', 'EX', DAY_S);
    return false;
  }

  /**
   * A job a worker holds cannot be removed, and BullMQ keeps it a week once done: its text is
   * taken out of it now (the worker has what it needs in hand, and a retry finds nothing to send).
   */
  async function forgetText(id: string): Promise<void> {
    const job = await queue.getJob(id);
    if (!job || (job.data.textSealed === undefined && !job.data.text)) return;
    const { textSealed: _sealed, ...rest } = job.data;
    await job.updateData({ ...rest, text: '' });
  }

  /**
   * Written before the jobs, so a process that dies in between leaves an id with no job (removing
   * it later is a no-op), never a job that erasure cannot find. Broadcast jobs carry no text and
   * may number 200,000: they are not indexed.
   */
  async function indexByChat(jobs: DeliveryJob[]): Promise<void> {
    const byChat = new Map<number, string[]>();
    for (const job of jobs) if (job.text !== '') byChat.set(job.chatId, [...(byChat.get(job.chatId) ?? []), job.id]);
    if (byChat.size === 0) return;
    const pipeline = redis.pipeline();
    for (const [chatId, ids] of byChat) pipeline.sadd(keys.chatJobs(chatId), ...ids).expire(keys.chatJobs(chatId), CHAT_INDEX_TTL_S);
    await pipeline.exec();
  }

  return {
    async enqueue(jobs) {
      jobs.forEach(validateJob);
      await indexByChat(jobs);
      const now = Date.now();
      // The chunks go out together: ioredis pipelines them on one connection, so a page costs
      // about one round trip, while each chunk is still its own short MULTI in Redis.
      const chunks: DeliveryJob[][] = [];
      for (let i = 0; i < jobs.length; i += CHUNK) chunks.push(jobs.slice(i, i + CHUNK));
      await Promise.all(chunks.map((chunk) =>
        queue.addBulk(
          chunk.map((job) => ({
            name: job.kind,
            data: toStored(job, options.cipher),
            opts: {
              jobId: job.id,
              ...(job.kind === 'broadcast' ? { priority: BROADCAST_PRIORITY } : {}),
              ...(job.notBefore && job.notBefore.getTime() > now ? { delay: job.notBefore.getTime() - now } : {}),
            },
          })),
        ),
      ));
    },

    async cancel(ids) {
      for (const id of ids) {
        if (!JOB_ID_PATTERN.test(id)) continue;
        await removeOne(id);
      }
    },

    async forgetChat(chatId) {
      const ids = await redis.smembers(keys.chatJobs(chatId));
      let removed = 0;
      // removeOne takes completed and failed jobs too; one a worker holds is dropped at its last check.
      for (const id of ids) {
        if (await removeOne(id)) removed += 1;
        else await forgetText(id);
      }
      // Only the ids read: one queued to the person meanwhile stays for the next erasure to find.
      if (ids.length) await redis.srem(keys.chatJobs(chatId), ...ids);
      return removed;
    },

    async cancelBroadcast(broadcastId) {
      // Scanning waiting and delayed jobs costs a moment once per cancel; a per-broadcast index
      // would cost a write per recipient on every broadcast instead.
      // First the marker every worker checks right before sending, so jobs held at this moment or
      // missed by the scan below are dropped too.
      await redis.set(keys.broadcastCancelled(broadcastId), '1', 'EX', 30 * DAY_S);
      let removed = 0;
      const page = 1000;
      for (const state of ['delayed', 'wait', 'prioritized'] as const) {
        let offset = 0;
        for (;;) {
          const jobs = await queue.getJobs([state], offset, offset + page - 1, true);
          const mine = jobs.filter((j) => j?.data?.broadcastId === broadcastId && j.id);
          let here = 0;
          for (let i = 0; i < mine.length; i += 100) {
            const results = await Promise.all(mine.slice(i, i + 100).map((j) => removeOne(j.id!)));
            here += results.filter(Boolean).length;
          }
          removed += here;
          if (jobs.length < page) break;
          // Removed jobs leave the list, so the next page starts that much earlier.
          offset += jobs.length - here;
        }
      }
      return removed;
    },

    async fanOut(broadcastId) {
      const jobId = fanOutJobId(broadcastId);
      const existing = await fanOutQueue.getJob(jobId);
      // A job that gave up (its attempts used up while Redis or the database was down) is run
      // again; one that waits or runs is left alone; a completed one has nothing left to do
      // unless the broadcast says otherwise, so it is replaced.
      if (existing) {
        const state = await existing.getState();
        if (state === 'failed') return existing.retry();
        if (state !== 'completed') return;
        await existing.remove();
      }
      await fanOutQueue.add('fan-out', { broadcastId }, { jobId });
    },

    exportGrants: (request) => requestGrantExport(exportQueue, request),

    async close() {
      await queue.close();
      await fanOutQueue.close();
      await exportQueue.close();
      redis.disconnect();
    },
  };
}
