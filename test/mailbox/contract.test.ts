// One set of behaviour tests for both chat mailboxes: RedisMailbox on the real test Redis and the
// MemoryMailbox that scene tests run on. Whatever the pipeline may rely on is asserted here, so
// the in-memory one cannot drift from production's.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisMailbox, type ChatMailbox, type MailboxOptions } from '../../src/session/mailbox.js';
import { SessionStore } from '../../src/session/session-store.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { MemoryMailbox } from '../support/memory-mailbox.js';
import { testRedisPrefix, testRedisUrl } from '../support/isolation.js';

const LEASE_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const options = (): MailboxOptions => ({
  prefix: `${testRedisPrefix('mailbox_contract')}chat`,
  leaseMs: LEASE_MS,
  seenTtlS: 60,
  sessionTtlS: 60,
  badSessionTtlS: 60,
  deadLettersMax: 3,
});

const clients: Redis[] = [];
afterAll(() => clients.forEach((c) => c.disconnect()));

const implementations: Array<[string, () => ChatMailbox]> = [
  [
    'RedisMailbox (real Redis)',
    () => {
      const redis = new Redis(testRedisUrl());
      clients.push(redis);
      return new RedisMailbox(redis, options());
    },
  ],
  ['MemoryMailbox', () => new MemoryMailbox(options())],
];

