// Shared by the delivery tests: a real BullMQ queue and worker on the test Redis, talking to a
// local Bot API server through grammY, with every outcome recorded.
import { createLogger } from '../../src/logger.js';
import { createDeliveryQueue, type ClosableDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { startDeliveryWorker, type DeliveryWorkerHandle, type DeliveryWorkerOptions } from '../../src/delivery/delivery-worker.js';
import type { DeliveryJob, DeliveryOutcome } from '../../src/delivery/types.js';
import { grammyBot, grammyCaller } from '../../src/telegram/grammy-runtime.js';
import { startBotApiServer, type BotApiServer, type BotApiOptions } from '../../src/platform/bot-api/index.js';
import { testRedisPrefix, testRedisUrl } from '../support/isolation.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';
import { testCipher } from '../support/data-key.js';

export interface DeliveryRig {
  api: BotApiServer;
  /** Where the rig's queue lives, for tests that read Redis as it is. */
  redisUrl: string;
  prefix: string;
  queue: ClosableDeliveryQueue;
  outcomes: Array<{ job: DeliveryJob; outcome: DeliveryOutcome }>;
  blocked: number[];
  startWorker(extra?: Partial<DeliveryWorkerOptions>): DeliveryWorkerHandle;
  waitForOutcomes(count: number, timeoutMs?: number): Promise<void>;
  /** Until the queue has nothing left to send: then no further message (a retry, a duplicate) can come. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function createDeliveryRig(name: string, apiOptions: BotApiOptions = {}): Promise<DeliveryRig> {
  const api = await startBotApiServer(apiOptions);
  const redisUrl = testRedisUrl();
  const prefix = testRedisPrefix(name).slice(0, -1).replace(/:/g, '-');
  const cipher = testCipher();
  const queue = createDeliveryQueue({ redisUrl, prefix, cipher });
  const caller = grammyCaller(grammyBot(api.token, api.apiRoot));
  const outcomes: DeliveryRig['outcomes'] = [];
  const blocked: number[] = [];
  const workers: DeliveryWorkerHandle[] = [];
  return {
    api,
    redisUrl,
    prefix,
    queue,
    outcomes,
    blocked,
    startWorker(extra = {}) {
      const worker = startDeliveryWorker({
        redisUrl,
        prefix,
        api: caller,
        cipher,
        ratePerSecond: 100,
        onBlocked: async (chatId) => {
          blocked.push(chatId);
        },
        onResult: async (job, outcome) => {
          outcomes.push({ job, outcome });
        },
        logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
        ...extra,
      });
      workers.push(worker);
      return worker;
    },
    async waitForOutcomes(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (outcomes.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${outcomes.length} of ${count} outcomes within ${timeoutMs} ms`);
        await sleep(20);
      }
    },
    idle: () => untilDeliveryIdle({ REDIS_URL: redisUrl, REDIS_PREFIX: prefix }),
    async close() {
      for (const w of workers) await w.close();
      await queue.close();
      await api.stop();
    },
  };
}

export function textJob(id: string, chatId: number, extra: Partial<DeliveryJob> = {}): DeliveryJob {
  return { id, chatId, kind: 'notice', text: `message ${id}`, ...extra };
}
