// Runs the whole bot (pipeline, router, engine, services) and lets a test talk to it as a user
// would. Two ways to carry it:
// - createSceneHarness: the chat mailbox in memory (MemoryMailbox, held to RedisMailbox by
//   test/mailbox/contract.test.ts) and Bot API calls straight into the built-in Bot API's state,
//   no HTTP. For scene and router tests; the services still keep their records in the test
//   FerretDB and their access cache in the test Redis, as in production.
// - createTestApp: the chat mailbox in the real test Redis and the built-in Bot API over HTTP,
//   through grammY's or Telegraf's client. For end-to-end, mailbox and reliability tests.
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import { createAppRedis } from '../../src/bootstrap.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { connectMongo } from '../../src/db/connect.js';
import { createBot, type KomekBot } from '../../src/app/create-bot.js';
import type { Feature } from '../../src/app/types.js';
import type { DeliveryJob, DeliveryQueue } from '../../src/delivery/types.js';
import { BotApiServer, startBotApiServer, type MessageState, type Update } from '../../src/platform/bot-api/index.js';
import { testMongoUri, testRedisUrl } from './isolation.js';
import { MemoryMailbox } from './memory-mailbox.js';
import { inProcessApi } from './in-process-api.js';
import { createGrantExportQueue, requestGrantExport, type GrantExportQueue } from '../../src/delivery/grant-export-queue.js';
import { startGrantExportHooks } from '../../src/features/grant/export-delivery.js';
import { TEST_DATA_KEY } from './data-key.js';
import { handBack, skipBuiltIndexes, takeEmptiedDatabase } from './database-pool.js';

export { TEST_DATA_KEY };

/** Records jobs instead of sending them; tests of the queue itself use the real BullMQ queue. */
export class RecordingDelivery implements DeliveryQueue {
  readonly jobs: DeliveryJob[] = [];
  /** Set by createTestApp: exports go to the real export queue and worker. */
  exportGrants?: DeliveryQueue['exportGrants'];
  readonly cancelled: string[] = [];
  async enqueue(jobs: DeliveryJob[]): Promise<void> {
    for (const job of jobs) if (!this.jobs.some((j) => j.id === job.id)) this.jobs.push(job);
  }
  async cancel(ids: string[]): Promise<void> {
    this.cancelled.push(...ids);
  }
  /** Chats whose jobs "delete my data" asked the queue to remove (the real queue: test/delivery/personal-data.test.ts). */
  readonly forgotten: number[] = [];
  async forgetChat(chatId: number): Promise<number> {
    this.forgotten.push(chatId);
    return this.to(chatId).length;
  }
  to(chatId: number): DeliveryJob[] {
    return this.jobs.filter((j) => j.chatId === chatId);
  }
}

export interface TestAppOptions {
  framework?: 'grammy' | 'telegraf';
  adminIds?: number[];
  now?: () => Date;
  features?: Feature[];
  delivery?: DeliveryQueue;
  env?: Record<string, string>;
  /** Reuse a database (e.g. to restart the bot over the same records). */
  mongoUri?: string;
  /**
   * Leave the database in place at close(), for a file whose tests share one (it drops it once
   * with dropTestDatabase). A fresh database costs FerretDB some sixty tables and indexes, built
   * as the models first meet it: a quarter of a second or more per app on a loaded machine.
   */
  keepDatabase?: boolean;
  redisPrefix?: string;
  /**
   * The per-chat gap of the delivery queue, shorter than the config allows (a second), for a test
   * whose answers wait on the gap but that is not about it.
   */
  chatGapMs?: number;
  /** Capture the bot's logs (e.g. to check that no personal data reaches them). */
  logger?: Logger;
  /**
   * Another app's Bot API (HTTP only): a restart of the bot with another configuration (e.g. a new
   * staff group) talks to the same Telegram. Left running at close(): its owner stops it.
   */
  api?: BotApiServer;
}

