import { Queue, Worker, type Job } from 'bullmq';
import type { Logger } from '../logger.js';

/**
 * Broadcasts are queued by a job of their own, not inside the staff member's update: the job
 * streams the audience from the database a page at a time (BroadcastsService.runFanOut). BullMQ
 * gives it to another worker if the one running it dies (its lock lapses), and the job carries
 * on from the broadcast's cursor, so nobody is skipped or queued twice.
 */
export const FANOUT_QUEUE_NAME = 'broadcast-fanout';

export interface FanOutData {
  broadcastId: string;
}

/** What the job reports while it runs (Job.progress), e.g. for a dashboard. */
export interface FanOutProgress {
  queued: number;
  total: number;
}

export function fanOutJobId(broadcastId: string): string {
  return `fanout-${broadcastId}`;
}

export interface FanOutQueueOptions {
  redisUrl: string;
  prefix: string;
}

export function createFanOutQueue(options: FanOutQueueOptions): Queue<FanOutData> {
  return new Queue<FanOutData>(FANOUT_QUEUE_NAME, {
    prefix: options.prefix,
    connection: { url: options.redisUrl, maxRetriesPerRequest: null },
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}

export interface FanOutWorkerOptions extends FanOutQueueOptions {
  /** Queues the broadcast's recipients from its cursor on; reports each page. */
  run: (broadcastId: string, onPage: (queued: number, total: number) => Promise<void>) => Promise<number | null>;
  logger: Logger;
  /** How long a dead worker's fan-out stays locked before another worker carries it on (ms). */
  lockDurationMs?: number;
}

export function startFanOutWorker(options: FanOutWorkerOptions): Worker<FanOutData> {
  const log = options.logger.child({ component: 'broadcast-fanout' });
  const worker = new Worker<FanOutData>(
    FANOUT_QUEUE_NAME,
    async (job: Job<FanOutData>) => {
      const started = Date.now();
      const queued = await options.run(job.data.broadcastId, async (n, total) => {
        await job.updateProgress({ queued: n, total } satisfies FanOutProgress);
      });
      log.info({ broadcastId: job.data.broadcastId, queued, ms: Date.now() - started }, 'broadcast fan-out finished');
      return queued;
    },
    {
      prefix: options.prefix,
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      // One broadcast at a time per worker: queueing is bound by Redis and the database, not CPU.
      concurrency: 1,
      lockDuration: options.lockDurationMs ?? 30_000,
    },
  );
  worker.on('failed', (job, err) => log.warn({ err, broadcastId: job?.data.broadcastId, attempt: job?.attemptsMade }, 'broadcast fan-out failed; it will be retried'));
  worker.on('error', (err) => log.warn({ err }, 'broadcast fan-out worker error'));
  return worker;
}
