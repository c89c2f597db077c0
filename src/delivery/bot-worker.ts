import type { Feature } from '../app/types.js';
import type { Services } from '../services/index.js';
import { FEATURES } from '../features/index.js';
import { deliveryRate } from './rate.js';
import { startDeliveryWorker, type DeliveryWorkerHandle } from './delivery-worker.js';
import type { DeliveryHookDeps, DeliveryHooks } from './hooks.js';
import type { DeliveryGuard, DeliveryKind, DeliveryText, WithheldHandler } from './types.js';
import { actorCheck, withActorCheck } from './actor-check.js';
import { createDataCipher } from '../security/crypto.js';

export type BotWorkerDeps = DeliveryHookDeps & {
  concurrency?: number;
  /** The features whose guards and hooks run; all of the bot's by default. */
  features?: Feature[];
};

/**
 * The send-time checks the features register per kind. A kind no feature names gets the base
 * check: the recipient has not blocked the bot (and, for broadcasts, still wants announcements).
 */
export function deliveryGuards(services: Services, features: Feature[] = FEATURES): Record<DeliveryKind, DeliveryGuard> {
  const base: DeliveryGuard = (job) => services.broadcasts.deliveryWanted(job);
  const guards: Partial<Record<DeliveryKind, DeliveryGuard>> = {};
  for (const feature of features) {
    for (const [kind, guard] of Object.entries(feature.delivery?.guards?.(services, base) ?? {}) as Array<[DeliveryKind, DeliveryGuard]>) {
      if (guards[kind]) throw new Error(`Two features register a delivery guard for "${kind}"`);
      guards[kind] = guard;
    }
  }
  const all: DeliveryKind[] = ['broadcast', 'notice', 'grant-status', 'inquiry-relay', 'mission-invite', 'mission-reminder', 'mission-notice'];
  return Object.fromEntries(all.map((kind) => [kind, guards[kind] ?? base])) as Record<DeliveryKind, DeliveryGuard>;
}

/** How the features render the text of jobs queued without one, per kind. */
export function deliveryTexts(services: Services, features: Feature[] = FEATURES): Partial<Record<DeliveryKind, DeliveryText>> {
  const texts: Partial<Record<DeliveryKind, DeliveryText>> = {};
  for (const feature of features) {
    for (const [kind, text] of Object.entries(feature.delivery?.texts?.(services) ?? {}) as Array<[DeliveryKind, DeliveryText]>) {
      if (texts[kind]) throw new Error(`Two features render the text of "${kind}"`);
      texts[kind] = text;
    }
  }
  return texts;
}

/** What the features do with jobs withheld because their staff actor lost the right to them. */
export function withheldHandlers(deps: DeliveryHookDeps, features: Feature[] = FEATURES): Partial<Record<DeliveryKind, WithheldHandler>> {
  const handlers: Partial<Record<DeliveryKind, WithheldHandler>> = {};
  for (const feature of features) {
    for (const [kind, handler] of Object.entries(feature.delivery?.withheld?.(deps) ?? {}) as Array<[DeliveryKind, WithheldHandler]>) {
      if (handlers[kind]) throw new Error(`Two features register a withheld handler for "${kind}"`);
      handlers[kind] = handler;
    }
  }
  return handlers;
}

/** The delivery worker as the bot runs it (in process, or alone via worker-main.ts). */
export function startBotDeliveryWorker(deps: BotWorkerDeps): DeliveryWorkerHandle {
  const features = deps.features ?? FEATURES;
  // Started right after the worker, in the same tick, as before hooks were the features' own:
  // no job can finish before they listen.
  let hooks: DeliveryHooks[] = [];
  const worker = startDeliveryWorker({
    redisUrl: deps.config.REDIS_URL,
    prefix: deps.config.REDIS_PREFIX,
    api: deps.api,
    cipher: createDataCipher(deps.config.DATA_KEY),
    ratePerSecond: deliveryRate(deps.config),
    chatGapMs: deps.config.DELIVERY_CHAT_GAP_MS,
    paidBroadcast: deps.config.PAID_BROADCASTS,
    guards: withActorCheck(
      deliveryGuards(deps.services, features),
      actorCheck({ services: deps.services, redis: deps.redis, prefix: deps.config.REDIS_PREFIX, withheld: withheldHandlers(deps, features) }),
    ),
    texts: deliveryTexts(deps.services, features),
    onBlocked: (chatId) => deps.services.users.setBlockedByChat(chatId),
    onResult: async (job, outcome) => {
      for (const hook of hooks) await hook.onOutcome?.(job, outcome);
    },
    logger: deps.logger,
    concurrency: deps.concurrency ?? deps.config.DELIVERY_CONCURRENCY,
    lockDurationMs: deps.lockDurationMs ?? deps.config.DELIVERY_LOCK_MS,
  });
  hooks = features.flatMap((f) => (f.delivery?.start ? [f.delivery.start(deps)] : []));
  return {
    async close() {
      await Promise.all([worker.close(), ...hooks.map((hook) => hook.close?.())]);
    },
  };
}
