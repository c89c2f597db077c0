import { Bot, GrammyError, HttpError, InputFile } from 'grammy';
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Update } from 'grammy/types';
import type { Logger } from '../logger.js';
import type { UpdatePipeline } from '../app/pipeline.js';
import { FileUpload, kindOfCode, type ApiCaller, type BotRuntime } from './api-caller.js';

export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

export function grammyCaller(bot: Bot): ApiCaller {
  return {
    call: (method, payload) => {
      const raw = (bot.api.raw as unknown as Record<string, (p?: unknown) => Promise<unknown>>)[method]!;
      // Methods without parameters (getMe) take an abort signal in that position.
      if (Object.keys(payload).length === 0) return raw();
      const converted = Object.fromEntries(
        Object.entries(payload).map(([key, value]) => [key, value instanceof FileUpload ? new InputFile(value.content, value.filename) : value]),
      );
      return raw(converted);
    },
    classify: (error) => (error instanceof GrammyError ? kindOfCode(error.error_code) : error instanceof HttpError ? 'network' : 'other'),
    retryAfter: (error) => (error instanceof GrammyError ? error.parameters.retry_after : undefined),
  };
}

/** The default runtime. The runner handles updates concurrently; the pipeline's chat lock keeps each chat in order. */
export function createGrammyRuntime(token: string, apiRoot: string, pipeline: UpdatePipeline, logger: Logger): BotRuntime {
  const bot = new Bot(token, { client: { apiRoot } });
  const api = grammyCaller(bot);
  let runner: RunnerHandle | undefined;
  bot.use(async (ctx) => {
    await pipeline.handleUpdate(ctx.update, api);
  });
  bot.catch((error) => logger.error({ err: error.error, updateId: error.ctx.update.update_id }, 'grammY handler error'));

  return {
    name: 'grammy',
    api,
    init: () => bot.init(),
    async startPolling() {
      await bot.api.deleteWebhook();
      runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
    },
    async handleUpdate(update) {
      await bot.handleUpdate(update as Update);
    },
    async stop() {
      if (runner?.isRunning()) await runner.stop();
    },
  };
}