export interface TestApp {
  api: BotApiServer;
  bot: KomekBot;
  config: Config;
  redis: Redis;
  mongo: Connection;
  mongoUri: string;
  delivery: DeliveryQueue;
  /** Handles one update as a webhook would, and waits until it is done. */
  send(update: Update): Promise<void>;
  say(chatId: number, text: string, languageCode?: string): Promise<void>;
  command(chatId: number, command: string, args?: string, languageCode?: string): Promise<void>;
  /** Taps the inline button with exactly this text (e.g. "2. Russian"). */
  tap(chatId: number, buttonText: string): Promise<void>;
  /** Taps the inline button whose text contains this fragment. */
  tapLike(chatId: number, fragment: string): Promise<void>;
  /** Texts of the messages the bot sent (or edited) to this chat since the last call. */
  drain(chatId: number): string[];
  /** The latest message the user sees. */
  last(chatId: number): MessageState;
  /**
   * Stops this process's bot (its workers hand their chats back) but keeps the data, as a restart
   * or a deploy does. A second app over the same prefix must not race a first one still running:
   * either may take the chat, and the test would wait on the other process's Bot API.
   */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** The bot over the real test Redis mailbox and the built-in Bot API over HTTP. */
export function createTestApp(name: string, options: TestAppOptions = {}): Promise<TestApp> {
  return buildApp(name, options, 'http');
}

/** The same bot with its chat mailbox in memory and Bot API calls made in-process (no HTTP). */
export function createSceneHarness(name: string, options: TestAppOptions = {}): Promise<TestApp> {
  return buildApp(name, options, 'memory');
}

async function buildApp(name: string, options: TestAppOptions, carrier: 'http' | 'memory'): Promise<TestApp> {
  const api = options.api ?? (carrier === 'http' ? await startBotApiServer() : new BotApiServer());
  // See database-pool.ts for which apps take part, and why.
  const pooled = carrier === 'memory' && !options.mongoUri && !options.keepDatabase;
  const reused = pooled ? takeEmptiedDatabase() : undefined;
  const mongoUri = options.mongoUri ?? reused?.uri ?? testMongoUri(name);
  const prefix = options.redisPrefix ?? `t-${randomBytes(5).toString('hex')}`;
  const loaded = loadConfig({
    BOT_TOKEN: api.token,
    ...(carrier === 'http' ? { TELEGRAM_API_ROOT: api.apiRoot } : {}),
    BOT_FRAMEWORK: options.framework ?? 'grammy',
    REDIS_URL: testRedisUrl(),
    MONGODB_URI: mongoUri,
    DATA_KEY: TEST_DATA_KEY,
    ADMIN_IDS: (options.adminIds ?? []).join(','),
    REDIS_PREFIX: prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  });
  const config: Config = options.chatGapMs === undefined ? loaded : { ...loaded, DELIVERY_CHAT_GAP_MS: options.chatGapMs };
  const redis = createAppRedis(config);
  const mongo = await connectMongo(config.MONGODB_URI);
  if (reused) skipBuiltIndexes(mongo, reused.built);
  const delivery: DeliveryQueue = options.delivery ?? new RecordingDelivery();
  const bot = await createBot(config, {
    redis,
    mongo,
    logger: options.logger ?? createLogger(config.LOG_LEVEL),
    delivery,
    now: options.now,
    features: options.features,
    ...(carrier === 'memory'
      ? {
          api: inProcessApi(api),
          mailbox: new MemoryMailbox({
            leaseMs: config.MAILBOX_LEASE_MS,
            seenTtlS: config.SEEN_TTL_S,
            sessionTtlS: config.SESSION_TTL_S,
            badSessionTtlS: config.BAD_SESSION_TTL_S,
            deadLettersMax: config.MAILBOX_DEAD_LETTERS_MAX,
          }),
        }
      : {}),
  });
  await bot.init();
  // Staff exports are real BullMQ jobs on the test Redis, run by the export worker as the bot
  // runs it; both start with the first export, so tests that export nothing pay nothing.
  let exports: { queue: GrantExportQueue; worker: { close(): Promise<void> } } | undefined;
  const startExports = () =>
    (exports ??= {
      queue: createGrantExportQueue({ redisUrl: config.REDIS_URL, prefix, attempts: config.EXPORT_ATTEMPTS, retryBaseMs: config.EXPORT_RETRY_BASE_MS }),
      worker: startGrantExportHooks({ config, redis, services: bot.services, i18n: bot.i18n, api: bot.runtime.api, logger: bot.deps.logger, now: options.now }),
    });
  delivery.exportGrants ??= (request) => requestGrantExport(startExports().queue, request);
  const seen = new Map<number, number>();
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await bot.runtime.stop();
      await exports?.worker.close();
      await exports?.queue.close();
    })());

  const send = async (update: Update) => {
    await bot.runtime.handleUpdate(update);
  };

  function findButton(chatId: number, match: (text: string) => boolean): Update {
    const visible = api.visibleMessages(chatId);
    for (let i = visible.length - 1; i >= 0; i--) {
      const state = visible[i]!;
      for (let r = 0; r < state.buttons.length; r++) {
        const c = state.buttons[r]!.findIndex(match);
        if (c !== -1) return api.callback(chatId, state.callbackData[r]![c]!, state.messageId, { enqueue: false });
      }
    }
    const all = visible.flatMap((m) => m.buttons.flat());
    throw new Error(`No button matching in chat ${chatId}; buttons: ${all.join(' | ') || 'none'}`);
  }

  return {
    api,
    bot,
    config,
    redis,
    mongo,
    mongoUri,
    delivery,
    send,
    say: (chatId, text, languageCode) => send(api.text(chatId, text, { enqueue: false, languageCode })),
    command: (chatId, command, args, languageCode) => send(api.command(chatId, command, args, { enqueue: false, languageCode })),
    tap: (chatId, buttonText) => send(findButton(chatId, (t) => t === buttonText)),
    tapLike: (chatId, fragment) => send(findButton(chatId, (t) => t.includes(fragment))),
    drain(chatId) {
      const history = api.messagesTo(chatId);
      const from = seen.get(chatId) ?? 0;
      seen.set(chatId, history.length);
      return history.slice(from).map((m) => m.text ?? (m.venue ? `[venue] ${m.venue.title}` : ''));
    },
    last(chatId) {
      const message = api.lastMessageTo(chatId);
      if (!message) throw new Error(`No message to chat ${chatId}`);
      return message;
    },
    stop,
    async close() {
      await stop();
      if (pooled) await handBack(mongo, mongoUri);
      else if (!options.keepDatabase) await mongo.dropDatabase().catch(() => undefined);
      await mongo.close();
      redis.disconnect();
      if (!options.api) await api.stop();
    },
  };
}

/** Starts a user in English (or the given language) and returns once the menu is shown. */
export async function onboard(app: TestApp, chatId: number, language: 'English' | 'Русский' | 'Қазақша' = 'English'): Promise<void> {
  await app.command(chatId, 'start');
  await app.tapLike(chatId, language);
  app.drain(chatId);
}

/** Drops a database that apps with keepDatabase shared (once, after the file's last test). */
export async function dropTestDatabase(mongoUri: string): Promise<void> {
  const mongo = await connectMongo(mongoUri);
  try {
    await mongo.dropDatabase();
  } finally {
    await mongo.close();
  }
}
