import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createDataCipher } from '../security/crypto.js';
import { createI18n, type I18n } from '../i18n/index.js';
import { createServices, type Services } from '../services/index.js';
import { SessionStore } from '../session/session-store.js';
import { RedisMailbox, type ChatMailbox } from '../session/mailbox.js';
import type { DeliveryQueue } from '../delivery/types.js';
import type { ApiCaller, BotRuntime } from '../telegram/api-caller.js';
import { createGrammyRuntime } from '../telegram/grammy-runtime.js';
import { createTelegrafRuntime } from '../telegram/telegraf-runtime.js';
import { runtimeOver } from '../telegram/runtime-base.js';
import { FEATURES } from '../features/index.js';
import { buildRegistry, type Registry } from './registry.js';
import { createRouter } from './router.js';
import { UpdatePipeline } from './pipeline.js';
import type { AppDeps, Feature } from './types.js';

export interface BotDeps {
  redis: Redis;
  mongo: Connection;
  logger: Logger;
  /** Where out-of-band messages go; main.ts passes the BullMQ queue. */
  delivery: DeliveryQueue;
  now?: () => Date;
  /** Tests may run a bot with a subset of features. */
  features?: Feature[];
  /**
   * Scene tests: the chat mailbox (default: RedisMailbox on `redis`) and the Bot API caller
   * (default: the runtime's HTTP client). The pipeline, router and scenes stay the same.
   */
  mailbox?: ChatMailbox;
  api?: ApiCaller;
}

export interface KomekBot {
  /** Learns the bot's identity (getMe) before updates are handled. */
  init(): Promise<void>;
  runtime: BotRuntime;
  pipeline: UpdatePipeline;
  services: Services;
  registry: Registry;
  i18n: I18n;
  sessions: SessionStore;
  mailbox: ChatMailbox;
  deps: AppDeps;
}

/** Builds the whole bot from its dependencies; starts nothing (main.ts does). */
export async function createBot(config: Config, botDeps: BotDeps): Promise<KomekBot> {
  const now = botDeps.now ?? (() => new Date());
  const cipher = createDataCipher(config.DATA_KEY);
  const i18n = await createI18n();
  const services = createServices({
    connection: botDeps.mongo,
    redis: botDeps.redis,
    cipher,
    config,
    i18n,
    delivery: botDeps.delivery,
    logger: botDeps.logger,
    now,
  });
  const deps: AppDeps = { config, logger: botDeps.logger, redis: botDeps.redis, services, delivery: botDeps.delivery, now, connection: botDeps.mongo };
  const registry = buildRegistry(botDeps.features ?? FEATURES);
  const router = createRouter(registry, i18n);
  const prefix = `${config.REDIS_PREFIX}:chat`;
  const mailbox =
    botDeps.mailbox ??
    new RedisMailbox(botDeps.redis, {
      prefix,
      leaseMs: config.MAILBOX_LEASE_MS,
      seenTtlS: config.SEEN_TTL_S,
      sessionTtlS: config.SESSION_TTL_S,
      badSessionTtlS: config.BAD_SESSION_TTL_S,
      deadLettersMax: config.MAILBOX_DEAD_LETTERS_MAX,
    });
  const sessions = new SessionStore(mailbox, cipher);
  const pipeline = new UpdatePipeline(sessions, deps, i18n, registry, router, mailbox, cipher, {
    leaseMs: config.MAILBOX_LEASE_MS,
    pollMs: config.MAILBOX_POLL_MS,
    concurrency: config.MAILBOX_CONCURRENCY,
    retryBaseMs: config.MAILBOX_RETRY_BASE_MS,
    retryMaxMs: config.MAILBOX_RETRY_MAX_MS,
    maxAttempts: config.MAILBOX_MAX_ATTEMPTS,
    maxRetryAfterS: config.MAILBOX_MAX_RETRY_AFTER_S,
    shutdownMs: config.SHUTDOWN_MS,
  });
  const runtimeOptions = { pollTimeoutS: config.POLL_TIMEOUT_S };
  const create = config.BOT_FRAMEWORK === 'telegraf' ? createTelegrafRuntime : createGrammyRuntime;
  const runtime = botDeps.api
    ? runtimeOver(config.BOT_FRAMEWORK, botDeps.api, async () => undefined, pipeline, botDeps.logger, runtimeOptions)
    : create(config.BOT_TOKEN, config.TELEGRAM_API_ROOT, pipeline, botDeps.logger, runtimeOptions);
  // Workers start at once: a process also serves chats whose updates reached another process.
  pipeline.attach(runtime.api);
  deps.telegram = runtime.api;
  async function init(): Promise<void> {
    await runtime.init();
    const me = (await runtime.api.call('getMe', {})) as { username?: string };
    deps.botUsername = me.username;
  }
  return { init, runtime, pipeline, services, registry, i18n, sessions, mailbox, deps };
}
