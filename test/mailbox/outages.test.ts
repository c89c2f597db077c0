// Outages from issue 9's table, played for real: Redis and FerretDB stopped and started again on
// the same port with the same data, a bot process killed with SIGKILL between commit and send.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/features/index.js';
import { createHttpServer } from '../../src/telegram/http-server.js';
import { createLogger } from '../../src/logger.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { SessionStore } from '../../src/session/session-store.js';
import { redisStoredSessions } from '../../src/session/mailbox.js';
import { Redis } from 'ioredis';
import { createTestApp, onboard, TEST_DATA_KEY, type TestApp } from '../support/app-harness.js';
import { startBotApiServer, type BotApiServer, type Update } from '../../src/platform/bot-api/index.js';
import { startRestartableFerret, startRestartableRedis } from '../support/restartable.js';
import { spawnBot, webhookBotEnv, WEBHOOK_SECRET, type BotProcess } from '../support/spawn-bot.js';
import { freePort } from '../support/service-processes.js';
import { testMongoUri, testRedisUrl } from '../support/isolation.js';
import { tallyFeature } from '../support/tally-feature.js';

const SECRET = 'outage-secret-0123456789';
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
});

async function webhookFor(app: TestApp): Promise<(update: Update) => Promise<number>> {
  const server: Server = createHttpServer({ port: 0, logger: createLogger('silent'), health: [], webhook: { path: '/hook', secret: SECRET, runtime: app.bot.runtime } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return async (update) => (await app.api.postUpdate(update, url, SECRET)).status;
}

const APOLOGY = 'Sorry, something went wrong on our side';
const DELAYED = 'Your answer is taking longer than usual';

describe('Redis or the database down while an update arrives', () => {
  it('Redis down: the webhook answers 503 (Telegram sends it again), and the update is handled once Redis is back', async () => {
    const redis = await startRestartableRedis();
    cleanup.push(() => redis.destroy());
    const app = await createTestApp('outage_redis', { features: [...FEATURES, tallyFeature], env: { REDIS_URL: redis.url } });
    cleanup.push(() => app.close());
    app.redis.on('error', () => undefined);
    const post = await webhookFor(app);
    await onboard(app, 601);

    await redis.stop();
    const update = app.api.callback(601, 'tally:1', undefined, { enqueue: false });
    expect(await post(update)).toBe(503);
    expect(app.drain(601)).toEqual([]);

    await redis.start();
    // Telegram's retry of the same update.
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i += 1) {
      status = await post(update);
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    await app.api.waitFor((call) => call.method === 'sendMessage' && call.payload.text === 'tally 1', 10_000);
    const seen = app.api.messagesTo(601).map((m) => m.text ?? '');
    expect(seen.filter((t) => t === 'tally 1')).toHaveLength(1);
    expect(seen.some((t) => t.includes(APOLOGY))).toBe(false);
    expect((await app.bot.sessions.peek(601))?.data?.tally).toEqual([1]);
  }, 60_000);

  it('database down: the update is kept, the user told once that it takes longer, and answered when the database is back; a repeat delivery is dropped', async () => {
    const ferret = await startRestartableFerret();
    cleanup.push(() => ferret.destroy());
    const app = await createTestApp('outage_db', {
      mongoUri: `${ferret.url}komek_outage`,
      env: { MAILBOX_RETRY_BASE_MS: '100', MAILBOX_RETRY_MAX_MS: '500', MAILBOX_MAX_ATTEMPTS: '20' },
    });
    cleanup.push(() => app.close());
    const post = await webhookFor(app);
    await onboard(app, 602);

    await ferret.stop();
    const update = app.api.command(602, 'mydata', undefined, { enqueue: false });
    // Stored at once: the database is not needed to take an update in.
    expect(await post(update)).toBe(200);
    await app.api.waitFor((call) => call.method === 'sendMessage' && String(call.payload.text ?? '').startsWith(DELAYED), 30_000);
    await ferret.start();
    await app.api.waitFor((call) => call.method === 'sendMessage' && String(call.payload.text ?? '').includes('everything Komek holds about you'), 40_000);

    expect(await post(update)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const seen = app.drain(602);
    expect(seen.filter((t) => t.startsWith(DELAYED))).toHaveLength(1);
    expect(seen.some((t) => t.includes(APOLOGY))).toBe(false);
    expect(seen.filter((t) => t.includes('everything Komek holds about you'))).toHaveLength(1);
  }, 120_000);
});

describe('a bot process killed between commit and send', () => {
  let api: BotApiServer;
  const bots: BotProcess[] = [];
  afterEach(async () => {
    await Promise.all(bots.splice(0).map((b) => b.kill()));
    await api?.stop();
  });

  it('the next process sends the committed reply: the user is never left in silence, and the update was handled once', async () => {
    api = await startBotApiServer();
    const prefix = `t-${randomBytes(4).toString('hex')}`;
    const env = (port: number) =>
      webhookBotEnv(api, { prefix, mongoUri: testMongoUri('outage_kill'), port }, {
        // Short, so the next process takes the chat soon after the kill; not shorter, or a pause
        // of the loaded machine could cost the live process its own lease and send a reply twice.
        MAILBOX_LEASE_MS: '1500',
        // The first process waits long after the failed send, so it is killed while waiting.
        MAILBOX_RETRY_BASE_MS: '5000',
      });
    const portA = await freePort();
    bots.push(await spawnBot(env(portA)));
    const post = async (port: number, update: Update) => (await api.postUpdate(update, `http://127.0.0.1:${port}/webhook`, WEBHOOK_SECRET)).status;
    expect(await post(portA, api.command(701, 'start', undefined, { enqueue: false, languageCode: 'en' }))).toBe(200);
    await api.waitForNewMessage(701, 0, 10_000);
    expect(await post(portA, api.callback(701, 'lang:en', undefined, { enqueue: false }))).toBe(200);
    await api.waitFor((call) => call.method === 'sendMessage' && String(call.payload.text ?? '').includes('Main menu'), 10_000);

    api.failNext('sendMessage', 502, 'Bad Gateway');
    expect(await post(portA, api.callback(701, 'tally:1', undefined, { enqueue: false }))).toBe(200);
    // The reply was committed and its first send failed: kill the process now.
    const deadline = Date.now() + 10_000;
    while (api.counts.injected < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(api.counts.injected).toBe(1);
    await bots[0]!.kill('SIGKILL');
    expect(api.messagesTo(701).some((m) => m.text === 'tally 1')).toBe(false);

    // A new process takes the chat once the dead one's lease ran out, and sends what was committed.
    bots.push(await spawnBot(env(await freePort())));
    const until = Date.now() + 15_000;
    while (!api.messagesTo(701).some((m) => m.text === 'tally 1') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.messagesTo(701).filter((m) => m.text === 'tally 1')).toHaveLength(1);
    const redis = new Redis(testRedisUrl());
    const store = new SessionStore(redisStoredSessions(redis, `${prefix}:chat`), createDataCipher(Buffer.from(TEST_DATA_KEY, 'hex')));
    expect((await store.peek(701))?.data?.tally).toEqual([1]);
    redis.disconnect();
  }, 90_000);
});
