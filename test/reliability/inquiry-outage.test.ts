import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from '../../src/platform/bot-api/index.js';
import { createHttpServer } from '../../src/telegram/http-server.js';
import { createLogger } from '../../src/logger.js';
import { createDeliveryQueue, type ClosableDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { startBotDeliveryWorker } from '../../src/delivery/bot-worker.js';
import type { DeliveryWorkerHandle } from '../../src/delivery/delivery-worker.js';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { startRestartableFerret, type RestartableService } from '../support/restartable.js';
import { testRedisUrl } from '../support/isolation.js';
import { testCipher } from '../support/data-key.js';
import { groupText, messagesInThread } from '../support/group-updates.js';
import { untilMailboxIdle } from '../support/mailbox-idle.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';
import { askPerson, STAFF_CHAT, until } from '../features/inquiries/helpers.js';

const SECRET = 'inquiry-outage-secret-0123456789';
const CITIZEN = 5301;
const OPERATOR = 7301;

// The database stops while a citizen adds to an open question and an operator answers it in the
// topic: both updates are taken in (the webhook answers 200), kept, and handled once when the
// database is back; nothing is lost or doubled.
describe('the database stopped while a question is open', () => {
  let ferret: RestartableService;
  let app: TestApp;
  let queue: ClosableDeliveryQueue;
  let worker: DeliveryWorkerHandle;
  let server: Server;
  let post: (update: Update) => Promise<number>;

  beforeAll(async () => {
    ferret = await startRestartableFerret();
    const prefix = `t-${randomBytes(5).toString('hex')}`;
    queue = createDeliveryQueue({ redisUrl: testRedisUrl(), prefix, cipher: testCipher() });
    app = await createTestApp('inq_outage', {
      adminIds: [OPERATOR],
      delivery: queue,
      redisPrefix: prefix,
      mongoUri: `${ferret.url}komek_inq_outage`,
      env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en', MAILBOX_RETRY_BASE_MS: '100', MAILBOX_RETRY_MAX_MS: '500', MAILBOX_MAX_ATTEMPTS: '40' },
    });
    worker = startBotDeliveryWorker({ config: app.config, redis: app.redis, services: app.bot.services, i18n: app.bot.i18n, api: app.bot.runtime.api, logger: createLogger('silent') });
    server = createHttpServer({ port: 0, logger: createLogger('silent'), health: [], webhook: { path: '/hook', secret: SECRET, runtime: app.bot.runtime } });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    post = async (update) => (await app.api.postUpdate(update, url, SECRET)).status;
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await worker?.close();
    await queue?.close();
    await app?.close();
    await ferret?.destroy();
  });

  it('a follow-up and an answer sent during the outage arrive once each when it is back', async () => {
    await onboard(app, CITIZEN);
    const ref = await askPerson(app, CITIZEN, 'Does the social taxi take a wheelchair user to the dialysis centre?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;

    await ferret.stop();
    expect(await post(app.api.text(CITIZEN, 'Three times a week, mornings.', { enqueue: false }))).toBe(200);
    expect(await post(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Yes: book it a day ahead by phone.', { enqueue: false }))).toBe(200);
    // Both tried while it is down, failed and kept for another try ("<updateId>:<starts>").
    const starts = async (chat: number) => Number((await app.redis.get(`${app.config.REDIS_PREFIX}:chat:{${chat}}:try`))?.split(':')[1] ?? 0);
    await until('a failed try in both chats', async () => (await starts(CITIZEN)) >= 2 && (await starts(STAFF_CHAT)) >= 2, 30_000);
    await ferret.start();

    await until('the follow-up in the topic', () => messagesInThread(app.api, STAFF_CHAT, threadId).some((m) => m.text === 'Citizen: Three times a week, mornings.'), 60_000);
    await until('the answer', () => app.api.messagesTo(CITIZEN).some((m) => m.text?.includes('book it a day ahead')), 60_000);
    // Nothing left to handle in any chat nor to send from the queue: a second copy would have come.
    await untilMailboxIdle(app.redis, app.config.REDIS_PREFIX);
    await untilDeliveryIdle(app.config);
    const texts = app.api.messagesTo(CITIZEN).map((m) => m.text ?? '');
    expect(texts.filter((t) => t.includes('book it a day ahead'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes(`Added to your question ${ref}`))).toHaveLength(1);
    const inquiry = (await app.bot.services.inquiries.get(ref))!;
    // The citizen's chat and the staff group are handled apart, so the two may land either way round.
    expect(app.bot.services.inquiries.messages(inquiry).map((m) => `${m.from}:${m.text}`).sort()).toEqual([
      'citizen:Does the social taxi take a wheelchair user to the dialysis centre?',
      'citizen:Three times a week, mornings.',
      'operator:Yes: book it a day ahead by phone.',
    ]);
    expect(inquiry.status).toBe('answered');
  }, 150_000);
});
