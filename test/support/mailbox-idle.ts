// "Exactly once" checks on the chat mailbox (src/session/mailbox.ts): instead of a fixed pause
// after the last expected reply (long enough, one hopes, for a second one), wait until no chat
// has anything left to do. A chat is in the ready index while updates wait in it, while a worker
// holds it and while replies it committed may be unsent; it leaves the index only when handed
// back with all of that done. So an empty index means no further reply can come from a mailbox.
import type { Redis } from 'ioredis';
import { until } from './until.js';

export async function untilMailboxIdle(redis: Redis, redisPrefix: string, timeoutMs = 30_000): Promise<void> {
  await until('every chat mailbox handed back with nothing left', async () => (await redis.zcard(`${redisPrefix}:chat:ready`)) === 0, timeoutMs, 50);
}
