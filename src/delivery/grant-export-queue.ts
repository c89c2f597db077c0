import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from '../logger.js';
import type { GrantExportRequest } from './types.js';

/**
 * Staff exports of grant applications are jobs, not work inside the update: the update only
 * queues the request and answers at once, and the job (which may run in another process, after
 * a restart, or again after an outage) reads the applications a batch at a time and sends the
 * file. BullMQ keeps the job in Redis until it is done, retries it with back-off, and hands it to
 * another worker if the one running it dies.
 */
export const GRANT_EXPORT_QUEUE_NAME = 'grant-export';

/** One export per requester at a time: a second tap while the first waits or runs adds nothing. */
export function grantExportJobId(userId: number): string {
  return `grant-export-${userId}`;
}

export interface GrantExportQueueOptions {
  redisUrl: string;
  prefix: string;
  /** Tries before the requester is told it failed (EXPORT_ATTEMPTS). */
  attempts: number;
  /** First back-off, doubling (EXPORT_RETRY_BASE_MS). */
  retryBaseMs: number;
}

export type GrantExportQueue = Queue<GrantExportRequest>;

export function createGrantExportQueue(options: GrantExportQueueOptions): GrantExportQueue {
  return new Queue<GrantExportRequest>(GRANT_EXPORT_QUEUE_NAME, {
    prefix: options.prefix,
    connection: { url: options.redisUrl, maxRetriesPerRequest: null },
    defaultJobOptions: {
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.retryBaseMs },
      // A finished job frees the requester's id at once, so their next export can be queued; a
      // failed one stays a while for staff to look at, and is replaced by the next request.
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

/** Queues the export unless this requester already has one waiting or running. */
export async function requestGrantExport(queue: GrantExportQueue, request: GrantExportRequest): Promise<'queued' | 'in-flight'> {
  const jobId = grantExportJobId(request.userId);
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    // The same request again (its update was retried after a failure) is the job already queued.
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return existing.data.requestId === request.requestId ? 'queued' : 'in-flight';
    await existing.remove();
  }
  // A tap in another process between the look-up and here finds the same id: BullMQ adds it once.
  await queue.add('export', request, { jobId });
  return 'queued';
}

export interface GrantExportWorkerOptions {
  redisUrl: string;
  prefix: string;
  /**
   * Runs one export. Throws a passing error (database, Redis, Telegram busy) to be retried; throws
   * `UnrecoverableError` for one that would only repeat.
   */
  run: (request: GrantExportRequest) => Promise<string>;
  /** The last try failed, or the failure cannot pass: tell the requester. */
  onGaveUp: (request: GrantExportRequest) => Promise<void>;
  logger: Logger;
  lockDurationMs?: number;
}

/**
 * Starts of one export whose process died while running it (BullMQ's stalled check handed it on)
 * before the requester is told it failed. An export that kills its process every time (a file
 * too big for memory) would otherwise be failed by BullMQ's own stalled limit in silence.
 */
export const EXPORT_DEATHS_ALLOWED = 2;

/** Starts that neither finished nor recorded a failure: each one a process that died running it. */
export function deathsBefore(job: Pick<Job, 'attemptsStarted' | 'attemptsMade'>): number {
  return Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
}

export function startGrantExportWorker(options: GrantExportWorkerOptions): Worker<GrantExportRequest, string> {
  const log = options.logger.child({ component: 'grant-export' });
  const lockDuration = options.lockDurationMs ?? 30_000;
  const worker = new Worker<GrantExportRequest, string>(
    GRANT_EXPORT_QUEUE_NAME,
    async (job: Job<GrantExportRequest>) => {
      const deaths = deathsBefore(job);
      if (deaths > EXPORT_DEATHS_ALLOWED) {
        log.error({ deaths }, 'grant export stopped its process too often; gave up without running it again');
        await options.onGaveUp(job.data).catch((err: unknown) => log.warn({ err }, 'could not tell the requester the export failed'));
        throw new UnrecoverableError('the export stopped its process too often');
      }
      try {
        return await options.run(job.data);
      } catch (error) {
        const last = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        // Logged by type and try number only: the request names a person, the error may quote data.
        log.warn({ err: error, attempt: job.attemptsMade + 1, last }, last ? 'grant export gave up' : 'grant export failed; it will be retried');
        if (last) await options.onGaveUp(job.data).catch((err: unknown) => log.warn({ err }, 'could not tell the requester the export failed'));
        throw error;
      }
    },
    {
      prefix: options.prefix,
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      // Exports are rare and each holds its file in memory while it is sent: one at a time.
      concurrency: 1,
      lockDuration,
      stalledInterval: lockDuration,
      // One more than the deaths we allow: the start after the last allowed death is ours to
      // fail (telling the requester), before BullMQ's stalled limit would fail it silently.
      maxStalledCount: EXPORT_DEATHS_ALLOWED + 1,
    },
  );
  worker.on('error', (err) => log.warn({ err }, 'grant export worker error'));
  return worker;
}
