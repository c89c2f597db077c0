// `npm run local` with no BOT_TOKEN: the whole bot (same pipeline, scenes, Redis, database and
// delivery queue as main.ts) talking to the built-in Bot API on 127.0.0.1, plus the playground
// page on the same port. Nothing reaches Telegram, and nothing listens beyond this machine.
import { ConfigError, loadConfig, type Config } from './config.js';
import { createBot } from './app/create-bot.js';
import { registerCommands } from './telegram/commands.js';
import { findInRepo } from './paths.js';
import { connect, exitOnStartFailure, onShutdown } from './bootstrap.js';
import { startBotDeliveryWorker } from './delivery/bot-worker.js';
import type { DeliveryWorkerHandle } from './delivery/delivery-worker.js';
import { BotApiServer } from './platform/bot-api/index.js';
import { createDataCipher } from './security/crypto.js';
import { createPageHandler } from './playground/page-server.js';
import { DEFAULT_ADMIN_ID, DEFAULT_STAFF_CHAT_ID, playgroundPersonas } from './playground/personas.js';
import { runStartUpTasks, startUpLocks, startUpTasksLock } from './app/start-up.js';
import { FEATURES } from './features/index.js';

type PageHandler = ReturnType<typeof createPageHandler>;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The staff group of the playground: STAFF_CHAT_ID when it names a supergroup, else our own. */
function staffChatId(): number {
  const raw = process.env.STAFF_CHAT_ID;
  if (raw === undefined || raw === '') return DEFAULT_STAFF_CHAT_ID;
  if (!/^-100\d+$/.test(raw)) fail(`STAFF_CHAT_ID must be a supergroup id such as ${DEFAULT_STAFF_CHAT_ID}`);
  return Number(raw);
}

async function playground(): Promise<void> {
  // A token here means someone meant to run against Telegram: never mix the two.
  if (process.env.BOT_TOKEN) {
    fail('The playground runs without a bot token. Unset BOT_TOKEN to try Komek locally, or use `npm run local` with it to run against Telegram.');
  }
  let page: PageHandler | undefined;
  const api = new BotApiServer({
    username: 'komek_playground_bot',
    firstName: 'Komek',
    recordCalls: false,
    pushToWebhook: true,
    // Telegram's limit for a bot's sends across chats: above it, 429 with retry_after, as in production.
    rateLimitPerSecond: 30,
    // The bot remembers handled update ids in Redis for a day; after a restart they must not repeat.
    firstUpdateId: Date.now(),
    fallback: (req, res) => {
      if (page) return page(req, res);
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('Komek is starting, reload in a moment.');
    },
  });

  // The token is the emulator's own; the rest of the settings come from the environment as usual.
  process.env.BOT_TOKEN = api.token;
  process.env.ADMIN_IDS ||= String(DEFAULT_ADMIN_ID);
  const staffChat = staffChatId();
  process.env.STAFF_CHAT_ID = String(staffChat);
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  try {
    await api.start(config.PLAYGROUND_PORT);
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      fail(`Port ${config.PLAYGROUND_PORT} is in use: set PLAYGROUND_PORT to another port (or 0 for any free one).`);
    }
    throw error;
  }
  const url = `${api.apiRoot}/`;
  process.stdout.write(`Komek playground (no BOT_TOKEN): the bot talks to a built-in Bot API on this machine, not to Telegram.\n`);
  process.stdout.write(`Starting at ${url} ...\n`);
  if (config.PLAYGROUND_CHATS_FILE) {
    // Before the bot polls, so nothing it sends is written over by the old file.
    // Sealed with DATA_KEY: people type there what they would type in Telegram (IINs, phone numbers).
    const cipher = createDataCipher(config.DATA_KEY);
    const chats = api.keepChatsIn(config.PLAYGROUND_CHATS_FILE, { seal: (plain) => cipher.encrypt(plain), open: (sealed) => cipher.decrypt(sealed) });
    if (chats === 'unreadable') {
      process.stderr.write(`The playground's chats file could not be read; it is kept as ${config.PLAYGROUND_CHATS_FILE}.unreadable and the chats start empty.\n`);
    }
  }
  process.env.TELEGRAM_API_ROOT = api.apiRoot;
  process.env.BOT_MODE = 'polling';

  const { logger, redis, mongo, delivery } = await connect();
  // The playground keeps its database between runs: fill in records of older versions first, as main does.
  await runStartUpTasks(FEATURES, mongo, startUpLocks({ redis, config }), logger, startUpTasksLock({ redis, config }), config);
  const bot = await createBot(loadConfig(), { redis, mongo, logger, delivery });
  await bot.init();
  if (config.SAMPLE_CENTRES) await bot.services.centres.seedIfEmpty(findInRepo('data/centres.sample.json'));
  await registerCommands(bot.runtime.api, bot.registry, bot.i18n, config.DEFAULT_LOCALE).catch((error: unknown) =>
    logger.warn({ err: error }, 'could not set the command list; the bot runs without it'),
  );

  const personas = playgroundPersonas(config.ADMIN_IDS);
  const admin = personas.find((p) => p.role === 'admin')!;
  for (const staff of personas.filter((p) => p.role === 'staff')) {
    // As if the admin had invited them: a staff member from the first minute. Only on the first
    // start (no record of them yet), so access an admin withdrew stays withdrawn after a restart.
    if ((await bot.services.users.get(staff.userId)) === null) {
      await bot.services.users.makeStaff(staff.userId, staff.userId, staff.languageCode, admin.userId);
    }
  }

  let worker: DeliveryWorkerHandle | undefined;
  if (config.DELIVERY_IN_PROCESS) {
    worker = startBotDeliveryWorker({ config, redis, services: bot.services, i18n: bot.i18n, api: bot.runtime.api, logger });
  }
  await bot.runtime.startPolling();
  page = createPageHandler({ api, personas, staffChatId: staffChat });
  process.stdout.write(`Komek playground is ready: open ${url} in a browser. Press Ctrl+C to stop.\n`);

  onShutdown(logger, config.SHUTDOWN_MS, async () => {
    await bot.runtime.stop();
    await worker?.close();
    await delivery.close();
    await api.stop();
    redis.disconnect();
    await mongo.close();
  });
}

playground().catch(exitOnStartFailure('The Komek playground'));
