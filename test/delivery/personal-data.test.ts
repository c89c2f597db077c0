import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createDeliveryRig, textJob, type DeliveryRig } from './helpers.js';
import { createDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { DELIVERY_QUEUE_NAME } from '../../src/delivery/keys.js';
import { createDataCipher } from '../../src/security/crypto.js';

// What an operator might write to a citizen: a name, an IIN and a phone number.
const SECRET = 'Aigerim, your IIN 900101300123 is fixed; call +7 701 123 4567';
const MARKERS = ['Aigerim', '900101300123', '701 123 4567'];

/** Every string Redis holds under the rig's prefix (hash fields, strings, list and set members). */
async function everythingStored(redis: Redis, prefix: string): Promise<string> {
  const keys = await redis.keys(`${prefix}:*`);
  const parts: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === 'hash') parts.push(...Object.values(await redis.hgetall(key)));
    else if (type === 'string') parts.push((await redis.get(key)) ?? '');
    else if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
    else if (type === 'zset' || type === 'set') parts.push(...(type === 'set' ? await redis.smembers(key) : await redis.zrange(key, 0, -1)));
  }
  return parts.join('\n');
}

describe('delivery job texts at rest', () => {
  let rig: DeliveryRig;
  let redis: Redis;
  beforeAll(async () => {
    rig = await createDeliveryRig('sealed');
    redis = new Redis(rig.redisUrl);
  });
  afterAll(async () => {
    redis.disconnect();
    await rig.close();
  });

  it('keeps no message text readable in Redis, waiting or sent, and still delivers it as written', async () => {
    const later = new Date(Date.now() + 3600_000);
    await rig.queue.enqueue([
      textJob('s-now', 501, { text: SECRET, kind: 'inquiry-relay' }),
      textJob('s-later', 502, { text: SECRET, notBefore: later }),
      textJob('s-copy', 503, { text: SECRET, copy: { fromChatId: 9, messageId: 1 } }),
    ]);
    const waiting = await everythingStored(redis, rig.prefix);
    expect(waiting).toContain('s-now');
    for (const marker of MARKERS) expect(waiting).not.toContain(marker);

    rig.startWorker();
    await rig.waitForOutcomes(2);
    await rig.idle();
    expect(rig.api.lastMessageTo(501)?.text).toBe(SECRET);
    expect(rig.api.callsOf('copyMessage', 503)[0]?.payload.caption).toBe(SECRET);
    // Sent jobs stay a week for their ids, and the delayed one waits: neither shows the text.
    const after = await everythingStored(redis, rig.prefix);
    for (const marker of MARKERS) expect(after).not.toContain(marker);
    expect(rig.api.callsOf('sendMessage', 502)).toHaveLength(0);
  });

  it('still delivers a job queued before texts were sealed', async () => {
    const legacy = new Queue(DELIVERY_QUEUE_NAME, { prefix: rig.prefix, connection: { url: rig.redisUrl } });
    await legacy.add('notice', { id: 'legacy-1', chatId: 511, kind: 'notice', text: 'written before the upgrade' }, { jobId: 'legacy-1' });
    await legacy.close();
    rig.startWorker();
    await rig.idle();
    expect(rig.api.lastMessageTo(511)?.text).toBe('written before the upgrade');
  });

  it('fails a job sealed with another DATA_KEY once, sending nothing, and goes on with the rest', async () => {
    const stranger = createDeliveryQueue({ redisUrl: rig.redisUrl, prefix: rig.prefix, cipher: createDataCipher(randomBytes(32)) });
    await stranger.enqueue([textJob('foreign-1', 521, { text: SECRET })]);
    await stranger.close();
    await rig.queue.enqueue([textJob('mine-1', 522)]);
    rig.startWorker();
    await rig.idle();
    expect(rig.api.callsOf('sendMessage', 521)).toHaveLength(0);
    expect(rig.api.lastMessageTo(522)?.text).toBe('message mine-1');
    const foreign = rig.outcomes.filter((o) => o.job.id === 'foreign-1');
    expect(foreign.map((o) => o.outcome)).toEqual([{ status: 'failed', reason: 'unreadable text' }]);
    expect(foreign[0]?.job.text).toBe('');
  });

  it('leaves a broadcast job without text as small as before (nothing to seal)', async () => {
    const queue = new Queue(DELIVERY_QUEUE_NAME, { prefix: rig.prefix, connection: { url: rig.redisUrl } });
    const paused = createDeliveryQueue({ redisUrl: rig.redisUrl, prefix: rig.prefix, cipher: createDataCipher(randomBytes(32)) });
    const at = new Date(Date.now() + 3600_000);
    await paused.enqueue([{ id: 'bc-x-1', chatId: 531, kind: 'broadcast', text: '', locale: 'kk', broadcastId: 'x', notBefore: at }]);
    const job = await queue.getJob('bc-x-1');
    expect(job?.data).toEqual({ id: 'bc-x-1', chatId: 531, kind: 'broadcast', text: '', locale: 'kk', broadcastId: 'x', notBefore: at.toISOString() });
    await job?.remove();
    await paused.close();
    await queue.close();
  });
});

