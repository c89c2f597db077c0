import type { AppDeps, Feature } from './types.js';

/**
 * Runs every feature's repair passes once, one after another. A pass that fails is logged and
 * the others still run: each is tried again at the next tick.
 */
export async function runRepairs(features: readonly Feature[], deps: AppDeps): Promise<number> {
  const log = deps.logger.child({ component: 'repair-tick' });
  let finished = 0;
  for (const feature of features) {
    for (const pass of feature.repairs ?? []) {
      try {
        const done = await pass.run(deps);
        if (done > 0) log.info({ feature: feature.id, pass: pass.name, finished: done }, 'work a stopped process left undone is finished');
        finished += done;
      } catch (err) {
        log.warn({ err, feature: feature.id, pass: pass.name }, 'repair pass failed; tried again at the next tick');
      }
    }
  }
  return finished;
}

/**
 * The repair tick of a bot process: at start (what the previous process left) and every minute.
 * A tick still running when the next one is due is not doubled; the passes are safe to run in
 * several processes at once all the same.
 */
export function startRepairTick(features: readonly Feature[], deps: AppDeps, everyMs = 60_000): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    running ??= runRepairs(features, deps)
      .catch((err: unknown) => deps.logger.warn({ err }, 'repair tick failed'))
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
