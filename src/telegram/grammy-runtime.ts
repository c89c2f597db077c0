import { Bot, GrammyError, HttpError, InputFile } from 'grammy';
import type { Logger } from '../logger.js';
import type { UpdatePipeline } from '../app/pipeline.js';
import { botApiFetch } from './bot-api-fetch.js';
import { FileUpload, kindOfCode, type ApiCaller, type BotRuntime, type RuntimeOptions } from './api-caller.js';
import { ALLOWED_UPDATES, runtimeOver } from './runtime-base.js';

export { ALLOWED_UPDATES };

export function grammyCaller(bot: Bot): ApiCaller {
  return {
    call: (method, payload, signal) => {
      const raw = (bot.api.raw as unknown as Record<string, (p?: unknown, s?: AbortSignal) => Promise<unknown>>)[method]!;
      // Methods without parameters (getMe) take an abort signal in that position.
      if (Object.keys(payload).length === 0) return raw(signal);
      const converted = Object.fromEntries(
        Object.entries(payload).map(([key, value]) => [key, value instanceof FileUpload ? new InputFile(value.content, value.filename) : value]),
      );
      return raw(converted, signal);
    },
    classify: (error) => (error instanceof GrammyError ? kindOfCode(error.error_code) : error instanceof HttpError ? 'network' : 'other'),
    retryAfter: (error) => (error instanceof GrammyError ? error.parameters.retry_after : undefined),
  };
}

/** A grammY bot whose Bot API calls go through Komek's lean transport (bot-api-fetch.ts). */
export function grammyBot(token: string, apiRoot: string): Bot {
  return new Bot(token, { client: { apiRoot, fetch: botApiFetch } });
}

/** The default runtime: grammY's Bot API client; updates go through the chat mailbox. */
export function createGrammyRuntime(token: string, apiRoot: string, pipeline: UpdatePipeline, logger: Logger, options: RuntimeOptions = {}): BotRuntime {
  const bot = grammyBot(token, apiRoot);
  return runtimeOver('grammy', grammyCaller(bot), () => bot.init(), pipeline, logger, options);
}
