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
  call(method: string, payload: Record<string, unknown>): Promise<unknown>;
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

export interface BotRuntime {
  readonly name: 'grammy' | 'telegraf';
  readonly api: ApiCaller;
  /** Learns the bot's own identity (getMe); needed before updates are handled. */
  init(): Promise<void>;
  /** Starts long polling in the background. */
  startPolling(): Promise<void>;
  /** Handles one update that arrived by webhook; resolves when it is done. */
  handleUpdate(update: unknown): Promise<void>;
  /** Stops taking updates; those in flight finish. */
  stop(): Promise<void>;
}
