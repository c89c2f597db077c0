// Attack 4: the durable try count (P:{c}:try) counts hand-overs. A chat handed back unrun (a
// graceful shutdown) once kept that count, so MAILBOX_MAX_ATTEMPTS rolling deploys while a chat
// waited dead-lettered an update that never ran; a forced RELEASE now takes the start back.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisMailbox } from '../../src/session/mailbox.js';
import { testRedisPrefix, testRedisUrl } from '../support/isolation.js';

const redis = new Redis(testRedisUrl());
afterAll(() => redis.disconnect());
const box = new RedisMailbox(redis, { prefix: `${testRedisPrefix('atk_try')}chat`, leaseMs: 300, seenTtlS: 60, sessionTtlS: 60, badSessionTtlS: 60, deadLettersMax: 3 });

describe('attack: durable try counts', () => {
  it('an update handed back unrun four times (four deploys) is not counted as four tries', async () => {
    const chat = 9901;
    await box.append(chat, 500, 'x', false);
    for (let i = 0; i < 4; i++) {
      const taken = await box.claim(chat);
      expect(taken, `claim ${i}`).not.toBeNull();
      // Shutdown: stop taking chats, hand this one back before running its update.
      expect(await box.release(chat, taken!.token, true, true)).not.toBe('lost');
    }
    const taken = await box.claim(chat);
    // starts > MAILBOX_MAX_ATTEMPTS (3) would mean the worker dead-letters it unrun with the apology.
    expect(taken!.state.starts).toBe(1);
    // A worker that dies holding it (no release) still counts: the next holder sees 2.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await box.claim(chat))!.state.starts).toBe(2);
  });

});
