import type { DeliveryHookDeps, DeliveryHooks } from '../../delivery/hooks.js';
import { startGrantExportWorker } from '../../delivery/grant-export-queue.js';
import { GrantExportJob } from './grant-export-job.js';

/**
 * Started with the delivery worker (in the bot's process, or alone in worker-main.ts): the worker
 * of staff export jobs, which builds each applications CSV and sends it (see docs/access.md).
 */
export function startGrantExportHooks(deps: DeliveryHookDeps): DeliveryHooks & { close(): Promise<void> } {
  const job = new GrantExportJob({
    access: deps.services.access,
    grants: deps.services.grants,
    api: deps.api,
    i18n: deps.i18n,
    redis: deps.redis,
    prefix: deps.config.REDIS_PREFIX,
    now: deps.now ?? (() => new Date()),
  });
  const worker = startGrantExportWorker({
    redisUrl: deps.config.REDIS_URL,
    prefix: deps.config.REDIS_PREFIX,
    run: (request) => job.run(request),
    onGaveUp: (request) => job.gaveUp(request),
    logger: deps.logger,
    lockDurationMs: deps.lockDurationMs ?? deps.config.DELIVERY_LOCK_MS,
  });
  return {
    async close() {
      await worker.close();
    },
  };
}
