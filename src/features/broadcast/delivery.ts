import type { DeliveryGuard } from '../../delivery/types.js';
import type { DeliveryHookDeps, DeliveryHooks, DeliveryRegistration } from '../../delivery/hooks.js';
import { startFanOutWorker } from '../../delivery/fanout-queue.js';
import { deliveryRate } from '../../delivery/rate.js';
import { BroadcastProgress } from './broadcast-progress.js';

/**
 * With the delivery worker: the progress message and final report of each broadcast, the worker
 * that queues a broadcast's recipients, and a periodic write of the counts kept in Redis to the
 * running broadcasts, in case a worker died between the two.
 */
function startBroadcastHooks(deps: DeliveryHookDeps): DeliveryHooks {
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
  const log = deps.logger.child({ component: 'broadcast-reconcile' });
  const fanOut = startFanOutWorker({
    redisUrl: deps.config.REDIS_URL,
    prefix: deps.config.REDIS_PREFIX,
    run: (id, onPage) => deps.services.broadcasts.runFanOut(id, onPage),
    logger: deps.logger,
    lockDurationMs: deps.lockDurationMs ?? deps.config.DELIVERY_LOCK_MS,
  });
  // Everyone may have been served before queueing was marked done, when no outcome could finish
  // the broadcast: it is finished once its fan-out is over, not at the next reconcile tick (up to
  // 15 s later). A failure here is left to that tick.
  const settling = new Set<Promise<void>>();
  fanOut.on('completed', (job) => {
    const settled: Promise<void> = progress
      .afterFanOut(job.data.broadcastId)
      .catch((err: unknown) => log.warn({ err, broadcastId: job.data.broadcastId }, 'settling a queued broadcast failed'))
      .finally(() => settling.delete(settled));
    settling.add(settled);
  });
  const reconcile = () => progress.reconcile().catch((err: unknown) => log.warn({ err }, 'broadcast reconcile failed'));
  void reconcile();
  const timer = setInterval(() => void reconcile(), deps.reconcileIntervalMs ?? 15_000);
  timer.unref();
  return {
    async onOutcome(job, outcome) {
      if (job.broadcastId) await progress.onOutcome(job.broadcastId, outcome);
    },
    async close() {
      clearInterval(timer);
      await fanOut.close();
      await Promise.all(settling);
    },
  };
}

/** Sent for the staff member who wrote it: their access is checked again as each job runs. */
export const broadcastDelivery: DeliveryRegistration = {
  guards: (services, base) => {
    const broadcast: DeliveryGuard = async (job) =>
      (!job.broadcastId || (await services.broadcastAuthority.stillAllowed(job.broadcastId))) && base(job);
    return { broadcast };
  },
  // Broadcast jobs carry their language, not the text: rendered once per broadcast and language.
  texts: (services) => ({ broadcast: (job) => services.broadcasts.textOf(job) }),
  start: startBroadcastHooks,
};
