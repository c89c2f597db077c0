import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Personal data never reaches the logs: these paths are censored wherever they appear,
 * as a safety net behind the rule of not logging answers at all.
 */
const REDACT = ['*.iin', '*.phone', '*.phoneNumber', '*.text', '*.answers', 'update.message', 'update.callback_query'];

/** Errors whose message quotes the offending value (possibly what a user typed). */
const QUOTING = new Set(['ValidationError', 'ValidatorError', 'CastError', 'ZodError', 'StrictModeError', 'SyntaxError']);

/** Long digit runs (phones, IINs, card numbers) are masked in any message that is kept. */
const maskDigits = (text: string) => text.replace(/\+?\d[\d\s()-]{5,}\d/g, '[digits]');

export interface SafeError {
  type: string;
  message?: string;
  code?: string | number;
  /** Bot API: the method that failed, its error code and description, never its payload. */
  method?: string;
  error_code?: number;
  description?: string;
  retry_after?: number;
  stack?: string;
  cause?: SafeError;
}

function field<T>(value: unknown, kind: 'string' | 'number'): T | undefined {
  return typeof value === kind ? (value as T) : undefined;
}

/**
 * The err serialiser: a whitelist of fields. grammY's GrammyError keeps the request `payload`
 * and Telegraf's TelegramError keeps `on.payload` — the message text, with names and phone
 * numbers — which pino's standard serialiser would write out in full.
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === 'object' ? { type: 'non-error' } : error;
  const e = error as Error & Record<string, unknown>;
  const type = e.name || e.constructor?.name || 'Error';
  const quoted = QUOTING.has(type) || QUOTING.has(e.constructor?.name ?? '');
  const message = quoted ? undefined : maskDigits(e.message.slice(0, 300));
  const on = typeof e.on === 'object' && e.on !== null ? (e.on as Record<string, unknown>) : undefined;
  const response = typeof e.response === 'object' && e.response !== null ? (e.response as Record<string, unknown>) : undefined;
  const parameters = typeof e.parameters === 'object' && e.parameters !== null ? (e.parameters as Record<string, unknown>) : undefined;
  const description = field<string>(e.description ?? response?.description, 'string');
  const out: SafeError = {
    type,
    ...(message !== undefined ? { message } : {}),
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(field<string>(e.method ?? on?.method, 'string') ? { method: (e.method ?? on?.method) as string } : {}),
    ...(field<number>(e.error_code ?? response?.error_code, 'number') ? { error_code: (e.error_code ?? response?.error_code) as number } : {}),
    ...(description ? { description: maskDigits(description.slice(0, 300)) } : {}),
    ...(field<number>(parameters?.retry_after, 'number') ? { retry_after: parameters!.retry_after as number } : {}),
  };
  if (typeof e.stack === 'string') {
    // The first line of a stack repeats the message; only the frames are kept.
    const frames = e.stack.split('\n').filter((line) => /^\s+at /.test(line));
    out.stack = [`${type}${message !== undefined ? `: ${message}` : ''}`, ...frames.slice(0, 12)].join('\n');
  }
  if (e.cause !== undefined && depth < 3) out.cause = serializeError(e.cause, depth + 1) as SafeError;
  return out;
}

/** What a dead letter keeps of an error: its kind, never its message. */
export function errorSummary(error: unknown): { type: string; code?: string | number; error_code?: number } {
  const safe = serializeError(error);
  if (typeof safe !== 'object' || safe === null || !('type' in safe)) return { type: 'non-error' };
  const { type, code, error_code } = safe as SafeError;
  return { type, ...(code !== undefined ? { code } : {}), ...(error_code !== undefined ? { error_code } : {}) };
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { app: 'komek' },
      serializers: { err: serializeError, error: serializeError },
    },
    destination as never,
  );
}
