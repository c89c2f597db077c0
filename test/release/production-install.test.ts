// The release smoke test: what the image holds (dist/, locales/, data/, package files and the
// production dependencies from the lockfile), started the way the image starts it, against the
// test Redis and FerretDB and a local Bot API. A module only a devDependency provides, a file the
// image does not copy, or a process that does not stop on SIGTERM fails here, not in production.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { startBotApiServer, type BotApiServer } from '../../src/platform/bot-api/index.js';
import { testMongoUri, testRedisUrl } from '../support/isolation.js';
import { TEST_DATA_KEY } from '../support/app-harness.js';
import { testCipher } from '../support/data-key.js';
import { freePort, repoRoot } from '../support/service-processes.js';
import {
  bareImports,
  createProductionInstall,
  jsFiles,
  nodeModulesAbove,
  packageOf,
  productionEnv,
  unresolvedImports,
  type ProductionInstall,
} from '../support/production-install.js';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

interface Started {
  child: ChildProcess;
  port: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node dist/src/<entry>` in the install folder, as the image's CMD runs it. */
function start(install: ProductionInstall, entry: 'main.js' | 'worker-main.js', port: number, env: Record<string, string>): Started {
  const child = spawn(process.execPath, [path.join('dist', 'src', entry)], {
    cwd: install.dir,
    env: productionEnv({ HTTP_PORT: String(port), LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, port, output: () => output, exited };
}

/** GET /healthz until it answers 200; fails with the process output if it exits or times out. */
async function waitHealthy(proc: Started): Promise<Record<string, string>> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void proc.exited.then((e) => (exit = e));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exit) throw new Error(`exited with ${exit.signal ?? `code ${exit.code}`} before it was healthy:\n${proc.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${proc.port}/healthz`);
      const body = (await res.json()) as Record<string, string>;
      if (res.status === 200) return body;
      last = `${res.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`/healthz not healthy within ${START_TIMEOUT_MS} ms (${last}):\n${proc.output()}`);
}

/** SIGTERM, then the exit code; SIGKILL (and a failure) if it does not stop in time. */
async function stop(proc: Started): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const t0 = Date.now();
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return { ...(await proc.exited), ms: 0 };
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const result = await proc.exited;
  clearTimeout(timer);
  return { ...result, ms: Date.now() - t0 };
}

/** pino lines at error level or above (50+), and anything that is not a log line at all. */
function problems(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        const entry = JSON.parse(line) as { level?: number };
        return typeof entry.level !== 'number' || entry.level >= 50;
      } catch {
        return true;
      }
    });
}

