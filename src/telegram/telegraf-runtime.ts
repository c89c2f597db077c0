import { Telegraf, TelegramError } from 'telegraf';
import type { Update } from 'grammy/types';
import type { Logger } from '../logger.js';
import type { UpdatePipeline } from '../app/pipeline.js';
import { FileUpload, kindOfCode, type ApiCaller, type BotRuntime } from './api-caller.js';
import { ALLOWED_UPDATES } from './grammy-runtime.js';

/**
 * For teams with an existing Telegraf bot: the same pipeline and scenes behind Telegraf.
 * Telegraf has had no release since early 2024, which is why grammY is the default.
 */
export function createTelegrafRuntime(token: string, apiRoot: string, pipeline: UpdatePipeline, logger: Logger): BotRuntime {
  const bot = new Telegraf(token, { telegram: { apiRoot }, handlerTimeout: 60_000 });
  const api: ApiCaller = {
    call: (method, payload) => {
      // Telegraf uploads { source, filename } objects as multipart files.
      const converted = Object.fromEntries(
        Object.entries(payload).map(([key, value]) => [key, value instanceof FileUpload ? { source: value.content, filename: value.filename } : value]),
      );
      return bot.telegram.callApi(method as never, converted as never);
    },
    classify: (error) => (error instanceof TelegramError ? kindOfCode(error.code) : 'network'),
    retryAfter: (error) => (error instanceof TelegramError ? error.parameters?.retry_after : undefined),
  };
  bot.use(async (ctx) => {
    await pipeline.handleUpdate(ctx.update as unknown as Update, api);
  });
  bot.catch((error, ctx) => logger.error({ err: error, updateId: ctx.update.update_id }, 'Telegraf handler error'));
  let polling = false;

  return {
    name: 'telegraf',
    api,
    async init() {
      bot.botInfo ??= await bot.telegram.getMe();
    },
    async startPolling() {
      polling = true;
      // launch() resolves only when polling stops, so it is not awaited here.
      bot
        .launch({ allowedUpdates: [...ALLOWED_UPDATES], dropPendingUpdates: false })
        .catch((error: unknown) => logger.error({ err: error }, 'Telegraf polling stopped with an error'));
    },
    async handleUpdate(update) {
      await bot.handleUpdate(update as never);
    },
    async stop() {
      if (polling) {
        polling = false;
        bot.stop('shutdown');
      }
    },
  };
}
