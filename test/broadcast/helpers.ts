// A whole bot with the real BullMQ queue and the in-process delivery worker, as main.ts wires it.
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { createDeliveryQueue, type ClosableDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { startBotDeliveryWorker, type BotWorkerDeps } from '../../src/delivery/bot-worker.js';
import type { DeliveryWorkerHandle } from '../../src/delivery/delivery-worker.js';
import { testRedisUrl } from '../support/isolation.js';
import { createLogger } from '../../src/logger.js';
import { randomBytes } from 'node:crypto';
import { testCipher } from '../support/data-key.js';

export interface BroadcastApp {
  app: TestApp;
  queue: ClosableDeliveryQueue;
  worker: DeliveryWorkerHandle;
  /** Stops the delivery worker (as a stopped or killed process would) without starting another. */
  stopWorker(): Promise<void>;
  /** Starts a new delivery worker, as a restarted process does. */
  startWorker(): void;
  close(): Promise<void>;
}

type WorkerTuning = Pick<BotWorkerDeps, 'reconcileIntervalMs' | 'enqueueStaleMs' | 'progressIntervalMs'>;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function createBroadcastApp(
  name: string,
  options: { staffId: number; rate?: number; worker?: WorkerTuning; env?: Record<string, string> },
): Promise<BroadcastApp> {
  const prefix = `t-${randomBytes(5).toString('hex')}`;
  const queue = createDeliveryQueue({ redisUrl: testRedisUrl(), prefix, cipher: testCipher() });
  const app = await createTestApp(name, {
    adminIds: [options.staffId],
    delivery: queue,
    redisPrefix: prefix,
    env: { DELIVERY_RATE: String(options.rate ?? 100), ...options.env },
  });
  const start = () =>
    startBotDeliveryWorker({
      config: app.config,
      redis: app.redis,
      services: app.bot.services,
      i18n: app.bot.i18n,
      api: app.bot.runtime.api,
      logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      progressIntervalMs: 300,
      ...options.worker,
    });
  let running: DeliveryWorkerHandle | undefined = start();
  const rig: BroadcastApp = {
    app,
    queue,
    worker: running,
    async stopWorker() {
      await running?.close();
      running = undefined;
    },
    startWorker() {
      running = start();
      rig.worker = running;
    },
    async close() {
      await running?.close();
      await queue.close();
      await app.close();
    },
  };
  return rig;
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Staff menu → Send an announcement. */
export async function openCompose(app: TestApp, staff: number): Promise<void> {
  await app.command(staff, 'menu');
  await app.tapLike(staff, 'Staff');
  await app.tapLike(staff, 'Send an announcement');
}

export { onboard };