describe('the release as it ships (production dependencies only)', () => {
  let install: ProductionInstall;
  const running: Started[] = [];
  const apis: BotApiServer[] = [];
  let baseEnv: Record<string, string>;

  beforeAll(async () => {
    const t0 = Date.now();
    install = await createProductionInstall();
    const { build, install: npmCi, copy } = install.timings;
    console.log(
      `[release smoke] build ${build} ms, production install ${npmCi} ms (${install.cached ? 'cached' : 'npm ci'}), ` +
        `copy ${copy} ms, total ${Date.now() - t0} ms`,
    );
    baseEnv = {
      REDIS_URL: testRedisUrl(),
      MONGODB_URI: testMongoUri('release'),
      DATA_KEY: TEST_DATA_KEY,
      REDIS_PREFIX: `t-release-${randomBytes(4).toString('hex')}`,
    };
  }, 300_000);

  afterAll(async () => {
    for (const proc of running) proc.child.kill('SIGKILL');
    for (const api of apis) await api.stop();
    await install?.remove();
  });

  async function botApi(): Promise<BotApiServer> {
    const api = await startBotApiServer();
    apis.push(api);
    return api;
  }

  it('holds only production dependencies, and every package the built code imports is one of them', async () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    // Nothing above the folder could supply a module the install lacks.
    expect(nodeModulesAbove(install.dir)).toEqual([]);
    // What the lockfile marks dev-only must be absent (a production package may still need,
    // say, typescript as a peer: the lockfile then does not mark it dev).
    const lock = JSON.parse(readFileSync(path.join(repoRoot(), 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.keys(pkg.devDependencies).filter((dev) => lock.packages[`node_modules/${dev}`]?.dev === true);
    expect(devOnly).toContain('vitest');
    expect(devOnly.filter((dev) => existsSync(path.join(install.dir, 'node_modules', dev)))).toEqual([]);
    const imported = new Set<string>();
    for (const file of jsFiles(path.join(install.dir, 'dist'))) {
      for (const spec of bareImports(readFileSync(file, 'utf8'))) imported.add(packageOf(spec));
    }
    expect(imported.size).toBeGreaterThan(3);
    // Listed, not merely present as some other package's dependency (which could go away).
    expect([...imported].filter((name) => !pkg.dependencies[name])).toEqual([]);
    expect(await unresolvedImports(install.dir)).toEqual([]);
  });

  it('the bot starts polling, answers /healthz and /start, and stops cleanly on SIGTERM', async () => {
    const api = await botApi();
    const bot = start(install, 'main.js', await freePort(), {
      ...baseEnv,
      BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      BOT_MODE: 'polling',
    });
    running.push(bot);
    const health = await waitHealthy(bot);
    expect(health).toMatchObject({ status: 'ok', redis: 'up', mongo: 'up' });

    const chat = 7001;
    api.command(chat, 'start', undefined, { languageCode: 'en' });
    const replies = await api.waitForNewMessage(chat, 0, 15_000, 100);
    expect(replies.map((m) => m.text).join('\n')).toContain('Please choose a language');
    expect(replies.at(-1)!.buttons.flat().join(' ')).toContain('English');

    const stopped = await stop(bot);
    expect(stopped, bot.output()).toMatchObject({ code: 0, signal: null });
    expect(problems(bot.output())).toEqual([]);
  }, 60_000);

  it('the bot in webhook mode sets its webhook, answers a posted /start, and stops cleanly on SIGTERM', async () => {
    const api = await botApi();
    const port = await freePort();
    const secret = randomBytes(24).toString('hex');
    const bot = start(install, 'main.js', port, {
      ...baseEnv,
      BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      BOT_MODE: 'webhook',
      WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
      WEBHOOK_SECRET: secret,
      // Delivery is the lone worker's job in this deployment shape.
      DELIVERY_IN_PROCESS: 'false',
    });
    running.push(bot);
    await waitHealthy(bot);
    await api.waitFor((call) => call.method === 'setWebhook', START_TIMEOUT_MS);
    expect(api.webhook?.secretToken).toBe(secret);

    const chat = 7002;
    const update = api.command(chat, 'start', undefined, { languageCode: 'ru' });
    const posted = await api.postUpdate(update);
    expect(posted.status).toBe(200);
    const replies = await api.waitForNewMessage(chat, 0, 15_000, 100);
    expect(replies.map((m) => m.text).join('\n')).toContain('Please choose a language');

    // A post without the secret is refused and handled by nobody.
    const forged = await api.postUpdate(api.command(chat, 'start', undefined, { languageCode: 'ru' }), undefined, 'wrong-secret-123456');
    expect(forged.status).toBe(401);

    const stopped = await stop(bot);
    expect(stopped, bot.output()).toMatchObject({ code: 0, signal: null });
    expect(problems(bot.output())).toEqual([]);
  }, 60_000);

  it('the lone worker answers its own /healthz, delivers a queued message, and stops cleanly on SIGTERM', async () => {
    const api = await botApi();
    const worker = start(install, 'worker-main.js', await freePort(), {
      ...baseEnv,
      BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
    });
    running.push(worker);
    const health = await waitHealthy(worker);
    expect(health).toMatchObject({ status: 'ok', worker: 'up', redis: 'up', mongo: 'up' });

    const queue = createDeliveryQueue({ redisUrl: baseEnv.REDIS_URL!, prefix: baseEnv.REDIS_PREFIX!, cipher: testCipher() });
    try {
      const chat = 7003;
      await queue.enqueue([{ id: `release-smoke-${randomBytes(4).toString('hex')}`, chatId: chat, kind: 'notice', text: 'Your application was received.' }]);
      const delivered = await api.waitForNewMessage(chat, 0, 15_000, 100);
      expect(delivered.map((m) => m.text)).toEqual(['Your application was received.']);
    } finally {
      await queue.close();
    }

    const stopped = await stop(worker);
    expect(stopped, worker.output()).toMatchObject({ code: 0, signal: null });
    expect(problems(worker.output())).toEqual([]);
  }, 60_000);
});
