/** A file to upload in a Bot API call; each runtime turns it into its own upload type. */
export class FileUpload {
  constructor(
    readonly filename: string,
    readonly content: Buffer,
  ) {}
}

/** How the bot talks to the Bot API, whichever runtime carries it. */
export type ApiErrorKind = 'bad-request' | 'forbidden' | 'rate-limited' | 'server' | 'network' | 'other';

export interface ApiCaller {
  /** `signal` gives up on the call (the poller's getUpdates that never answers). */
  call(method: string, payload: Record<string, unknown>, signal?: AbortSignal): Promise<unknown>;
  /** Sorts an error by its Bot API error code, never by its message text. */
  classify(error: unknown): ApiErrorKind;
  /** Seconds Telegram asked us to wait (429), if it said. */
  retryAfter(error: unknown): number | undefined;
}

export function kindOfCode(code: number | undefined): ApiErrorKind {
  if (code === 400) return 'bad-request';
  if (code === 403) return 'forbidden';
  if (code === 429) return 'rate-limited';
  if (code !== undefined && code >= 500) return 'server';
  return 'other';
}

export interface RuntimeOptions {
  /** Long-polling wait of one getUpdates call (s). */
  pollTimeoutS?: number;
}

export interface BotRuntime {
  readonly name: 'grammy' | 'telegraf';
  readonly api: ApiCaller;
  /** Learns the bot's own identity (getMe); needed before updates are handled. */
  init(): Promise<void>;
  /**
   * Starts long polling in the background once Telegram accepted deleteWebhook (awaited, so a
   * bad token or an unreachable Bot API stops start-up).
   */
  startPolling(): Promise<void>;
  /** Appends one update (a webhook body) to its chat's mailbox; throws when Redis refused it. */
  accept(update: unknown): Promise<'queued' | 'duplicate' | 'ignored' | 'invalid'>;
  /** Appends one update and resolves when this process has handled it (tests, tools). */
  handleUpdate(update: unknown): Promise<void>;
  /** False when polling was started and the poller died or lost Telegram for long (health check). */
  healthy(): boolean;
  /** Stops taking updates; chats in hand finish their current update. */
  stop(): Promise<void>;
}
