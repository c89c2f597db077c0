import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DataCipher } from '../security/crypto.js';
import type { Session } from '../app/types.js';

/**
 * Sessions live in Redis, encrypted (they hold half-filled forms with IINs and phones).
 * Two round trips per update: `acquire` marks nothing but checks the update was not handled,
 * takes the chat's lock and reads the session in one script; `commit` writes the session,
 * marks the update handled and frees the lock in another. The lock is what lets two bot
 * processes behind one webhook serve the same chat without losing a write.
 */

// Keys of one chat share a hash tag, so the scripts also work on Redis Cluster.
const keys = (prefix: string, chatId: number, updateId: number) => [
  `${prefix}:{${chatId}}:upd:${updateId}`,
  `${prefix}:{${chatId}}:lock`,
  `${prefix}:{${chatId}}:sess`,
];

const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1} end
return {2, redis.call('GET', KEYS[3])}
`;

// ARGV[2] == '' keeps the stored session as it is (an update that failed); '-' deletes it.
const COMMIT = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
if ARGV[2] == '-' then redis.call('DEL', KEYS[3])
elseif ARGV[2] ~= '' then redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[3]) end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[4])
redis.call('DEL', KEYS[2])
return 1
`;

export type Acquired =
  | { status: 'duplicate' }
  /** commit(session) saves it, commit(null) keeps what was stored, commit('erase') deletes it. */
  | { status: 'acquired'; session: Session; commit: (session: Session | null | 'erase') => Promise<boolean> };

export interface SessionStoreOptions {
  prefix: string;
  /** A crashed holder's lock frees itself after this long. */
  lockMs?: number;
  /** Give up waiting for a busy chat after this long. */
  waitMs?: number;
  sessionTtlSeconds?: number;
  seenTtlSeconds?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChatBusyError extends Error {
  constructor(chatId: number) {
    super(`Chat ${chatId} stayed locked`);
    this.name = 'ChatBusyError';
  }
}

export class SessionStore {
  private readonly lockMs: number;
  private readonly waitMs: number;
  private readonly sessionTtl: number;
  private readonly seenTtl: number;

  constructor(
    private readonly redis: Redis,
    private readonly cipher: DataCipher,
    private readonly options: SessionStoreOptions,
  ) {
    this.lockMs = options.lockMs ?? 15_000;
    this.waitMs = options.waitMs ?? 20_000;
    // Long enough for a 7-day draft plus a margin; every update slides it.
    this.sessionTtl = options.sessionTtlSeconds ?? 30 * 24 * 3600;
    this.seenTtl = options.seenTtlSeconds ?? 24 * 3600;
    redis.defineCommand('komekAcquire', { numberOfKeys: 3, lua: ACQUIRE });
    redis.defineCommand('komekCommit', { numberOfKeys: 3, lua: COMMIT });
  }

  /** Lock tokens: unique per process (random) and per acquisition (counter), without a syscall each. */
  private readonly tokenBase = randomBytes(9).toString('base64url');
  private tokenCounter = 0;

  async acquire(chatId: number, updateId: number): Promise<Acquired> {
    this.tokenCounter += 1;
    const token = `${this.tokenBase}.${this.tokenCounter}`;
    const k = keys(this.options.prefix, chatId, updateId);
    const started = Date.now();
    let pause = 2;
    for (;;) {
      const [status, blob] = (await (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<[number, string | null]>>)
        .komekAcquire!(...k, token, this.lockMs));
      if (status === 0) return { status: 'duplicate' };
      if (status === 2) {
        const session = blob ? (JSON.parse(this.cipher.decrypt(blob)) as Session) : {};
        return {
          status: 'acquired',
          session,
          commit: async (next) => {
            const sealed = next === 'erase' ? '-' : next ? this.cipher.encrypt(JSON.stringify(next)) : '';
            const done = await (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<number>>).komekCommit!(
              ...k,
              token,
              sealed,
              this.sessionTtl,
              this.seenTtl,
            );
            return done === 1;
          },
        };
      }
      if (Date.now() - started > this.waitMs) throw new ChatBusyError(chatId);
      await sleep(pause);
      pause = Math.min(pause * 2, 50);
    }
  }

  /** Reads a session without locking (My data, tests). */
  async peek(chatId: number): Promise<Session | null> {
    const blob = await this.redis.get(`${this.options.prefix}:{${chatId}}:sess`);
    return blob ? (JSON.parse(this.cipher.decrypt(blob)) as Session) : null;
  }

  async erase(chatId: number): Promise<void> {
    await this.redis.del(`${this.options.prefix}:{${chatId}}:sess`);
  }
}
