import type { Update } from 'grammy/types';
import type { Logger } from '../logger.js';
import type { UpdatePipeline } from '../app/pipeline.js';
import type { ApiCaller, BotRuntime, RuntimeOptions } from './api-caller.js';
import { startPoller, type Poller } from './poller.js';

// edited_message: an operator editing an answer in the staff group is told the edit went nowhere.
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/**
 * What both runtimes share: updates go to the pipeline's mailbox whichever way they arrive, and
 * long polling is one loop (poller.ts) that confirms an offset only after the append. A runtime
 * contributes its way of calling the Bot API and of learning its identity.
 */
export function runtimeOver(
  name: BotRuntime['name'],
  api: ApiCaller,
  init: () => Promise<void>,
  pipeline: UpdatePipeline,
  logger: Logger,
  options: RuntimeOptions = {},
): BotRuntime {
  let poller: Poller | undefined;
  return {
    name,
    api,
    init,
    async startPolling() {
      await api.call('deleteWebhook', { drop_pending_updates: false });
      poller = startPoller({
        api,
        accept: (update) => pipeline.accept(update),
        allowedUpdates: ALLOWED_UPDATES,
        timeoutS: options.pollTimeoutS ?? 25,
        logger,
      });
    },
    accept: (update) => pipeline.accept(update),
    async handleUpdate(update) {
      await pipeline.handleUpdate(update as Update, api);
    },
    healthy: () => poller?.healthy() ?? true,
    async stop() {
      poller?.stop();
      await pipeline.stop();
    },
  };
}
