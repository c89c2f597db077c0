import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { I18n } from '../i18n/index.js';
import type { Services } from '../services/index.js';
import type { ApiCaller } from '../telegram/api-caller.js';
import { BroadcastProgress } from '../services/broadcast-progress.js';
import { startFanOutWorker } from './fanout-queue.js';
import { startDeliveryWorker, type DeliveryWorkerHandle } from './delivery-worker.js';
import type { DeliveryGuard, DeliveryKind } from './types.js';
import { onRelayOutcome } from '../features/inquiries/relay-outcome.js';
import { startGrantExportWorker } from './grant-export-queue.js';
import { GrantExportJob } from '../services/grant-export-job.js';

/**
 * The send-time checks the bot wires in: every kind skips users who blocked the bot; broadcasts
 * also skip people who turned announcements off (their own notices still go) and cancelled
 * broadcasts; mission messages also ask the missions service whether they still apply.
 */
export function deliveryGuards(services: Services): Partial<Record<DeliveryKind, DeliveryGuard>> {
  const base: DeliveryGuard = (job) => services.broadcasts.deliveryWanted(job);
  const mission: DeliveryGuard = async (job) => (await base(job)) && services.missions.isDeliveryWanted(job);
  // Sent for the staff member who wrote it: their access is checked again as each job runs.
  const broadcast: DeliveryGuard = async (job) =>
    (!job.broadcastId || (await services.broadcastAuthority.stillAllowed(job.broadcastId))) && base(job);
  return {
    broadcast,
    notice: base,
    'grant-status': base,
    // A blocked citizen's answer is still tried: the 403 is what tells the operator in the topic.
    'inquiry-relay': async () => true,
    'mission-invite': mission,
    'mission-reminder': mission,
    'mission-notice': mission,
  };
}

/** Messages per second of the delivery queue: the paid-broadcast rate when that is on. */
export function deliveryRate(config: Config): number {
  return config.PAID_BROADCASTS ? config.PAID_BROADCAST_RATE : config.DELIVERY_RATE;
}

export interface BotWorkerDeps {
  config: Config;
  redis: Redis;
  services: Services;
  i18n: I18n;
  api: ApiCaller;
  logger: Logger;
  concurrency?: number;
  lockDurationMs?: number;
  progressIntervalMs?: number;
  /** How often the counts in Redis are written to running broadcasts, in case a worker died. */
  reconcileIntervalMs?: number;
  /** How long a broadcast's queueing may stand still before a worker takes it over. */
  enqueueStaleMs?: number;
  /** The clock of file names (tests set it). */
  now?: () => Date;
}

export type ExportWorkerDeps = Pick<BotWorkerDeps, 'config' | 'redis' | 'services' | 'i18n' | 'api' | 'logger' | 'lockDurationMs' | 'now'>;

/** The worker of staff export jobs (runs beside the delivery worker; tests start it alone). */
export function startBotExportWorker(deps: ExportWorkerDeps): { close(): Promise<void> } {
  const exportJob = new GrantExportJob({
    access: deps.services.access,
    grants: deps.services.grants,
    api: deps.api,
    i18n: deps.i18n,
    redis: deps.redis,
    prefix: deps.config.REDIS_PREFIX,
    now: deps.now ?? (() => new Date()),
  });
  return startGrantExportWorker({
    redisUrl: deps.config.REDIS_URL,
    prefix: deps.config.REDIS_PREFIX,
    run: (request) => exportJob.run(request),
    onGaveUp: (request) => exportJob.gaveUp(request),
    logger: deps.logger,
    lockDurationMs: deps.lockDurationMs ?? deps.config.DELIVERY_LOCK_MS,
  });
}

/** The delivery worker as the bot runs it (in process, or alone via worker-main.ts). */
export function startBotDeliveryWorker(deps: BotWorkerDeps): DeliveryWorkerHandle {
  const progress = new BroadcastProgress({
    api: deps.api,
    broadcasts: deps.services.broadcasts,
    i18n: deps.i18n,
    redis: deps.redis,
    prefix: deps.config.REDIS_PREFIX,
    ratePerSecond: deliveryRate(deps.config),
    logger: deps.logger,
    intervalMs: deps.progressIntervalMs,
    enqueueStaleMs: deps.enqueueStaleMs,
  });
  const worker = startDeliveryWorker({
    redisUrl: deps.config.REDIS_URL,
    prefix: deps.config.REDIS_PREFIX,
    api: deps.api,
    ratePerSecond: deliveryRate(deps.config),
    paidBroadcast: deps.config.PAID_BROADCASTS,
    guards: deliveryGuards(deps.services),
    onBlocked: (chatId) => deps.services.users.setBlockedByChat(chatId),
    onResult: async (job, outcome) => {
      if (job.broadcastId) await progress.onOutcome(job.broadcastId, outcome);
      if (job.kind === 'inquiry-relay' && job.ref) await onRelayOutcome(deps, job.ref, outcome);
    },
    logger: deps.logger,
    concurrency: deps.concurrency ?? deps.config.DELIVERY_CONCURRENCY,
    lockDurationMs: deps.lockDurationMs ?? deps.config.DELIVERY_LOCK_MS,
  });
  const fanOut = startFanOutWorker({
    redisUrl: deps.config.REDIS_URL,
    prefix: deps.config.REDIS_PREFIX,
    run: (id, onPage) => deps.services.broadcasts.runFanOut(id, onPage),
    logger: deps.logger,
    lockDurationMs: deps.lockDurationMs ?? deps.config.DELIVERY_LOCK_MS,
  });
  const exports = startBotExportWorker(deps);
  const log = deps.logger.child({ component: 'broadcast-reconcile' });
  const reconcile = () => progress.reconcile().catch((err: unknown) => log.warn({ err }, 'broadcast reconcile failed'));
  void reconcile();
  const timer = setInterval(() => void reconcile(), deps.reconcileIntervalMs ?? 15_000);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await Promise.all([worker.close(), fanOut.close(), exports.close()]);
    },
  };
}
