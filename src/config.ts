import { z } from 'zod';
import { LOCALES } from './telegram/types.js';

/**
 * Every setting comes from the environment through this one schema, so a typo or a missing
 * value stops start-up with a message that names the variable instead of failing later.
 */
const idList = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const parts = raw.split(/[\s,]+/).filter(Boolean);
    const ids = parts.map(Number);
    // Digits only: Number() would read "0x1F" as 31 and "1e3" as 1000, someone else's id.
    if (parts.some((part) => !/^\d+$/.test(part)) || ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of Telegram user ids' });
      return z.NEVER;
    }
    return ids;
  });

const dataKey = z.string().transform((raw, ctx) => {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    ctx.addIssue({ code: 'custom', message: 'must be 32 bytes, as 64 hex characters or base64' });
    return z.NEVER;
  }
  return key;
});

const positiveNumber = (fallback: number) => z.coerce.number().positive().default(fallback);

export const configSchema = z
  .object({
    BOT_TOKEN: z.string().regex(/^\d+:[\w-]{20,}$/, 'must look like 123456:ABC-DEF... (from @BotFather)'),
    BOT_FRAMEWORK: z.enum(['grammy', 'telegraf']).default('grammy'),
    BOT_MODE: z.enum(['polling', 'webhook']).default('polling'),
    TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
    WEBHOOK_URL: z.url().optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    /** Address the HTTP server binds: loopback by default; the container image sets 0.0.0.0. */
    HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    /**
     * Commands issued in one turn of the event loop share one write to Redis (ioredis
     * auto-pipelining). With many chats in hand this cuts the bot's system calls and Redis's CPU
     * per update by about a third (`npm run bench:updates` prints both); order per connection is
     * kept, so the mailbox's guarantees do not change.
     */
    REDIS_AUTOPIPELINE: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').default('redis://127.0.0.1:6379'),
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .default('mongodb://127.0.0.1:27017/komek'),
    ADMIN_IDS: idList,
    DATA_KEY: dataKey,
    DEFAULT_LOCALE: z.enum(LOCALES).default('kk'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Messages per second across all delivery workers (Telegram allows about 30). */
    DELIVERY_RATE: positiveNumber(25),
    /**
     * Least time between two messages to one chat (ms): Telegram allows about one a second per
     * chat. Questions relayed to a person are spaced a little more than this, so they keep their
     * order (src/features/inquiries/relay.ts). Not below a second: Telegram answers a faster
     * chat with 429, which pauses every worker. (Tests not about the gap set a shorter one on the
     * loaded config, test/support/app-harness.ts.)
     */
    DELIVERY_CHAT_GAP_MS: z.coerce.number().int().min(1000, 'must be at least 1000: Telegram allows about one message a second per chat').max(60_000).default(1000),
    /** Run delivery workers inside the bot process; set false when `npm run worker` runs them elsewhere. */
    DELIVERY_IN_PROCESS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** Jobs in flight per delivery worker (default: a fifth of the delivery rate, 2 to 100). */
    DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(100).optional(),
    /** How long a crashed delivery worker's jobs stay locked before another worker takes them (ms). */
    DELIVERY_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    /** Tries of a staff export job (CSV of applications) before the requester is told it failed. */
    EXPORT_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
    /** First wait before an export job is tried again; doubles on every try (ms). */
    EXPORT_RETRY_BASE_MS: z.coerce.number().int().min(10).default(2000),
    /** Load the sample centre directory into an empty database at start-up (off once the real registry is loaded). */
    SAMPLE_CENTRES: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    // Timings of the chat mailbox (src/session/mailbox.ts, src/app/chat-drain.ts).
    /** A chat's lease: a worker that stops renewing it (crashed, cut off) loses the chat after this long (ms). */
    MAILBOX_LEASE_MS: z.coerce.number().int().min(500).default(15_000),
    /** How often each process looks for chats with waiting updates that nobody is serving (ms). */
    MAILBOX_POLL_MS: z.coerce.number().int().min(5).default(100),
    /** Chats one process serves at the same time (each strictly one update after another). */
    MAILBOX_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(64),
    /** First pause before an update that failed for a passing reason is tried again; doubles each time (ms). */
    MAILBOX_RETRY_BASE_MS: z.coerce.number().int().min(1).default(500),
    /** Longest pause between two tries of one update (ms). */
    MAILBOX_RETRY_MAX_MS: z.coerce.number().int().min(1).default(8_000),
    /** Tries of one update before it goes to the dead-letter list and the user gets the apology. */
    MAILBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    /** Longest wait for a Bot API 429's retry_after before the reply is given up (s). */
    MAILBOX_MAX_RETRY_AFTER_S: z.coerce.number().int().min(1).default(60),
    /** Dead letters kept (newest first); older ones are trimmed. */
    MAILBOX_DEAD_LETTERS_MAX: z.coerce.number().int().min(1).default(10_000),
    /** How long an update id is remembered, so a repeated delivery is dropped (s). */
    SEEN_TTL_S: z.coerce.number().int().min(60).default(24 * 3600),
    /** A session untouched this long expires; longer than the 7-day drafts (s). */
    SESSION_TTL_S: z.coerce.number().int().min(60).default(30 * 24 * 3600),
    /** A session that could not be read is kept this long for staff, still encrypted (s). */
    BAD_SESSION_TTL_S: z.coerce.number().int().min(60).default(30 * 24 * 3600),
    /** Long-polling wait of one getUpdates call (s). */
    POLL_TIMEOUT_S: z.coerce.number().int().min(0).max(50).default(25),
    /** On SIGTERM: chats in hand get this long to finish their current update before the process exits (ms). */
    SHUTDOWN_MS: z.coerce.number().int().min(100).default(20_000),
    /**
     * How long a cached staff access record lives in Redis (seconds). Every grant, change and
     * revoke writes the cache through, so this only bounds how long a lost cache write could last.
     */
    ACCESS_CACHE_SECONDS: z.coerce.number().int().min(10).default(3600),
    /**
     * Send everything the delivery queue carries with `allow_paid_broadcast`, at up to
     * PAID_BROADCAST_RATE messages a second instead of DELIVERY_RATE. Telegram charges the bot's
     * Stars balance for it; staff see the estimate before they confirm an announcement.
     */
    PAID_BROADCASTS: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    /** Messages per second with paid broadcasts on (Telegram's documented ceiling is 1,000). */
    PAID_BROADCAST_RATE: z.coerce.number().positive().max(1000).default(1000),
    /**
     * Stars per message for the staff's cost estimate. Telegram documents 0.1 Star per message
     * above the free 30 messages a second; the estimate counts every message, an upper bound.
     */
    PAID_BROADCAST_STARS_PER_MESSAGE: z.coerce.number().nonnegative().default(0.1),
    /** The staff supergroup with topics where operators answer citizens' questions (optional). */
    STAFF_CHAT_ID: z.coerce.number().int().max(-1, 'must be the negative id of a supergroup').optional(),
    /** Language of the bot's texts in the staff group (default: DEFAULT_LOCALE). */
    STAFF_CHAT_LOCALE: z.enum(LOCALES).optional(),
    /** An inquiry without an operator's answer this long reminds the operators once (minutes). */
    INQUIRY_REMIND_MINUTES: z.coerce.number().positive().default(120),
    /** Open inquiries one person may have at once. */
    INQUIRY_MAX_OPEN: z.coerce.number().int().min(1).max(20).default(3),
    /** Messages a person may add to inquiries per minute (and knowledge base look-ups) before they are asked to slow down. */
    INQUIRY_FLOOD_PER_MINUTE: z.coerce.number().int().min(1).default(12),
    /** Prefix of every Redis key and queue name, so several deployments can share one Redis. */
    REDIS_PREFIX: z.string().regex(/^[a-z0-9-]+$/, 'must be lowercase letters, digits and -').default('komek'),
    /** Port of the playground page and its built-in Bot API (`npm run local` with no BOT_TOKEN; 127.0.0.1 only; 0 = any free port). */
    PLAYGROUND_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
    /** File the playground keeps its chats in, so a restart shows them as they were (`npm run local`: in its state folder). Unset: kept in memory only. */
    PLAYGROUND_CHATS_FILE: z.string().min(1).optional(),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.BOT_MODE === 'webhook') {
      if (!cfg.WEBHOOK_URL) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'is required when BOT_MODE=webhook' });
      if (!cfg.WEBHOOK_SECRET)
        ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'is required when BOT_MODE=webhook' });
    }
  });

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The environment without variables set to nothing: `NAME=` in a `.env` file (the example leaves
 * some so) or a compose file means "not set". Read as it is, an empty value became the number 0
 * (HTTP_PORT: a random port; POLL_TIMEOUT_S: polling without waiting) or failed a format it was
 * never meant to have (an empty STAFF_CHAT_ID, WEBHOOK_URL in polling mode).
 */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''));
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(withoutEmpty(env));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? 'environment');
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return `${variable} ${message}`;
  });
  throw new ConfigError(problems);
}
