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

/**
 * Sessions kept in memory per process: enough for the chats of the last minutes. Each holds the
 * sealed text and the JSON (about 2.4 times the session's size): 10-25 MB for sessions of 1-2 KB.
 */
const RECENT_MAX = 5_000;

export class SessionStore {
  /**
   * The session this process stored last for each recent chat, sealed and as JSON. A chat's next
   * update usually comes back to this process: intake then tells Redis not to send the session
   * back, and the update starts from the JSON instead of decrypting. Only an exact match of the
   * stored ciphertext is used, so a session another process wrote since is always read from Redis.
   */
  private readonly recent = new Map<number, { sealed: string; json: string }>();

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

  /** The sealed session this process last stored for the chat ('' none). */
  known(chatId: number): string {
    return this.recent.get(chatId)?.sealed ?? '';
  }

  /** After a commit: what was stored ('' kept as it was, '-' deleted) and the JSON it was sealed from. */
  remember(chatId: number, sealed: string, json: string): void {
    if (sealed === '') return;
    this.recent.delete(chatId);
    if (sealed === '-') return;
    if (this.recent.size >= RECENT_MAX) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(chatId, { sealed, json });
  }

  /** open(), from memory when `sealed` is exactly what this process stored last for the chat. */
  openFor(chatId: number, sealed: string): Session {
    const recent = this.recent.get(chatId);
    if (sealed && recent?.sealed === sealed) return JSON.parse(recent.json) as Session;
    return this.open(sealed);
  }

  /** Reads a session without the chat's lease (My data, tests). */
  async peek(chatId: number): Promise<Session | null> {
    const blob = await this.stored.storedSession(chatId);
    return blob ? this.open(blob) : null;
  }

  async erase(chatId: number): Promise<void> {
    this.recent.delete(chatId);
    await this.stored.eraseSession(chatId);
  }
}
