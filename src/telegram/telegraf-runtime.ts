import { Telegraf, TelegramError } from 'telegraf';
import type { Logger } from '../logger.js';
import type { UpdatePipeline } from '../app/pipeline.js';
import { FileUpload, kindOfCode, type ApiCaller, type BotRuntime, type RuntimeOptions } from './api-caller.js';
import { runtimeOver } from './runtime-base.js';

/** node-fetch's errors (Telegraf's HTTP client) when the Bot API cannot be reached. */
function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return error.name === 'FetchError' || error.name === 'AbortError' || (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code));
}

/** Telegraf's Bot API client as Komek calls it. */
export function telegrafCaller(bot: Telegraf): ApiCaller {
  return {
    call: (method, payload, signal) => {
      // Telegraf uploads { source, filename } objects as multipart files.
      const converted = Object.fromEntries(
        Object.entries(payload).map(([key, value]) => [key, value instanceof FileUpload ? { source: value.content, filename: value.filename } : value]),
      );
      // Telegraf types its signal as the abort-controller package's, which Node's own one fits.
      return bot.telegram.callApi(method as never, converted as never, signal ? { signal: signal as never } : {});
    },
    classify: (error) => (error instanceof TelegramError ? kindOfCode(error.code) : isNetworkError(error) ? 'network' : 'other'),
    retryAfter: (error) => (error instanceof TelegramError ? error.parameters?.retry_after : undefined),
  };
}

/**
 * For teams with an existing Telegraf bot: the same pipeline and scenes behind Telegraf's Bot API
 * client. Telegraf has had no release since early 2024, which is why grammY is the default.
 * Polling is the shared poller (awaited start, health, offset confirmed after the append), not
 * Telegraf's launch(), whose loop acknowledges updates before they are stored.
 */
export function createTelegrafRuntime(token: string, apiRoot: string, pipeline: UpdatePipeline, logger: Logger, options: RuntimeOptions = {}): BotRuntime {
  const bot = new Telegraf(token, { telegram: { apiRoot } });
  const init = async () => {
    bot.botInfo ??= await bot.telegram.getMe();
  };
  return runtimeOver('telegraf', telegrafCaller(bot), init, pipeline, logger, options);
}
