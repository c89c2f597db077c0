// Sees a writer wait for a RecordLock (src/services/record-lock.ts): a writer that finds the
// record locked tries `SET <key> … NX` again every few milliseconds, and Redis's MONITOR shows
// each try. A race test that holds the lock's holder in the middle of its work can so tell "the
// second writer waits for the lock" at once, instead of concluding it from a pause long enough
// for a writer without the lock to have got through.
import { Redis } from 'ioredis';
import { monitorRedis } from './redis-monitor.js';
import type { RowHold } from './row-hold.js';
import { sleep } from './until.js';

export interface LockWatch {
  /**
   * Whether another writer is seen waiting: it tried to take the lock twice while the holder
   * found when the watch began kept it all along (same token), so both tries failed.
   */
  waiting(): Promise<boolean>;
  stop(): void;
}

/** Watches the lock kept under `key` (the lock's prefix, `:lock:`, the record's name). */
export async function watchLock(redisUrl: string, key: string): Promise<LockWatch> {
  const client = new Redis(redisUrl);
  let tries = 0;
  const monitor = await monitorRedis(redisUrl, (args) => {
    if (args[0]?.toLowerCase() === 'set' && args[1] === key) tries += 1;
  });
  const holder = await client.get(key);
  return {
    waiting: async () => holder !== null && tries >= 2 && (await client.get(key)) === holder,
    stop() {
      monitor.stop();
      client.disconnect();
    },
  };
}

/**
 * Waits until `work` settles, or another writer is seen waiting for the lock, or `ms` passed:
 * the pause a test gives a writer to get through unless a lock holds it back, cut short as soon
 * as the lock is seen holding it back.
 */
export async function untilDoneOrWaiting(work: Promise<unknown>, watch: LockWatch, ms: number): Promise<void> {
  let settled = false;
  work.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + ms;
  while (!settled && Date.now() < deadline && !(await watch.waiting())) await sleep(10);
}

/**
 * For a test holding a document's row (row-hold.ts) with one writer's write held on it: waits
 * until `count` writes are held (writers without the lock got through to their writes), or
 * another writer is seen waiting for the lock, or `ms` passed.
 */
export async function untilHeldOrWaiting(row: Pick<RowHold, 'waiting'>, count: number, watch: LockWatch, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await row.waiting()) < count && Date.now() < deadline && !(await watch.waiting())) await sleep(10);
}

/**
 * Two writers of one record whose row is held (row-hold.ts): `first` is started and its write
 * waits on the row, so its read is done and it holds the record lock (`lockKey`); then `second`,
 * whose read, unless the lock makes it wait for `first`, comes before that write too. The row is
 * let go once both writes are held (no lock: the lost update), or `second` is seen waiting for
 * the lock, or after `letGoMs`; then both are awaited.
 */
export async function raceOnHeldRow(
  row: RowHold,
  race: { redisUrl: string; lockKey: string; first: () => Promise<unknown>; second: () => Promise<unknown>; letGoMs: number },
): Promise<void> {
  let one: Promise<unknown> = Promise.resolve();
  let two: Promise<unknown> = Promise.resolve();
  let watch: LockWatch | undefined;
  try {
    one = race.first();
    if ((await row.untilWaiting(1, 10_000)) !== 1) throw new Error('the first writer never reached the held row');
    // Every try to take the lock from here on is the second writer's.
    watch = await watchLock(race.redisUrl, race.lockKey);
    two = race.second();
    await untilHeldOrWaiting(row, 2, watch, race.letGoMs);
  } finally {
    watch?.stop();
    await row.release();
  }
  await Promise.all([one, two]);
}
