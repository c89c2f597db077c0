import type { Update } from 'grammy/types';
import type { Input, Reply, UpdateMeta } from '../telegram/types.js';
import { updateToInput } from '../telegram/update-to-input.js';
import { replyToCalls } from '../telegram/reply-to-calls.js';
import type { ApiCaller } from '../telegram/api-caller.js';
import type { SessionStore } from '../session/session-store.js';
import { localeFromTelegram, type I18n } from '../i18n/index.js';
import { buildContext } from './context.js';
import type { Registry } from './registry.js';
import type { Router } from './router.js';
import type { AppDeps, Session, StaffChatUpdate } from './types.js';

/** Re-sync the user record (last seen, unblock) at most this often, not on every update. */
const SYNC_EVERY_MS = 6 * 60 * 60 * 1000;

export type UpdateOutcome = 'handled' | 'duplicate' | 'ignored' | 'failed';

/**
 * Per update: skip it if already handled, hold the chat's lock, load the session, route,
 * send the replies, save. One error boundary: whatever goes wrong is logged with the update id
 * and the user gets an apology in their language, never silence and never a crash.
 */
export class UpdatePipeline {
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly store: SessionStore,
    private readonly deps: AppDeps,
    private readonly i18n: I18n,
    private readonly registry: Registry,
    private readonly router: Router,
  ) {}

  async handleUpdate(update: Update, api: ApiCaller): Promise<UpdateOutcome> {
    const parsed = updateToInput(update);
    if (!parsed) return this.handleStaffChat(update);
    this.inFlight += 1;
    try {
      return await this.handle(parsed.meta, parsed.input, api);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /**
   * The staff supergroup (STAFF_CHAT_ID) is the one group served: features with a staffChat
   * handler get its updates, under the group's own lock and de-duplication, so operators'
   * replies are handled once and in the order they were written.
   */
  private async handleStaffChat(update: Update): Promise<UpdateOutcome> {
    const staffChatId = this.deps.config.STAFF_CHAT_ID;
    const chatId = update.message?.chat.id ?? update.callback_query?.message?.chat.id;
    const handlers = this.registry.staffChat;
    if (!staffChatId || chatId !== staffChatId || handlers.length === 0) return 'ignored';
    const acquired = await this.store.acquire(chatId, update.update_id);
    if (acquired.status === 'duplicate') return 'duplicate';
    try {
      for (const handler of handlers) if (await handler(update as StaffChatUpdate, this.deps)) break;
      await acquired.commit(acquired.session);
      return 'handled';
    } catch (error) {
      this.deps.logger.error({ err: error, updateId: update.update_id }, 'staff chat update failed');
      await acquired.commit(null).catch(() => undefined);
      return 'failed';
    }
  }

  /** Resolves when no update is being handled (graceful shutdown). */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async handle(meta: UpdateMeta, input: Input, api: ApiCaller): Promise<UpdateOutcome> {
    // Built only when something goes wrong: a child logger per update is measurable at load.
    const log = () => this.deps.logger.child({ updateId: meta.updateId });
    let acquired;
    try {
      acquired = await this.store.acquire(meta.chatId, meta.updateId);
    } catch (error) {
      log().error({ err: error }, 'could not load the session');
      await this.apologise(meta, undefined, input, api);
      return 'failed';
    }
    if (acquired.status === 'duplicate') return 'duplicate';

    const session: Session = acquired.session;
    const { ctx, replies } = buildContext(meta, session, this.deps, this.i18n, this.registry, this.router);
    try {
      await this.syncUser(meta, session, input, ctx.locale);
      await this.router.route(ctx, input);
      await this.send(meta, input, replies, api);
      const saved = await acquired.commit(session.erase ? 'erase' : session);
      if (!saved) log().error('session lock was lost before saving; the chat was busy for too long');
      return 'handled';
    } catch (error) {
      log().error({ err: error, input: input.kind }, 'update failed');
      // The session stays as it was before this update, so the user can simply try again.
      await acquired.commit(null).catch((e: unknown) => log().error({ err: e }, 'could not release the chat'));
      await this.apologise(meta, session, input, api);
      return 'failed';
    }
  }

  private async syncUser(meta: UpdateMeta, session: Session, input: Input, locale: Session['locale']): Promise<void> {
    if (input.kind === 'membership') return;
    const now = this.deps.now().getTime();
    if (session.syncedAt && now - session.syncedAt < SYNC_EVERY_MS) return;
    await this.deps.services.users.touch(meta, locale ?? this.deps.config.DEFAULT_LOCALE);
    session.syncedAt = now;
  }

  private async send(meta: UpdateMeta, input: Input, replies: Reply[], api: ApiCaller): Promise<void> {
    for (const call of replyToCalls(meta.chatId, input, replies)) {
      try {
        await api.call(call.method, call.payload);
      } catch (error) {
        const kind = api.classify(error);
        // An edit of a message that is gone or unchanged is harmless; the next message carries on.
        if (kind === 'bad-request' && (call.method === 'editMessageText' || call.method === 'answerCallbackQuery')) continue;
        if (kind === 'forbidden') {
          await this.deps.services.users.setBlocked(meta.userId, true);
          return;
        }
        throw error;
      }
    }
  }

  private async apologise(meta: UpdateMeta, session: Session | undefined, input: Input, api: ApiCaller): Promise<void> {
    const locale = session?.locale ?? localeFromTelegram(meta.languageCode, this.deps.config.DEFAULT_LOCALE);
    const text = this.i18n.t(locale)('errors:internal');
    try {
      if (input.kind === 'callback') await api.call('answerCallbackQuery', { callback_query_id: input.queryId }).catch(() => undefined);
      await api.call('sendMessage', { chat_id: meta.chatId, text });
    } catch (error) {
      this.deps.logger.warn({ err: error, updateId: meta.updateId }, 'could not send the apology');
    }
  }
}
