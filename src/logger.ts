import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Personal data never reaches the logs: these paths are censored wherever they appear,
 * as a safety net behind the rule of not logging answers at all.
 */
const REDACT = ['*.iin', '*.phone', '*.phoneNumber', '*.text', '*.answers', 'update.message', 'update.callback_query'];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'komek' } }, destination as never);
}
