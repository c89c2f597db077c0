// A start-up task that never finishes (a database connection that never answers) kept its
// process from serving for ever and, since a live holder renews the start-up tasks' lock, kept
// every other process of the release waiting for that lock too: a deploy that never started.
import type { Connection } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppRedis } from '../../src/bootstrap.js';
import { runStartUpTasks } from '../../src/app/start-up.js';
import type { Feature, StartUpLocks } from '../../src/app/types.js';
import { createLogger } from '../../src/logger.js';
import { RecordLock } from '../../src/services/record-lock.js';
import { testRedisPrefix, testRedisUrl } from '../support/isolation.js';

describe('a hung start-up task', () => {
  const redis = createAppRedis({ REDIS_URL: testRedisUrl(), REDIS_AUTOPIPELINE: true });
  const prefix = testRedisPrefix('start_up_hang');
  // The tasks here read no records and take no record locks.
  const mongo = {} as Connection;
  const locks = {} as StartUpLocks;
  const logger = createLogger('silent');
  let unhang: () => void = () => undefined;
  afterAll(async () => {
    unhang();
    await redis.quit();
  });

  const hanging: Feature = {
    id: 'stuck',
    startUp: [{ name: 'never-answers', run: () => new Promise<number>((resolve) => (unhang = () => resolve(0))) }],
  };
  const ran: string[] = [];
  const working: Feature = {
    id: 'healthy',
    startUp: [{ name: 'fills-in', run: async () => (ran.push('fills-in'), 1) }],
  };

  it('stops its start with an error naming the task, and frees the lock for the next process at once', async () => {
    const first = runStartUpTasks([hanging], mongo, locks, logger, new RecordLock(redis, prefix), {}, 300);
    await expect(first).rejects.toThrow(Error);
    await expect(first).rejects.toThrow(/stuck\/never-answers/);
    expect(await redis.exists(`${prefix}:lock:tasks`)).toBe(0);

    // The next process (the orchestrator's restart, or the worker beside it) runs the tasks at once.
    // (Waiting for a held lock would take past this test's time: runStartUpTasks waits on for ever.)
    await runStartUpTasks([working], mongo, locks, logger, new RecordLock(redis, prefix), {}, 300);
    expect(ran).toEqual(['fills-in']);
  });

  it('leaves a slow task that finishes inside the limit alone', async () => {
    const slow: Feature = {
      id: 'slow',
      startUp: [{ name: 'takes-a-while', run: () => new Promise<number>((resolve) => setTimeout(() => resolve(3), 200)) }],
    };
    await expect(runStartUpTasks([slow], mongo, locks, logger, new RecordLock(redis, prefix), {}, 2_000)).resolves.toBeUndefined();
  });
});
