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
    if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) {
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
    /** Run delivery workers inside the bot process; set false when `npm run worker` runs them elsewhere. */
    DELIVERY_IN_PROCESS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** Jobs in flight per delivery worker (default: a fifth of DELIVERY_RATE, 2 to 20). */
    DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(100).optional(),
    /** How long a crashed delivery worker's jobs stay locked before another worker takes them (ms). */
    DELIVERY_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    /** Load the sample centre directory into an empty database at start-up (off once the real registry is loaded). */
    SAMPLE_CENTRES: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** The staff supergroup with topics where operators answer citizens' questions (optional). */
    STAFF_CHAT_ID: z.coerce.number().int().max(-1, 'must be the negative id of a supergroup').optional(),
    /** Language of the bot's texts in the staff group (default: DEFAULT_LOCALE). */
    STAFF_CHAT_LOCALE: z.enum(LOCALES).optional(),
    /** An inquiry without an operator's answer this long reminds the operators once (minutes). */
    INQUIRY_REMIND_MINUTES: z.coerce.number().positive().default(120),
    /** Open inquiries one person may have at once. */
    INQUIRY_MAX_OPEN: z.coerce.number().int().min(1).max(20).default(3),
    /** Messages a person may add to inquiries per minute before they are asked to slow down. */
    INQUIRY_FLOOD_PER_MINUTE: z.coerce.number().int().min(1).default(12),
    /** Prefix of every Redis key and queue name, so several deployments can share one Redis. */
    REDIS_PREFIX: z.string().regex(/^[a-z0-9-]+$/, 'must be lowercase letters, digits and -').default('komek'),
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

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? 'environment');
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return `${variable} ${message}`;
  });
  throw new ConfigError(problems);
}
