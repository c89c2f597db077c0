// `npm run local` as a person uses it: start it, stop it with SIGTERM (what a terminal closing,
// a process manager or `kill` sends to npm), and start it again. Nothing it started may be left
// running, and its ports must be free. Bad input fails in one line, before anything is installed.
// A start builds only when the sources changed since the last build.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotApiServer, type BotApiServer } from '../../src/platform/bot-api/index.js';
import { freePort, repoRoot } from '../support/service-processes.js';

interface Run {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** The environment of a person's shell: none of the test run's own servers or settings. */
function shellEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (['REDIS_URL', 'MONGODB_URI', 'DATA_KEY', 'NODE_OPTIONS', 'BOT_TOKEN', 'HTTP_PORT'].includes(key)) continue;
    if (key.startsWith('VITEST') || key.startsWith('npm_')) continue;
    env[key] = value;
  }
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

function run(command: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(command, args, { cwd: repoRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Every process below `pid` right now (children, grandchildren...). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const child of parents.get(p) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return false;
  try {
    // A zombie has ended; only its exit status is left for a parent to collect.
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} within ${timeoutMs} ms:\n${output()}`);
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

describe('npm run local', () => {
  let api: BotApiServer;
  let state: string;
  let ports: { http: number; redis: number; ferretdb: number };
  let env: Record<string, string>;
  const started: Run[] = [];

  beforeAll(async () => {
    // The script reinstalls node_modules when the lockfile is newer: never under a running suite.
    const root = repoRoot();
    const lockTime = statSync(path.join(root, 'package-lock.json')).mtimeMs;
    const installed = path.join(root, 'node_modules', '.package-lock.json');
    if (!existsSync(installed) || statSync(installed).mtimeMs < lockTime) {
      throw new Error('node_modules is older than package-lock.json: run `npm ci` (npm test does) before this test');
    }
    api = await startBotApiServer();
    state = await mkdtemp(path.join(os.tmpdir(), 'komek-local-'));
    ports = { http: await freePort(), redis: await freePort(), ferretdb: await freePort() };
    env = shellEnv({
      BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      LOCAL_STATE_DIR: state,
      HTTP_PORT: String(ports.http),
      LOCAL_REDIS_PORT: String(ports.redis),
      LOCAL_FERRETDB_PORT: String(ports.ferretdb),
    });
  });

  afterAll(async () => {
    for (const r of started) {
      for (const pid of descendants(r.child.pid!)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      r.child.kill('SIGKILL');
    }
    await api?.stop();
    await rm(state, { recursive: true, force: true });
  });

  /** Starts `npm run local`, waits for a /start answer, stops it with SIGTERM to npm. */
  async function startAndStop(chat: number): Promise<string> {
    const local = run('npm', ['run', 'local'], env);
    started.push(local);
    await waitUntil('the bot did not become healthy', async () => {
      if (local.child.exitCode !== null) throw new Error(`npm run local exited with ${local.child.exitCode}:\n${local.output()}`);
      return healthy(ports.http);
    }, 180_000, local.output);

    api.command(chat, 'start', undefined, { languageCode: 'en' });
    const replies = await api.waitForNewMessage(chat, api.messagesTo(chat).length, 15_000, 100);
    expect(replies.map((m) => m.text).join('\n')).toContain('Please choose a language');

    const tree = descendants(local.child.pid!);
    // npm, the script, the bot, Redis and FerretDB at least.
    expect(tree.length).toBeGreaterThanOrEqual(4);
    local.child.kill('SIGTERM');
    const code = await Promise.race([local.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 45_000))]);
    expect(code, local.output()).not.toBe('hung');

    await waitUntil('processes were left running', () => tree.every((pid) => !alive(pid)), 10_000, () =>
      tree.filter(alive).map((pid) => `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`).join('\n'),
    );
    for (const port of Object.values(ports)) expect(await portFree(port), `port ${port} free`).toBe(true);
    return local.output();
  }

  it('stops everything it started on SIGTERM', async () => {
    // A build older than the sources (as after an edit or a pull) is built again.
    const built = path.join(repoRoot(), 'dist', '.local-build');
    if (existsSync(built)) utimesSync(built, new Date(0), new Date(0));
    const output = await startAndStop(8101);
    expect(output).not.toContain('The build is up to date');
    expect(existsSync(built), 'the build is marked for the next start').toBe(true);
    // Marked as of the build's start: a source saved while it ran is newer, and built next time.
    const emitted = path.join(repoRoot(), 'dist', 'src', 'main.js');
    expect(statSync(built).mtimeMs, 'the mark is older than what the build wrote').toBeLessThanOrEqual(statSync(emitted).mtimeMs);
  }, 240_000);

  // The README's first command as .ci/run would meet it: no token anywhere in the environment.
  // It is also the second start on the same data and ports, after the SIGTERM above.
  it('with no token starts the playground (a second start works), says so first, and the page answers /start', async () => {
    const playgroundPort = await freePort();
    const noToken: Record<string, string> = { ...env, PLAYGROUND_PORT: String(playgroundPort) };
    delete noToken.BOT_TOKEN;
    delete noToken.TELEGRAM_API_ROOT;
    const local = run('npm', ['run', 'local'], noToken);
    started.push(local);
    const url = `http://127.0.0.1:${playgroundPort}/`;
    await waitUntil('the playground did not say it is ready', () => {
      if (local.child.exitCode !== null) throw new Error(`npm run local exited with ${local.child.exitCode}:\n${local.output()}`);
      return local.output().includes(`is ready: open ${url}`);
    }, 180_000, local.output);
    // npm's own "> komek@… local" lines aside, the first line names the mode and the address.
    const ownLines = local.output().split('\n').filter((line) => line.trim() !== '' && !line.startsWith('>'));
    expect(ownLines[0]).toBe(`Mode: playground (no BOT_TOKEN, nothing reaches Telegram). The page will be at ${url}`);
    // The first start built from these sources; this one does not build again.
    expect(local.output()).toContain('The build is up to date with the sources: not built again.');

    // What the page does when a person types /start and presses Enter.
    const sent = await fetch(`${url}api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: 'citizen-en', action: { type: 'text', text: '/start' } }),
    });
    expect(sent.status).toBe(200);
    let answer = '';
    await waitUntil('the page showed no answer to /start', async () => {
      const chat = (await (await fetch(`${url}api/chat?persona=citizen-en`)).json()) as { messages: Array<{ from: string; text?: string }> };
      answer = chat.messages.filter((m) => m.from === 'bot').map((m) => m.text ?? '').join('\n');
      return answer !== '';
    }, 30_000, () => `${local.output()}\nchat: ${answer}`);
    expect(answer).toContain('Please choose a language');

    const tree = descendants(local.child.pid!);
    local.child.kill('SIGTERM');
    const code = await Promise.race([local.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 45_000))]);
    expect(code, local.output()).not.toBe('hung');
    await waitUntil('processes were left running', () => tree.every((pid) => !alive(pid)), 10_000, local.output);
    for (const port of [...Object.values(ports), playgroundPort]) expect(await portFree(port), `port ${port} free`).toBe(true);
    // The page's chats are kept beside the data for the next start, sealed: no text in the clear.
    const chats = readFileSync(path.join(state, 'playground-chats.json'), 'utf8');
    expect(chats.length).toBeGreaterThan(0);
    expect(chats).not.toContain('Please choose a language');
  }, 300_000);

  it('refuses a malformed BOT_TOKEN in one line, before installing anything', async () => {
    const bad = run('bash', ['scripts/run-local.sh'], { ...env, BOT_TOKEN: '123456:ABC-your-token' });
    expect(await bad.exited).toBe(1);
    const lines = bad.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('BOT_TOKEN does not look like a token');
  });

  it('names a taken port in one line instead of failing with a stack', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(ports.redis, '127.0.0.1', resolve));
    try {
      const taken = run('bash', ['scripts/run-local.sh'], env);
      expect(await taken.exited).toBe(1);
      const lines = taken.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${ports.redis} (Redis) is already in use`);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it("accepts the README's example token", () => {
    const readme = readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
    const example = /BOT_TOKEN=(\S+) /.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(example).toMatch(/^\d+:[A-Za-z0-9_-]{30,}$/);
  });
});