describe('"delete my data" and the delivery queue', () => {
  let rig: DeliveryRig;
  let redis: Redis;
  beforeAll(async () => {
    rig = await createDeliveryRig('forget');
    redis = new Redis(rig.redisUrl);
  });
  afterAll(async () => {
    redis.disconnect();
    await rig.close();
  });

  it('removes every message to the person, sent or still waiting, and no other chat\'s', async () => {
    const later = new Date(Date.now() + 3600_000);
    await rig.queue.enqueue([textJob('f-sent', 601), textJob('f-other', 602), textJob('f-sent-2', 601, { kind: 'grant-status' })]);
    rig.startWorker();
    await rig.idle();
    await rig.queue.enqueue([textJob('f-later', 601, { notBefore: later })]);
    const jobKey = (id: string) => `${rig.prefix}:${DELIVERY_QUEUE_NAME}:${id}`;
    expect(await redis.exists(jobKey('f-sent'), jobKey('f-sent-2'), jobKey('f-later'), jobKey('f-other'))).toBe(4);

    expect(await rig.queue.forgetChat!(601)).toBe(3);
    expect(await redis.exists(jobKey('f-sent'), jobKey('f-sent-2'), jobKey('f-later'))).toBe(0);
    expect(await redis.exists(jobKey('f-other'))).toBe(1);
    // Again (the person confirms a second time after a failure): nothing left, nothing breaks.
    expect(await rig.queue.forgetChat!(601)).toBe(0);
  });

  it('never sends a forgotten message later, nor one already sent again when its id is queued anew', async () => {
    await rig.queue.enqueue([textJob('g-sent', 611)]);
    rig.startWorker();
    await rig.idle();
    await rig.queue.enqueue([textJob('g-soon', 611, { notBefore: new Date(Date.now() + 600) })]);
    await rig.queue.forgetChat!(611);
    await rig.queue.enqueue([textJob('g-sent', 611)]);
    await new Promise((resolve) => setTimeout(resolve, 900));
    await rig.idle();
    expect(rig.api.callsOf('sendMessage', 611).map((c) => c.payload.text)).toEqual(['message g-sent']);
  });

  it('leaves no text of a message a worker held at that moment: it stays in Redis a week after sending', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let taken!: () => void;
    const isTaken = new Promise<void>((resolve) => (taken = resolve));
    // A rig of its own: the other tests' workers would take the job first.
    const own = await createDeliveryRig('forget-held');
    const worker = own.startWorker({
      guards: {
        notice: async () => {
          taken();
          await held;
          return true;
        },
      },
    });
    await own.queue.enqueue([textJob('h-held', 631, { text: SECRET })]);
    await isTaken;
    await own.queue.forgetChat!(631);
    release();
    await own.idle();
    await worker.close();
    // Not sent after the erasure, and nothing of it readable or openable is kept.
    expect(own.api.callsOf('sendMessage', 631)).toHaveLength(0);
    const job = await redis.hgetall(`${own.prefix}:${DELIVERY_QUEUE_NAME}:h-held`);
    expect(job.data ?? '').not.toContain('textSealed');
    await own.close();
  });

  it('a message queued to the person while the erasure runs stays findable by the index', async () => {
    const chat = 641;
    const many = Array.from({ length: 1500 }, (_, i) => textJob(`r-${i}`, chat, { notBefore: new Date(Date.now() + 3600_000) }));
    await rig.queue.enqueue(many);
    const jobKey = (id: string) => `${rig.prefix}:${DELIVERY_QUEUE_NAME}:${id}`;
    const erasing = rig.queue.forgetChat!(chat);
    // Queued once the erasure has read the index and is removing what it found.
    while ((await redis.exists(...many.map((j) => jobKey(j.id)))) > 1400) await new Promise((resolve) => setTimeout(resolve, 5));
    await rig.queue.enqueue([textJob('r-late', chat, { notBefore: new Date(Date.now() + 3600_000) })]);
    await erasing;
    // Either this erasure took it, or the next one finds it.
    if (await redis.exists(jobKey('r-late'))) expect(await redis.smembers(`${rig.prefix}:dlv:chat-jobs:${chat}`)).toContain('r-late');
    await rig.queue.forgetChat!(chat);
    expect(await redis.exists(jobKey('r-late'))).toBe(0);
  });

  it('keeps broadcast jobs out of the index (200,000 of them would each cost a write)', async () => {
    await rig.queue.enqueue([{ id: 'bc-y-621', chatId: 621, kind: 'broadcast', text: '', locale: 'ru', broadcastId: 'y', notBefore: new Date(Date.now() + 3600_000) }]);
    expect(await redis.exists(`${rig.prefix}:dlv:chat-jobs:621`)).toBe(0);
    await rig.queue.cancel(['bc-y-621']);
  });
});
