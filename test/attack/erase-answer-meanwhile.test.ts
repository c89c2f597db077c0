// An operator answers at the moment the person deletes their data: the answer was stored on the
// question before the erasure deleted it, and queued after the erasure had cleared the person's
// jobs from the queue. Nothing checked at send time that the question was still there, so the
// answer reached the chat of someone told "your data has been deleted", and its text stayed in
// the queue for a week.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { groupText } from '../support/group-updates.js';
import { testRedisUrl } from '../support/isolation.js';
import { testCipher } from '../support/data-key.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';
import { askPerson, STAFF_CHAT, until } from '../features/inquiries/helpers.js';
import { createDeliveryQueue, type ClosableDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { startBotDeliveryWorker } from '../../src/delivery/bot-worker.js';
import { DELIVERY_QUEUE_NAME } from '../../src/delivery/keys.js';
import { createLogger } from '../../src/logger.js';
import type { DeliveryJob } from '../../src/delivery/types.js';

const OPERATOR = 7401;

describe('attack: an answer queued while the person deletes their data', () => {
  let app: TestApp;
  let queue: ClosableDeliveryQueue;
  let worker: { close(): Promise<void> };
  /** While set, an operator's answer waits here before it is queued (a slow process). */
  let hold: Promise<void> | undefined;
  let held = false;

  beforeAll(async () => {
    const prefix = `t-${randomBytes(5).toString('hex')}`;
    queue = createDeliveryQueue({ redisUrl: testRedisUrl(), prefix, cipher: testCipher() });
    const enqueue = queue.enqueue.bind(queue);
    queue.enqueue = async (jobs: DeliveryJob[]) => {
      if (hold && jobs.some((j) => j.kind === 'inquiry-relay' && j.actedBy)) {
        held = true;
        await hold;
      }
      return enqueue(jobs);
    };
    app = await createTestApp('atk_erase_answer', { adminIds: [OPERATOR], delivery: queue, redisPrefix: prefix, env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' } });
    worker = startBotDeliveryWorker({
      config: app.config, redis: app.redis, services: app.bot.services, i18n: app.bot.i18n, api: app.bot.runtime.api,
      logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await app?.close();
  });

  it('is not sent, and its text does not stay in the queue', async () => {
    const chat = 6701;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Who pays for the social taxi?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;

    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const answering = app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Call 1414 about the taxi.', { enqueue: false }));
    await until('the answer stored, not yet queued', () => held);

    await app.command(chat, 'mydata');
    await app.tapLike(chat, 'Delete all my data');
    await app.tapLike(chat, 'Yes, delete everything');
    expect(app.drain(chat).join('\n')).toContain('your data has been deleted');
    expect(await app.bot.services.inquiries.get(ref)).toBeNull();

    release();
    hold = undefined;
    await answering;
    await untilDeliveryIdle(app.config);
    expect(app.api.messagesTo(chat).map((m) => m.text ?? '').join('\n')).not.toContain('Call 1414');
    const bull = new Queue(DELIVERY_QUEUE_NAME, { prefix: app.config.REDIS_PREFIX, connection: { url: app.config.REDIS_URL } });
    try {
      const kept = (await bull.getJobs(['completed', 'failed', 'waiting', 'delayed'])).filter((j) => j.data.chatId === chat && (j.data.text || j.data.textSealed));
      expect(kept.map((j) => j.id)).toEqual([]);
    } finally {
      await bull.close();
    }
  }, 60_000);
});
