import { describe, expect, it } from 'vitest';
import { createDeliveryRig, textJob, type DeliveryRig } from './helpers.js';
import { limiterFor } from '../../src/delivery/delivery-worker.js';
import type { BotApiOptions } from '../../src/platform/bot-api/index.js';

/** A rig of its own (Bot API server, queue prefix, workers) for one test, closed when it ends. */
async function withRig(name: string, body: (rig: DeliveryRig) => Promise<void>, apiOptions: BotApiOptions = {}): Promise<void> {
  const rig = await createDeliveryRig(name, apiOptions);
  try {
    await body(rig);
  } finally {
    await rig.close();
  }
}

// Most of these tests wait out a real second (a 429's retry_after, the per-chat gap, a back-off,
// a scheduled time); their rigs share nothing, so they wait together (it.concurrent). Their timing
// checks are lower bounds, which other tests running meanwhile cannot make pass wrongly. The
// even-spacing test also bounds bursts from above, so it runs alone.
describe('delivery queue and worker', () => {
  it.concurrent('sends each job once, even when the same id is enqueued again before and after sending', () => withRig('dedupe', async (rig) => {
    await rig.queue.enqueue([textJob('d-1', 101), textJob('d-1', 101), textJob('d-2', 102)]);
    rig.startWorker();
    await rig.waitForOutcomes(2);
    await rig.queue.enqueue([textJob('d-1', 101)]);
    await rig.idle();
    expect(rig.api.sentByChat.get(101)).toBe(1);
    expect(rig.api.sentByChat.get(102)).toBe(1);
    expect(rig.outcomes.map((o) => o.outcome.status)).toEqual(['sent', 'sent']);
    expect(rig.api.lastMessageTo(101)?.text).toBe('message d-1');
  }));

  it.concurrent('refuses job ids BullMQ cannot hold', () => withRig('ids', async (rig) => {
    await expect(rig.queue.enqueue([textJob('bad:id', 1)])).rejects.toThrow(/':'/);
    await expect(rig.queue.enqueue([textJob('ok', 1, { text: ' ' })])).rejects.toThrow(/text/);
  }));

  it.concurrent('waits out a 429 for as long as Telegram asks, with no request before that', () => withRig('429', async (rig) => {
    rig.api.failNext('sendMessage', 429, 'Too Many Requests: retry after 1', { retry_after: 1 });
    await rig.queue.enqueue([201, 202, 203, 204].map((chat) => textJob(`r-${chat}`, chat)));
    rig.startWorker({ concurrency: 1 });
    await rig.waitForOutcomes(4);
    const sends = rig.api.callsOf('sendMessage');
    expect(sends.length).toBe(5);
    const rejectedAt = sends[0]!.at;
    for (const call of sends.slice(1)) expect(call.at - rejectedAt).toBeGreaterThanOrEqual(1000);
    expect(rig.outcomes.every((o) => o.outcome.status === 'sent')).toBe(true);
    expect(rig.api.counts.injected).toBe(1);
  }));

  it.concurrent('marks a chat that blocked the bot and does not retry it', () => withRig('403', async (rig) => {
    await rig.queue.enqueue([textJob('b-301', 301), textJob('b-302', 302)]);
    rig.startWorker();
    await rig.waitForOutcomes(2);
    await rig.idle();
    expect(rig.blocked).toEqual([301]);
    expect(rig.api.callsOf('sendMessage', 301)).toHaveLength(1);
    expect(rig.outcomes.find((o) => o.job.chatId === 301)?.outcome.status).toBe('blocked');
  }, { blockedChats: new Set([301]) }));

  it.concurrent('records other 400s as failed with the reason, without retrying', () => withRig('400', async (rig) => {
    rig.api.failNext('sendMessage', 400, 'Bad Request: chat not found');
    await rig.queue.enqueue([textJob('f-401', 401)]);
    rig.startWorker();
    await rig.waitForOutcomes(1);
    await rig.idle();
    expect(rig.api.callsOf('sendMessage', 401)).toHaveLength(1);
    expect(rig.outcomes[0]!.outcome).toMatchObject({ status: 'failed', reason: expect.stringContaining('chat not found') });
  }));

  it.concurrent('retries server errors with backoff and then delivers', () => withRig('500', async (rig) => {
    rig.api.failNext('sendMessage', 502, 'Bad Gateway');
    await rig.queue.enqueue([textJob('s-501', 501)]);
    rig.startWorker();
    await rig.waitForOutcomes(1, 15_000);
    const calls = rig.api.callsOf('sendMessage', 501);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(900);
    expect(rig.outcomes).toHaveLength(1);
    expect(rig.outcomes[0]!.outcome.status).toBe('sent');
  }));

  it.concurrent('sends at most one message a second to the same chat', () => withRig('per-chat', async (rig) => {
    await rig.queue.enqueue([1, 2, 3].map((n) => textJob(`c-${n}`, 601)));
    rig.startWorker({ concurrency: 3 });
    await rig.waitForOutcomes(3, 10_000);
    const at = rig.api.callsOf('sendMessage', 601).map((c) => c.at);
    expect(at).toHaveLength(3);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(900);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(900);
  }));

  it.concurrent('does not send a scheduled job before its time', () => withRig('schedule', async (rig) => {
    const notBefore = new Date(Date.now() + 1500);
    await rig.queue.enqueue([textJob('t-701', 701, { notBefore })]);
    rig.startWorker();
    await rig.waitForOutcomes(1, 10_000);
    const call = rig.api.callsOf('sendMessage', 701)[0]!;
    expect(call.at).toBeGreaterThanOrEqual(notBefore.getTime());
  }));

  it.concurrent('cancels jobs that have not been sent', () => withRig('cancel', async (rig) => {
    const notBefore = new Date(Date.now() + 1000);
    await rig.queue.enqueue([textJob('x-801', 801, { notBefore }), textJob('x-802', 802, { notBefore })]);
    await rig.queue.cancel(['x-801']);
    rig.startWorker();
    await rig.waitForOutcomes(1, 10_000);
    await rig.idle();
    expect(rig.api.callsOf('sendMessage', 801)).toHaveLength(0);
    expect(rig.api.callsOf('sendMessage', 802)).toHaveLength(1);
  }));

  it.concurrent('drops a job its guard no longer wants, and reports it once', () => withRig('guard', async (rig) => {
    await rig.queue.enqueue([textJob('g-901', 901, { kind: 'broadcast' }), textJob('g-902', 902, { kind: 'grant-status' })]);
    rig.startWorker({ guards: { broadcast: async () => false } });
    await rig.waitForOutcomes(2);
    expect(rig.api.callsOf('sendMessage', 901)).toHaveLength(0);
    expect(rig.api.callsOf('sendMessage', 902)).toHaveLength(1);
    expect(rig.outcomes.find((o) => o.job.chatId === 901)?.outcome.status).toBe('skipped');
  }));

  it('keeps the rate across workers with sends evenly spaced, never a burst', () => withRig('rate-spacing', async (rig) => {
    const chats = Array.from({ length: 30 }, (_, i) => 1101 + i);
    await rig.queue.enqueue(chats.map((chat) => textJob(`s-${chat}`, chat)));
    // Two workers share one rate of 20 a second: one slot every 50 ms between them.
    rig.startWorker({ ratePerSecond: 20 });
    rig.startWorker({ ratePerSecond: 20 });
    await rig.waitForOutcomes(chats.length, 15_000);
    const at = rig.api.callsOf('sendMessage').map((c) => c.at).sort((a, b) => a - b);
    expect(at).toHaveLength(chats.length);
    // Never faster than the rate overall (29 gaps of 50 ms; a little less for timer jitter)...
    expect(at[at.length - 1]! - at[0]!).toBeGreaterThanOrEqual(29 * 50 * 0.9);
    // ...and no burst: BullMQ's window limiter let a whole window's quota start at once, so two
    // windows meeting gave one second twice the rate. Here any second holds the rate and no more
    // than a few extra that the network or a stalled event loop delivered late in a clump.
    const within = (first: number) => at.filter((t) => t >= first && t < first + 1000).length;
    for (const first of at) expect(within(first)).toBeLessThanOrEqual(24);
    expect(rig.api.counts.rejected429).toBe(0);
  }));

  // A rate that does not divide 1000 (Telegram's own 30 a second) gives fractional slots; the gate
  // once passed "1000.33" to Redis as a PX time, which Redis refuses, so every send that had to
  // wait for its slot failed and was retried until its attempts ran out.
  it.concurrent.each([30, 7])('delivers every message once at %i a second (a slot of a fraction of a millisecond)', (rate) => withRig(`rate-${rate}`, async (rig) => {
    const chats = Array.from({ length: 12 }, (_, i) => 1201 + rate * 100 + i);
    await rig.queue.enqueue(chats.map((chat) => textJob(`f-${chat}`, chat)));
    rig.startWorker({ ratePerSecond: rate });
    await rig.waitForOutcomes(chats.length, 15_000);
    await rig.idle();
    for (const chat of chats) expect(rig.api.callsOf('sendMessage', chat), `chat ${chat}`).toHaveLength(1);
    expect(rig.outcomes.map((o) => o.outcome.status)).toEqual(chats.map(() => 'sent'));
  }));

  it('uses BullMQ\'s limiter only as a ceiling above the rate (for the pause after a 429)', () => {
    expect(limiterFor(25)).toEqual({ max: 50, duration: 1000 });
    expect(limiterFor(1000)).toEqual({ max: 2000, duration: 1000 });
  });
});
