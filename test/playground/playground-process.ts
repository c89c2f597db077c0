// Starts `src/playground-main.ts` as `npm run local` would with no token (its own database and
// Redis prefix, any free port) and opens Debian's chromium on it through playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../support/service-processes.js';
import { testMongoUri, testRedisUrl } from '../support/isolation.js';
import { TEST_DATA_KEY } from '../support/app-harness.js';
import { nodeArgsFor } from '../support/ts-entries.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(repoRoot(), '.tmp', 'playground-screens');

export interface Playground {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export async function startPlayground(name: string, env: Record<string, string> = {}, timeoutMs = 150_000): Promise<Playground> {
  const root = repoRoot();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: testRedisUrl(),
    MONGODB_URI: testMongoUri(name),
    REDIS_PREFIX: `pg-${name.replace(/[^a-z0-9]+/g, '-')}-${Date.now().toString(36)}`,
    DATA_KEY: TEST_DATA_KEY,
    PLAYGROUND_PORT: '0',
    LOG_LEVEL: 'warn',
    ...env,
  };
  if (!('BOT_TOKEN' in env)) delete childEnv.BOT_TOKEN;
  const child = spawn(process.execPath, nodeArgsFor('src/playground-main.ts'), {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`playground did not start:\n${output}`)), timeoutMs);
    const check = () => {
      const m = /is ready: open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`playground exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function openBrowser(viewport: { width: number; height: number }): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` (or apt-get install chromium)`);
  mkdirSync(SHOTS, { recursive: true });
  // --no-sandbox: test machines and containers often run as root, where chromium's sandbox cannot start.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  return { browser, context, page };
}

/**
 * The playground and a browser page, started together (each takes a second or more on its own).
 * When one fails to start, the other is stopped before the error is passed on.
 */
export async function startPlaygroundWithBrowser(name: string, viewport: { width: number; height: number }): Promise<{ pg: Playground; browser: Browser; page: Page }> {
  const [pg, opened] = await Promise.allSettled([startPlayground(name), openBrowser(viewport)]);
  if (pg.status === 'fulfilled' && opened.status === 'fulfilled') return { pg: pg.value, ...opened.value };
  if (pg.status === 'fulfilled') await pg.value.stop();
  if (opened.status === 'fulfilled') await opened.value.browser.close();
  throw pg.status === 'rejected' ? pg.reason : (opened as PromiseRejectedResult).reason;
}

/** A mission start three days ahead at 10:00 in Kazakhstan (UTC+5), as staff type it. */
export function missionStart(now = new Date()): string {
  const d = new Date(now.getTime() + 3 * 24 * 60 * 60 * 1000 + 5 * 60 * 60 * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} 10:00`;
}
