// src/main.ts and src/worker-main.ts as real processes: start-up, health checks, graceful stop.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotApiServer, type BotApiServer } from '../../src/platform/bot-api/index.js';
import { freePort, repoRoot } from '../support/service-processes.js';
import { testMongoUri, testRedisUrl } from '../support/isolation.js';
import { TEST_DATA_KEY } from '../support/data-key.js';
import { connectMongo } from '../../src/db/connect.js';
import { audienceBucket } from '../../src/db/models/audience-bucket.js';
import { nodeArgsFor } from '../support/ts-entries.js';

function run(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, nodeArgsFor(script), {
    cwd: repoRoot(),
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('main processes', () => {
  let api: BotApiServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    api = await startBotApiServer();
    env = {
      BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      REDIS_URL: testRedisUrl(),
      MONGODB_URI: testMongoUri('main_process'),
      DATA_KEY: TEST_DATA_KEY,
      REDIS_PREFIX: `t-${randomBytes(4).toString('hex')}`,
    };
  });
  afterAll(async () => api?.stop());

  it('refuses to start on bad configuration, naming the variable', async () => {
    const p = run('src/main.ts', { ...env, DATA_KEY: 'short' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('DATA_KEY');
  });

  // The README's start without Docker: `npm start` and `npm run worker` on one machine with the
  // same variables. Whichever starts second found HTTP_PORT taken and died with a stack trace
  // (`listen EADDRINUSE … at Server.setupListenHandle …`) that named no setting.
  it('started second on a port the other took, says in one line which setting to change', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const p = run('src/worker-main.ts', { ...env, HTTP_PORT: String(port) });
      expect(await p.exited).toBe(1);
      const lines = p.output().trim().split('\n').filter((line) => !line.startsWith('{'));
      expect(lines).toEqual([`Komek worker failed to start: HTTP_PORT ${port} on 127.0.0.1 is in use by another process. The bot and \`npm run worker\` on one machine each need their own HTTP_PORT.`]);
    } finally {
      taken.close();
    }
  });

  it('starts with a webhook, answers health checks and webhook updates, and stops on SIGTERM', async () => {
    const port = await freePort();
    const p = run('src/main.ts', {
      ...env,
      BOT_MODE: 'webhook',
      WEBHOOK_URL: 'https://komek.example/hook',
      WEBHOOK_SECRET: 'secret-secret-secret',
      HTTP_PORT: String(port),
    });
    await waitFor(() => api.webhook !== undefined, 20_000, 'setWebhook', p.output);
    expect(api.webhook).toEqual({ url: 'https://komek.example/hook', secretToken: 'secret-secret-secret' });
    expect(api.callsOf('setWebhook')[0]!.payload.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
    expect(api.callsOf('setMyCommands').length).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ redis: 'up', mongo: 'up' });
    const hook = await api.postUpdate(api.command(31, 'start', undefined, { enqueue: false }), `http://127.0.0.1:${port}/hook`);
    expect(hook.status).toBe(200);
    // The webhook answers once the update is stored; the reply follows from the chat's mailbox.
    await waitFor(() => Boolean(api.lastMessageTo(31)?.text), 10_000, 'the reply to /start', p.output);
    expect(api.lastMessageTo(31)?.text).toBeTruthy();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('runs the worker alone, with the start-up back-fills, and stops on SIGTERM', async () => {
    // A record written before audience buckets existed: a worker started alone, which may run a
    // broadcast's fan-out before any bot restarted, fills it in first, or the person would get
    // no announcements.
    const mongo = await connectMongo(env.MONGODB_URI!);
    const users = mongo.collection('users');
    await users.insertOne({ telegramId: 4_242_001, chatId: 4_242_001, locale: 'kk', role: 'citizen', createdAt: new Date(), updatedAt: new Date() });
    // The worker serves its own /healthz on HTTP_PORT.
    const p = run('src/worker-main.ts', { ...env, HTTP_PORT: String(await freePort()) });
    await waitFor(() => p.output().includes('delivery worker started'), 20_000, 'worker start', p.output);
    expect(await users.findOne({ telegramId: 4_242_001 })).toMatchObject({ bucket: audienceBucket(4_242_001) });
    await mongo.close();
    p.child.kill('SIGTERM');
    const code = await p.exited;
    expect(code, `exit ${code} / signal ${p.child.signalCode}:\n${p.output()}`).toBe(0);
  });
});
