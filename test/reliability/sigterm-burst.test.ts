// src/main.ts in webhook mode stopped with SIGTERM in the middle of a burst of updates, as an
// orchestrator's rolling restart does. Every update answered 200 must be handled (by this process
// or the next), exactly once; what was not answered 200 Telegram sends again to the next process.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startBotApiServer, type BotApiServer, type Update } from '../../src/platform/bot-api/index.js';
import { freePort, repoRoot } from '../support/service-processes.js';
import { testMongoUri, testRedisUrl } from '../support/isolation.js';
import { TEST_DATA_KEY } from '../support/data-key.js';
import { nodeArgsFor } from '../support/ts-entries.js';
import { postWebhook } from '../support/webhook-post.js';
import { untilMailboxIdle } from '../support/mailbox-idle.js';

const SECRET = 'sigterm-burst-secret-0123456789';
const CHATS = 1_500;
const FIRST_CHAT = 9_100_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, nodeArgsFor('src/main.ts'), { cwd: repoRoot(), env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const post = (agent: http.Agent, port: number, update: Update): Promise<number> => postWebhook(agent, port, SECRET, update);

async function healthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
}

describe('SIGTERM in the middle of a webhook burst', () => {
  let api: BotApiServer | undefined;
  const running: Array<ReturnType<typeof startMain>> = [];
  afterEach(async () => {
    for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await api?.stop();
  });

  it('loses no update answered 200 and handles each once, across the stop and the next process', async () => {
    api = await startBotApiServer();
    const env = (port: number) => ({
      BOT_TOKEN: api!.token,
      TELEGRAM_API_ROOT: api!.apiRoot,
      REDIS_URL: testRedisUrl(),
      MONGODB_URI: testMongoUri('sigterm_burst'),
      DATA_KEY: TEST_DATA_KEY,
      BOT_MODE: 'webhook',
      WEBHOOK_URL: 'https://komek.example/hook',
      WEBHOOK_SECRET: SECRET,
      HTTP_PORT: String(port),
    });
    const prefix = `t-${randomBytes(4).toString('hex')}`;
    const firstPort = await freePort();
    const first = startMain({ ...env(firstPort), REDIS_PREFIX: prefix });
    running.push(first);
    for (let i = 0; i < 400 && !(await healthy(firstPort)); i += 1) await sleep(50);
    expect(await healthy(firstPort), first.output()).toBe(true);

    const updates = Array.from({ length: CHATS }, (_, i) => api!.command(FIRST_CHAT + i, 'start', undefined, { enqueue: false }));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 40 });
    const statuses = new Array<number>(CHATS).fill(-1);
    // 40 connections, each sending its next update as soon as the last was answered, until every
    // update was tried once: the stop comes in the middle of the stream, not after it.
    let next = 0;
    let answered = 0;
    const connection = async () => {
      while (next < CHATS) {
        const i = next++;
        statuses[i] = await post(agent, firstPort, updates[i]!);
        answered += 1;
        if (answered === 60) first.child.kill('SIGTERM');
        if (statuses[i] === 0) await sleep(20);
      }
    };
    await Promise.all(Array.from({ length: 40 }, connection));
    expect(await first.exited, first.output()).toBe(0);
    agent.destroy();
    const ok = statuses.filter((s) => s === 200).length;
    // Answered 200 (stored), 503 (not stored), or no answer once the server closed: nothing else.
    expect(statuses.filter((s) => s !== 200 && s !== 0 && s !== 503), `statuses: ${statuses.join(',')}`).toEqual([]);
    // The stop came in the middle of the stream: some updates were left for the next process.
    expect(ok).toBeGreaterThan(60);
    expect(ok).toBeLessThan(CHATS);

    // The next process; Telegram sends again what was not answered 200.
    const secondPort = await freePort();
    const second = startMain({ ...env(secondPort), REDIS_PREFIX: prefix });
    running.push(second);
    for (let i = 0; i < 400 && !(await healthy(secondPort)); i += 1) await sleep(50);
    const again = new http.Agent({ keepAlive: true, maxSockets: 40 });
    await Promise.all(
      updates.map(async (update, i) => {
        for (let attempt = 0; statuses[i] !== 200 && attempt < 50; attempt += 1) {
          statuses[i] = await post(again, secondPort, update);
          if (statuses[i] !== 200) await sleep(100);
        }
      }),
    );
    again.destroy();
    expect(statuses.every((s) => s === 200)).toBe(true);

    // Every chat handed back with nothing left: no further reply can come.
    const redis = new Redis(testRedisUrl());
    const idle = await untilMailboxIdle(redis, prefix, 60_000).then(() => true, () => false);
    redis.disconnect();
    const chats = updates.map((_, i) => FIRST_CHAT + i);
    const silent = chats.filter((chat) => api!.messagesTo(chat).length === 0);
    const twice = chats.filter((chat) => api!.callsOf('sendMessage', chat).length > 1);
    expect({ silent, twice, idle }).toEqual({ silent: [], twice: [], idle: true });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000);
});