describe.each(implementations)('%s', (_name, make) => {
  it('takes an update in once: a repeated update id is a duplicate', async () => {
    const box = make();
    expect(await box.append(1, 10, 'a', false)).toBe('appended');
    expect(await box.append(1, 10, 'a again', false)).toBe('duplicate');
    expect(await box.append(1, 10, 'a again', true)).toBe('duplicate');
    expect(await box.waiting(1)).toBe(1);
    expect(await box.pendingChats()).toBe(1);
  });

  it('appending with take leases a free chat and returns its state; a held chat is only appended to', async () => {
    const box = make();
    const taken = await box.append(2, 1, 'first', true);
    expect(taken).toMatchObject({ state: { outbox: '', head: '1\nfirst', session: '' } });
    expect(await box.append(2, 2, 'second', true)).toBe('appended');
    expect(await box.claim(2)).toBeNull();
    expect(await box.waiting(2)).toBe(2);
  });

  it('a session the appending process already holds comes back as itself; one changed since comes back as stored', async () => {
    const box = make();
    const cipher = createDataCipher(Buffer.alloc(32, 7));
    const mine = cipher.encrypt('{"locale":"kk"}');
    const theirs = cipher.encrypt('{"locale":"ru"}');
    const first = await box.append(21, 1, 'one', true);
    if (typeof first === 'string') throw new Error('not taken');
    await box.commit(21, first.token, 1, mine, '');
    await box.release(21, first.token, true, false);
    const again = await box.append(21, 2, 'two', true, undefined, mine);
    expect(again).toMatchObject({ state: { head: '2\ntwo', session: mine, starts: 1 } });
    if (typeof again === 'string') throw new Error('not taken');
    // Another process stored a new session meanwhile: the stale copy is never used.
    await box.commit(21, again.token, 2, theirs, '');
    await box.release(21, again.token, true, false);
    expect(await box.append(21, 3, 'three', true, undefined, mine)).toMatchObject({ state: { head: '3\nthree', session: theirs } });
  });

  it('one lease per chat: claim, begin and renew answer only the holder', async () => {
    const box = make();
    await box.append(3, 1, 'x', false);
    const first = await box.claim(3);
    expect(first).toMatchObject({ state: { head: '1\nx', outbox: '', session: '' } });
    expect(await box.claim(3)).toBeNull();
    expect(await box.begin(3, 'not-the-token')).toBeNull();
    // Every hand-over of the head counts a start (claim, then begin): a poison update is counted
    // even when its process dies before recording anything.
    expect(await box.begin(3, first!.token)).toEqual({ outbox: '', head: '1\nx', session: '', starts: 2 });
    expect(await box.renew(3, 'not-the-token')).toBe(false);
    expect(await box.renew(3, first!.token)).toBe(true);
  });

  it('commit removes the handled head only, stores the session and the outbox, and returns the next head', async () => {
    const box = make();
    await box.append(4, 1, 'one', false);
    await box.append(4, 2, 'two', false);
    const { token } = (await box.claim(4))!;
    expect(await box.commit(4, token, 9, 'sealed-s0', 'out0')).toEqual({ head: '1\none', starts: 2 }); // not the head: stays
    expect(await box.commit(4, token, 1, 'sealed-s1', 'out1')).toEqual({ head: '2\ntwo', starts: 1 });
    expect(await box.begin(4, token)).toEqual({ outbox: 'out1', head: '2\ntwo', session: 'sealed-s1', starts: 2 });
    expect(await box.commit(4, token, 2, '', '')).toEqual({ head: '', starts: 0 }); // '' keeps the session, clears the outbox
    expect(await box.begin(4, token)).toEqual({ outbox: '', head: '', session: 'sealed-s1', starts: 0 });
    expect(await box.storedSession(4)).toBe('sealed-s1');
    await box.append(4, 3, 'three', false);
    expect(await box.commit(4, token, 3, '-', '')).toEqual({ head: '', starts: 0 }); // '-' deletes the session
    expect(await box.storedSession(4)).toBe('');
    expect(await box.commit(4, 'stale', 3, 'x', '')).toBeNull();
  });

  it('release: "more" while updates wait, then handed back; a forced release keeps the chat ready', async () => {
    const box = make();
    await box.append(5, 1, 'one', false);
    const { token } = (await box.claim(5))!;
    await box.append(5, 2, 'two', false);
    await box.commit(5, token, 1, 's', '');
    expect(await box.release(5, token, false, false)).toBe('more');
    expect(await box.release(5, 'stale', false, false)).toBe('lost');
    expect(await box.release(5, token, false, true)).toBe('released');
    expect(await box.pendingChats()).toBe(1); // forced out with an update waiting: still ready
    const again = await box.claim(5);
    expect(again?.state.head).toBe('2\ntwo');
    // Handed over by the commit, then handed back unrun: that start was taken back.
    expect(again?.state.starts).toBe(1);
    await box.commit(5, again!.token, 2, '', '');
    expect(await box.release(5, again!.token, false, false)).toBe('released');
    expect(await box.pendingChats()).toBe(0);
    expect(await box.release(5, again!.token, false, false)).toBe('lost');
  });

  it('an unsent outbox keeps the chat ready after release; a sent one is cleared', async () => {
    const box = make();
    await box.append(6, 1, 'one', false);
    const { token } = (await box.claim(6))!;
    await box.commit(6, token, 1, 's', 'replies');
    expect(await box.release(6, token, false, false)).toBe('released');
    expect(await box.pendingChats()).toBe(1);
    const next = await box.claim(6);
    expect(next?.state).toEqual({ outbox: 'replies', head: '', session: 's', starts: 0 });
    expect(await box.release(6, next!.token, true, false)).toBe('released');
    expect(await box.pendingChats()).toBe(0);
    expect((await box.claim(6))?.state.outbox).toBe('');
  });

  it('claimDue takes due, free chats only, up to max, oldest first, with `<base>.<chatId>` tokens', async () => {
    const box = make();
    const t0 = Date.now();
    await box.append(71, 1, 'a', false, t0 - 30);
    await box.append(72, 1, 'b', false, t0 - 20);
    await box.append(73, 1, 'c', false, t0 - 10);
    await box.append(74, 1, 'd', false, t0 + 60_000); // not due yet
    const held = await box.claim(72, t0 - 20);
    expect(held).not.toBeNull();
    // 72 is held: its ready time lies a lease ahead, so only 71 and 73 are due.
    const taken = await box.claimDue(1, t0);
    expect(taken.map(([id]) => id)).toEqual([71]);
    const rest = await box.claimDue(10, t0);
    expect(rest.map(([id]) => id)).toEqual([73]);
    const [, token] = rest[0]!;
    expect(token).toMatch(/\.73$/);
    expect(await box.begin(73, token)).toMatchObject({ head: '1\nc' });
    expect(await box.claimDue(10, t0)).toEqual([]);
  });

  it('a chat whose ready time has come but whose lease is still held is pushed back, not taken', async () => {
    const box = make();
    const t0 = Date.now();
    await box.append(8, 1, 'a', false, t0);
    const held = (await box.claim(8, t0))!;
    // A scan far in the future (the ready time has passed) still finds the lease held.
    expect(await box.claimDue(10, t0 + 10 * LEASE_MS)).toEqual([]);
    expect(await box.begin(8, held.token)).not.toBeNull();
  });

  it('a lease runs out: another worker takes the chat and the old holder can no longer commit', async () => {
    const box = make();
    await box.append(9, 1, 'a', false);
    const old = (await box.claim(9))!;
    await sleep(LEASE_MS + 100);
    const fresh = await box.claim(9);
    expect(fresh?.state.head).toBe('1\na');
    // The second hand-over of the same update: the first holder's try counts although it recorded nothing.
    expect(fresh?.state.starts).toBe(2);
    expect(await box.commit(9, old.token, 1, 's', '')).toBeNull();
    expect(await box.renew(9, old.token)).toBe(false);
    expect(await box.commit(9, fresh!.token, 1, 's', '')).toEqual({ head: '', starts: 0 });
  });

  it('sets an unreadable session aside under the lease only', async () => {
    const box = make();
    await box.append(10, 1, 'a', false);
    const { token } = (await box.claim(10))!;
    expect(await box.setAside(10, token)).toBe(false); // nothing stored yet
    await box.commit(10, token, 1, 'garbled', '');
    expect(await box.setAside(10, 'stale')).toBe(false);
    expect(await box.storedSession(10)).toBe('garbled');
    expect(await box.setAside(10, token)).toBe(true);
    expect(await box.storedSession(10)).toBe('');
  });

  it('keeps dead letters newest first, at most deadLettersMax', async () => {
    const box = make();
    for (const n of [1, 2, 3, 4]) await box.deadLetter({ n });
    expect(await box.deadLetters()).toEqual([{ n: 4 }, { n: 3 }, { n: 2 }]);
  });

  it('a SessionStore over it reads and erases the committed session', async () => {
    const box = make();
    const store = new SessionStore(box, createDataCipher(Buffer.alloc(32, 7)));
    expect(await store.peek(11)).toBeNull();
    await box.append(11, 1, 'a', false);
    const { token } = (await box.claim(11))!;
    await box.commit(11, token, 1, store.seal({ locale: 'kk', data: { n: 1 } }).sealed, '');
    expect(await store.peek(11)).toEqual({ locale: 'kk', data: { n: 1 } });
    await store.erase(11);
    expect(await store.peek(11)).toBeNull();
    expect(await box.begin(11, token)).toEqual({ outbox: '', head: '', session: '', starts: 0 });
  });
});

