import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * The record stayed locked for the whole wait: its holder is slow (or Redis is), not wrong, so
 * this passes (app/failure-kind.ts counts it transient: the mailbox runs the update again).
 */
export class RecordLockedError extends Error {
  constructor(name: string) {
    super(`record ${name} stayed locked`);
    this.name = 'RecordLockedError';
  }
}

/**
 * One writer at a time per record (an inquiry, a mission), across processes. FerretDB applies two updates of one
 * document that arrive together as read-modify-write of the whole document, so one can undo the
 * other: a citizen's follow-up and an operator's answer written at the same moment lost one of
 * them (test/services/inquiries.test.ts). The lock is a Redis key that expires on its own when
 * its holder dies; a live holder renews it while its work runs, however long the database takes
 * (a write stalled by FerretDB stopped mid-way must not let a second writer in:
 * test/attack/record-lock-expiry.test.ts). A writer that cannot get it in time fails with
 * RecordLockedError, and the mailbox runs the update again later.
 */
export class RecordLock {
  constructor(
    private readonly redis: Redis | undefined,
    private readonly prefix: string,
    private readonly holdMs = 10_000,
    private readonly waitMs = 15_000,
  ) {}

  /** Whether a writer holds the record now (without Redis there is no other writer). */
  async isHeld(name: string): Promise<boolean> {
    return this.redis ? (await this.redis.exists(`${this.prefix}:lock:${name}`)) === 1 : false;
  }

  /** `waitMs`: how long to wait for another holder, for a writer that would rather give up sooner. */
  async run<T>(name: string, work: () => Promise<T>, waitMs = this.waitMs): Promise<T> {
    // Services built without Redis (single-service tests) have no second writer to wait for.
    if (!this.redis) return work();
    const key = `${this.prefix}:lock:${name}`;
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, token, 'PX', this.holdMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new RecordLockedError(name);
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    }
    const redis = this.redis;
    const renewal = setInterval(() => {
      // A failed renewal (Redis away) is tried again at the next tick; the key outlives one miss.
      redis.eval(RENEW, 1, key, token, this.holdMs).catch(() => undefined);
    }, this.holdMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
