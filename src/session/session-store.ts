import type { Redis } from 'ioredis';
import type { DataCipher } from '../security/crypto.js';
import type { Session } from '../app/types.js';

/**
 * Sessions live in Redis, encrypted (they hold half-filled forms with IINs and phones). They are
 * read and written by the chat mailbox's scripts (mailbox.ts), under the chat's lease; this class
 * only seals and opens them, and reads one without a lease (My data, tests).
 */

export interface SessionStoreOptions {
  /** `<REDIS_PREFIX>:chat`, the same prefix as the mailbox's. */
  prefix: string;
}

/** A stored session that cannot be decrypted or parsed (a changed DATA_KEY, a corrupt write). */
export class UnreadableSessionError extends Error {
  constructor() {
    super('the stored session could not be decrypted or parsed');
    this.name = 'UnreadableSessionError';
  }
}

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly cipher: DataCipher,
    private readonly options: SessionStoreOptions,
  ) {}

  /** The sealed form stored in Redis, and the JSON it was made from (to start the next update from). */
  seal(session: Session): { sealed: string; json: string } {
    const json = JSON.stringify(session);
    return { sealed: this.cipher.encrypt(json), json };
  }

  /** '' (nothing stored) is a fresh session; anything unreadable throws UnreadableSessionError. */
  open(sealed: string): Session {
    if (!sealed) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.cipher.decrypt(sealed));
    } catch {
      throw new UnreadableSessionError();
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UnreadableSessionError();
    return parsed;
  }

  /** Reads a session without the chat's lease (My data, tests). */
  async peek(chatId: number): Promise<Session | null> {
    const blob = await this.redis.get(`${this.options.prefix}:{${chatId}}:sess`);
    return blob ? this.open(blob) : null;
  }

  async erase(chatId: number): Promise<void> {
    await this.redis.del(`${this.options.prefix}:{${chatId}}:sess`);
  }
}