describe('SessionStore memory of the sessions it stored', () => {
  const cipher = createDataCipher(Buffer.alloc(32, 7));
  const store = () => new SessionStore(new MemoryMailbox(options()), cipher);

  it('starts from memory only for the exact ciphertext it stored last, and forgets a deleted or erased one', async () => {
    const sessions = store();
    const a = sessions.seal({ locale: 'kk' });
    const b = sessions.seal({ locale: 'ru' });
    // A JSON unlike the ciphertext's shows which one was used.
    sessions.remember(1, a.sealed, '{"locale":"en"}');
    expect(sessions.known(1)).toBe(a.sealed);
    expect(sessions.openFor(1, a.sealed)).toEqual({ locale: 'en' });
    expect(sessions.openFor(1, b.sealed)).toEqual({ locale: 'ru' });
    expect(sessions.openFor(2, a.sealed)).toEqual({ locale: 'kk' });
    sessions.remember(1, '', '');
    expect(sessions.known(1)).toBe(a.sealed);
    sessions.remember(1, '-', '');
    expect(sessions.known(1)).toBe('');
    expect(sessions.openFor(1, a.sealed)).toEqual({ locale: 'kk' });
    sessions.remember(3, b.sealed, b.json);
    await sessions.erase(3);
    expect(sessions.known(3)).toBe('');
  });
});
