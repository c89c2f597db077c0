// The send time each answer to a citizen gets keeps the operator's order. With a long per-chat
// gap (DELIVERY_CHAT_GAP_MS up to a minute) a few answers reach minutes ahead: the last slot must
// be remembered until then, or the next answer is given "now" and goes out before them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { nextSendTime } from '../../../src/features/inquiries/relay.js';
import { testRedisPrefix, testRedisUrl } from '../../support/isolation.js';

describe('relay send times', () => {
  let redis: Redis;
  const prefix = testRedisPrefix('relay_slot');
  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(() => redis.disconnect());

  it('remembers the last send time until it has passed, however long the gap', async () => {
    const deps = { redis, config: { REDIS_PREFIX: prefix, DELIVERY_CHAT_GAP_MS: 60_000 } };
    const chatId = 7001;
    const times: number[] = [];
    for (let i = 0; i < 4; i++) times.push((await nextSendTime(deps, chatId)).getTime());
    // Each one the gap and the margin after the one before.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(60_100);
    const ttl = await redis.pttl(`${prefix}:inq:slot:${chatId}`);
    expect(ttl).toBeGreaterThan(times.at(-1)! - Date.now());
  });

  it('with the default gap, answers typed together are 1.1 s apart', async () => {
    const deps = { redis, config: { REDIS_PREFIX: prefix, DELIVERY_CHAT_GAP_MS: 1000 } };
    const [a, b] = [await nextSendTime(deps, 7002), await nextSendTime(deps, 7002)];
    expect(b.getTime() - a.getTime()).toBe(1100);
  });
});
