import type { DataCipher } from '../security/crypto.js';
import type { Session } from '../app/types.js';
import type { ChatMailbox } from './mailbox.js';

/**
 * Sessions live in the chat mailbox (Redis), encrypted (they hold half-filled forms with IINs
 * and phones). They are read and written by the mailbox under the chat's lease; this class only
 * seals and opens them, and reads one without a lease (My data, tests).
 */

/** Where sealed sessions are read without a lease: the chat mailbox (Redis, or memory in scene tests). */
export type StoredSessions = Pick<ChatMailbox, 'storedSession' | 'eraseSession'>;

/** A stored session that cannot be decrypted or parsed (a changed DATA_KEY, a corrupt write). */
export class UnreadableSessionError extends Error {
  constructor() {
    super('the stored session could not be decrypted or parsed');
    this.name = 'UnreadableSessionError';
  }
}

export class SessionStore {
  constructor(
    private readonly stored: StoredSessions,
    private readonly cipher: DataCipher,
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
    const blob = await this.stored.storedSession(chatId);
    return blob ? this.open(blob) : null;
  }

  async erase(chatId: number): Promise<void> {
    await this.stored.eraseSession(chatId);
  }
}
