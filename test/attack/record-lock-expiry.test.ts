import { afterAll, describe, expect, it } from 'vitest';
import { createAppRedis } from '../../src/bootstrap.js';
import { RecordLock, RecordLockedError } from '../../src/services/record-lock.js';
import { isTransient } from '../../src/app/failure-kind.js';
import { testRedisPrefix, testRedisUrl } from '../support/isolation.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The per-question lock expires on its own so that a dead holder does not block the question. A
// live holder whose write takes longer than that (FerretDB stopped mid-way, a slow disk) must
// keep it: a second writer let in meanwhile is the lost update the lock is there to prevent.
describe('the inquiry record lock while its holder is slow', () => {
  const redis = createAppRedis({ REDIS_URL: testRedisUrl(), REDIS_AUTOPIPELINE: true });
  const prefix = testRedisPrefix('attack_record_lock');
  afterAll(async () => {
    await redis.quit();
  });

  it('keeps a second writer out until a slow first writer is done, however long it takes', async () => {
    const lock = new RecordLock(redis, prefix, 300, 5_000);
    const events: string[] = [];
    const first = lock.run('Q-2026-000001', async () => {
      events.push('first in');
      await sleep(1_000);
      events.push('first out');
    });
    await sleep(50);
    const second = lock.run('Q-2026-000001', async () => {
      events.push('second in');
    });
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'first out', 'second in']);
  });

  it('is taken over once its holder died (stopped renewing): the hold time, not forever', async () => {
    const lock = new RecordLock(redis, prefix, 300, 5_000);
    // A holder killed with the key still set: the key alone, with the hold time, as it leaves it.
    await redis.set(`${prefix}:lock:Q-2026-000002`, 'dead-holder', 'PX', 300);
    const started = Date.now();
    await lock.run('Q-2026-000002', async () => undefined);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await redis.exists(`${prefix}:lock:Q-2026-000002`)).toBe(0);
  });

  it('gives up on a record kept past the wait with an error the mailbox tries again (not a dead letter at once)', async () => {
    const lock = new RecordLock(redis, prefix, 300, 5_000);
    let held: () => void = () => undefined;
    const holding = lock.run('Q-2026-000003', () => new Promise<void>((resolve) => (held = resolve)));
    await sleep(50);
    const started = Date.now();
    const refused = await lock.run('Q-2026-000003', async () => 'in', 200).catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(refused).toBeInstanceOf(RecordLockedError);
    expect(isTransient(refused)).toBe(true);
    held();
    await holding;
  });
});
