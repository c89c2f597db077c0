// Sees a writer wait for a RecordLock (src/services/record-lock.ts): a writer that finds the
// record locked tries `SET <key> … NX` again every few milliseconds, and Redis's MONITOR shows
// each try. A race test that held the lock's holder in the database can so tell "the second
// writer waits for the lock" at once, instead of concluding it from a pause long enough for a
// writer without the lock to have reached the database.
import { Redis } from 'ioredis';

export interface LockWatch {
  /** Tries to take the lock seen since the watch began. */
  tries(): number;
  stop(): Promise<void>;
}

/** Watches tries to take the lock kept under `key` (the lock's prefix, `:lock:`, its name). */
export async function watchLock(redisUrl: string, key: string): Promise<LockWatch> {
  // monitor() opens a connection of its own; this one never connects.
  const monitor = await new Redis(redisUrl, { lazyConnect: true }).monitor();
  let tries = 0;
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args[0]?.toLowerCase() === 'set' && args[1] === key) tries += 1;
  });
  return {
    tries: () => tries,
    async stop() {
      monitor.disconnect();
    },
  };
}
