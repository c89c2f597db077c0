// Attack on the hand-back that finds more updates (RELEASE answering with the chat's state instead
// of a bare "more" followed by BEGIN): two mailboxes on the real Redis and one prefix, as two
// processes, with the other process's updates landing exactly between a commit and the hand-back.
// What must hold: each head's start counted once per hand-over (so MAILBOX_MAX_ATTEMPTS=1 never
// dead-letters an update that never ran), the count still growing when the holder dies after the
// answer, an unsent outbox handed on until it is sent, the session as stored (never the worker's
// stale copy as '='), and a holder whose lease ran out changing nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisMailbox, redisStoredSessions } from '../../src/session/mailbox.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { testRedisPrefix, testRedisUrl } from '../support/isolation.js';

const LEASE_MS = 200;
const prefix = `${testRedisPrefix('atk_release_more')}chat`;
const options = { prefix, leaseMs: LEASE_MS, seenTtlS: 60, sessionTtlS: 60, badSessionTtlS: 60, deadLettersMax: 3 };
const clients = [new Redis(testRedisUrl()), new Redis(testRedisUrl())];
afterAll(() => clients.forEach((c) => c.disconnect()));
/** Two processes: each its own connection, token base and session memory. */
const a = new RedisMailbox(clients[0]!, options);
const b = new RedisMailbox(clients[1]!, options);
const cipher = createDataCipher(Buffer.alloc(32, 3));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('attack: the hand-back that answers with the chat state', () => {
  it('with one try allowed, updates landing between every commit and hand-back are each handed over once', async () => {
    // Nothing renews the lease here (no drain, no timer), and this test never waits for it to run
    // out: a long one, so a loaded machine's pause between two calls cannot cost the chat (with
    // the 200 ms lease it once answered 'lost' beside other work).
    const long = { ...options, leaseMs: 10_000 };
    const a = new RedisMailbox(clients[0]!, long);
    const b = new RedisMailbox(clients[1]!, long);
    const chat = 9801;
    await b.append(chat, 1, 'u1', false);
    const taken = (await a.claim(chat))!;
    let session = cipher.encrypt('{"n":0}');
    let state = taken.state;
    for (let id = 1; id <= 20; id++) {
      expect(state.head).toBe(`${id}\nu${id}`);
      expect(state.starts, `update ${id}`).toBe(1); // > 1 with MAILBOX_MAX_ATTEMPTS=1: dead-lettered unrun
      session = cipher.encrypt(`{"n":${id}}`);
      expect(await a.commit(chat, taken.token, id, session, `out${id}`)).toEqual({ head: '', starts: 0 });
      // The other process's update arrives while this one sends: it cannot take the held chat.
      expect(await b.append(chat, id + 1, `u${id + 1}`, true)).toBe('appended');
      const answer = await a.release(chat, taken.token, true, false, undefined, session);
      if (typeof answer === 'string') throw new Error(`hand-back answered ${answer}`);
      // Sent outbox gone, own session not sent back but filled in, head counted once.
      expect(answer.more.outbox).toBe('');
      expect(answer.more.session).toBe(session);
      state = answer.more;
    }
    // A BEGIN now (a retry after a passing failure) is the second start of that same head.
    expect((await a.begin(chat, taken.token))?.starts).toBe(2);
  });

  it('a holder that dies after the answer leaves the count one up; a forced hand-back takes its start back', async () => {
    const chat = 9802;
    await a.append(chat, 1, 'u1', false);
    const first = (await a.claim(chat))!;
    await a.commit(chat, first.token, 1, '', '');
    await b.append(chat, 2, 'u2', false);
    const answer = await a.release(chat, first.token, false, false);
    expect(answer).toMatchObject({ more: { head: '2\nu2', starts: 1 } });
    // Dies here, holding the chat: the next process, after the lease, sees the second start.
    await sleep(LEASE_MS + 50);
    const second = (await b.claim(chat))!;
    expect(second.state).toMatchObject({ head: '2\nu2', starts: 2 });
    // That one shuts down before running it: forced back, the start it was handed is taken back.
    expect(await b.release(chat, second.token, false, true)).toBe('released');
    expect((await a.claim(chat))!.state.starts).toBe(2);
  });

  it('an unsent outbox comes back with the answer until it is sent, and stays put for the next holder', async () => {
    const chat = 9803;
    await a.append(chat, 1, 'u1', false);
    const first = (await a.claim(chat))!;
    await a.commit(chat, first.token, 1, '', 'reply-1');
    await b.append(chat, 2, 'u2', false);
    // Not sent (say, Telegram was down and the process is about to die): it is handed back, kept.
    expect(await a.release(chat, first.token, false, false)).toMatchObject({ more: { outbox: 'reply-1', head: '2\nu2' } });
    await sleep(LEASE_MS + 50);
    const second = (await b.claim(chat))!;
    expect(second.state).toMatchObject({ outbox: 'reply-1', head: '2\nu2' });
    // Sent by the next holder, then its own reply replaces it in its commit: never sent twice.
    await b.commit(chat, second.token, 2, '', 'reply-2');
    await b.append(chat, 3, 'u3', false);
    expect(await b.release(chat, second.token, true, false)).toMatchObject({ more: { outbox: '', head: '3\nu3', starts: 1 } });
  });

  it('a session changed or erased under the holder comes back as stored, never as the stale "="', async () => {
    const chat = 9804;
    const sessions = redisStoredSessions(clients[1]!, prefix);
    const mine = cipher.encrypt('{"locale":"ru"}');
    await a.append(chat, 1, 'u1', false);
    const taken = (await a.claim(chat))!;
    await a.commit(chat, taken.token, 1, mine, '');
    // "Delete my data" from a tool while the chat is held.
    await sessions.eraseSession(chat);
    await b.append(chat, 2, 'u2', false);
    expect(await a.release(chat, taken.token, false, false, undefined, mine)).toMatchObject({ more: { session: '' } });
    await a.commit(chat, taken.token, 2, mine, '');
    // Another ciphertext stored meanwhile (same length, same first bytes as mine up to the IV).
    const theirs = cipher.encrypt('{"locale":"kk"}');
    await clients[1]!.set(`${prefix}:{${chat}}:sess`, theirs);
    await b.append(chat, 3, 'u3', false);
    expect(await a.release(chat, taken.token, true, false, undefined, mine)).toMatchObject({ more: { session: theirs } });
    await a.commit(chat, taken.token, 3, mine, '');
    // Expired (SESSION_TTL_S) between commit and hand-back: none, not the worker's copy.
    await clients[1]!.pexpire(`${prefix}:{${chat}}:sess`, 1);
    await sleep(5);
    await b.append(chat, 4, 'u4', false);
    expect(await a.release(chat, taken.token, true, false, undefined, mine)).toMatchObject({ more: { session: '', head: '4\nu4' } });
  });

  it('a holder whose lease ran out gets "lost" and changes nothing of the next holder', async () => {
    const chat = 9805;
    await a.append(chat, 1, 'u1', false);
    const stale = (await a.claim(chat))!;
    await a.commit(chat, stale.token, 1, cipher.encrypt('{}'), 'reply-1');
    await b.append(chat, 2, 'u2', false);
    await sleep(LEASE_MS + 50);
    const next = (await b.claim(chat))!;
    expect(next.state).toMatchObject({ outbox: 'reply-1', head: '2\nu2', starts: 1 });
    // The stale holder's hand-back, "outbox sent", after the next one took the chat.
    expect(await a.release(chat, stale.token, true, false)).toBe('lost');
    expect(await a.release(chat, stale.token, true, true)).toBe('lost');
    // Outbox still there to send, the head's count not moved, the chat still the new holder's.
    expect(await b.begin(chat, next.token)).toMatchObject({ outbox: 'reply-1', head: '2\nu2', starts: 2 });
    expect(await b.renew(chat, next.token)).toBe(true);
  });
});
