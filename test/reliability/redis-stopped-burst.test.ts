// src/main.ts in webhook mode while its Redis is stopped: a burst of updates must get no 200 (an
// update Redis did not store, answered 200, is lost: Telegram never sends it again), /healthz
// must say Redis is down in time, and once Redis is back Telegram's resends are handled once each.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startBotApiServer, type BotApiServer, type Update } from '../../src/platform/bot-api/index.js';
import { freePort, repoRoot } from '../support/service-processes.js';
import { testMongoUri } from '../support/isolation.js';
import { TEST_DATA_KEY } from '../support/data-key.js';
import { nodeArgsFor } from '../support/ts-entries.js';
import { postWebhook } from '../support/webhook-post.js';
import { startRestartableRedis, type RestartableService } from '../support/restartable.js';
import { untilMailboxIdle } from '../support/mailbox-idle.js';

const SECRET = 'redis-stopped-secret-0123456789';
const CHATS = 60;
const FIRST_CHAT = 9_200_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const post = (agent: http.Agent, port: number, update: Update): Promise<number> => postWebhook(agent, port, SECRET, update);

describe('a webhook burst while Redis is stopped', () => {
  let api: BotApiServer | undefined;
  let redis: RestartableService | undefined;
  let child: ReturnType<typeof spawn> | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await api?.stop();
    await redis?.destroy();
  });

  it('answers none of it 200, says so on /healthz, and handles each resend once when Redis is back', async () => {
    api = await startBotApiServer();
    redis = await startRestartableRedis();
    const port = await freePort();
    const prefix = `t-${randomBytes(4).toString('hex')}`;
    child = spawn(process.execPath, nodeArgsFor('src/main.ts'), {
      cwd: repoRoot(),
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'error',
        BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        REDIS_URL: redis.url,
        MONGODB_URI: testMongoUri('redis_stopped_burst'),
        DATA_KEY: TEST_DATA_KEY,
        REDIS_PREFIX: prefix,
        BOT_MODE: 'webhook',
        WEBHOOK_URL: 'https://komek.example/hook',
        WEBHOOK_SECRET: SECRET,
        HTTP_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const health = () => fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> }), () => undefined);
    for (let i = 0; i < 400 && (await health())?.status !== 200; i += 1) await sleep(50);
    expect((await health())?.status, output).toBe(200);

    await redis.stop();
    const updates = Array.from({ length: CHATS }, (_, i) => api!.command(FIRST_CHAT + i, 'start', undefined, { enqueue: false }));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 40 });
    const started = Date.now();
    const statuses = await Promise.all(updates.map((update) => post(agent, port, update)));
    const burstMs = Date.now() - started;
    expect(statuses.filter((s) => s === 200), `answered in ${burstMs} ms`).toEqual([]);
    expect(await health()).toMatchObject({ status: 503, body: { redis: 'down' } });
    expect(child.exitCode, output).toBeNull();

    await redis.start();
    const resent = [...statuses];
    await Promise.all(
      updates.map(async (update, i) => {
        for (let attempt = 0; resent[i] !== 200 && attempt < 100; attempt += 1) {
          resent[i] = await post(agent, port, update);
          if (resent[i] !== 200) await sleep(200);
        }
      }),
    );
    agent.destroy();
    expect(resent.every((s) => s === 200), output).toBe(true);
    // Every chat handed back with nothing left: no further reply can come.
    const store = new Redis(redis.url);
    const idle = await untilMailboxIdle(store, prefix, 60_000).then(() => true, () => false);
    store.disconnect();
    const chats = updates.map((_, i) => FIRST_CHAT + i);
    expect({
      silent: chats.filter((chat) => api!.messagesTo(chat).length === 0),
      twice: chats.filter((chat) => api!.callsOf('sendMessage', chat).length > 1),
      idle,
    }).toEqual({ silent: [], twice: [], idle: true });
    expect(child.exitCode, output).toBeNull();
  }, 180_000);
});
