import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { I18n } from '../i18n/index.js';
import type { Services } from '../services/index.js';
import type { ApiCaller } from '../telegram/api-caller.js';
import type { DeliveryGuard, DeliveryJob, DeliveryKind, DeliveryOutcome, DeliveryText, WithheldHandler } from './types.js';

/** What the delivery worker, and the hooks features start with it, are built from. */
export interface DeliveryHookDeps {
  config: Config;
  redis: Redis;
  services: Services;
  i18n: I18n;
  api: ApiCaller;
  logger: Logger;
  lockDurationMs?: number;
  progressIntervalMs?: number;
  /** How often the counts in Redis are written to running broadcasts, in case a worker died. */
  reconcileIntervalMs?: number;
  /** How long a broadcast's queueing may stand still before a worker takes it over. */
  enqueueStaleMs?: number;
  /** The clock (file names of exports); tests set it. */
  now?: () => Date;
}

/** What a feature's hooks do while the worker runs. */
export interface DeliveryHooks {
  /** Told once per finished job (of any kind: the hook picks its own). */
  onOutcome?(job: DeliveryJob, outcome: DeliveryOutcome): Promise<void>;
  /** Stops the hook's own timers and workers, when the delivery worker closes. */
  close?(): Promise<void>;
}

/** The delivery kinds a feature sends, checked again when each job's time comes. */
export interface DeliveryRegistration {
  /**
   * The send-time guard per kind. `base` is the check every kind gets when no feature names it:
   * the recipient has not blocked the bot (and, for broadcasts, still wants announcements).
   */
  guards?: (services: Services, base: DeliveryGuard) => Partial<Record<DeliveryKind, DeliveryGuard>>;
  /** Per kind: the text of jobs queued without one, rendered when each is sent. */
  texts?: (services: Services) => Partial<Record<DeliveryKind, DeliveryText>>;
  /**
   * Per kind: what to do with a job whose staff actor (`DeliveryJob.actedBy`) lost the right to
   * it before it was sent. The job is withheld and audited either way; this lets the feature
   * mark the record for another member (a grant decision to confirm).
   */
  withheld?: (deps: DeliveryHookDeps) => Partial<Record<DeliveryKind, WithheldHandler>>;
  /** Started with the delivery worker (in the bot's process, or alone in worker-main.ts). */
  start?: (deps: DeliveryHookDeps) => DeliveryHooks;
}
