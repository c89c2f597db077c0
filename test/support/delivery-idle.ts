// "Exactly once" checks on the delivery queue: instead of a fixed pause after the first message
// (long enough, one hopes, for a second one), wait until the queue has nothing left to send.
import { Queue } from 'bullmq';
import { DELIVERY_QUEUE_NAME } from '../../src/delivery/keys.js';
import { until } from './until.js';

/**
 * A delayed job due within this long is still to come (a retry's back-off); one due later (a
 * reminder days ahead) is not. Due is judged as `timestamp + delay`: for a job delayed again
 * after it ran (a retry, the delivery gate) the timestamp is still its creation, so such a job
 * reads as due sooner than it is. That only makes the wait longer, never too short.
 */
const SOON_MS = 60_000;

/**
 * Waits until no delivery job is waiting, running or due soon: after that no further message can
 * come from the queue. The counts are one atomic read; the delayed jobs read after it must be
 * exactly those counted and all due later, so a job moving between states in between is seen.
 */
export async function untilDeliveryIdle(config: { REDIS_URL: string; REDIS_PREFIX: string }, timeoutMs = 30_000): Promise<void> {
  const queue = new Queue(DELIVERY_QUEUE_NAME, { prefix: config.REDIS_PREFIX, connection: { url: config.REDIS_URL } });
  try {
    await until('the delivery queue to have nothing left to send', async () => {
      const { delayed, ...busy } = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children', 'delayed');
      if (Object.values(busy).some((n) => n > 0)) return false;
      const later = (await queue.getDelayed()).filter((job) => job.timestamp + job.delay > Date.now() + SOON_MS);
      return later.length === delayed;
    }, timeoutMs, 50);
  } finally {
    await queue.close();
  }
}
