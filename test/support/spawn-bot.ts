import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './service-processes.js';
import { randomBytes } from 'node:crypto';
import { testMongoUri, testRedisUrl } from './isolation.js';
import { TEST_DATA_KEY } from './data-key.js';
import { nodeArgsFor } from './ts-entries.js';

/** The secret the spawned bots check on their webhook. */
export const WEBHOOK_SECRET = 'spawned-bot-secret-0123456789';

/**
 * The environment of a polling bot process over the test Redis (a fresh key prefix) and the test
 * database `database`, talking to the local Bot API at `apiRoot`.
 */
export function pollingBotEnv(api: { token: string; apiRoot: string }, database: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    REDIS_URL: testRedisUrl(),
    MONGODB_URI: testMongoUri(database),
    DATA_KEY: TEST_DATA_KEY,
    REDIS_PREFIX: `t-${randomBytes(4).toString('hex')}`,
    BOT_MODE: 'polling',
    ...extra,
  };
}

/**
 * The environment of a bot process behind a webhook on `port`, over the test Redis and
 * `mongoUri`, talking to the local Bot API at `apiRoot`. Processes given the same prefix and
 * database share their chats, as production's processes behind one webhook do.
 */
export function webhookBotEnv(
  api: { token: string; apiRoot: string },
  where: { prefix: string; mongoUri: string; port: number },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    REDIS_URL: testRedisUrl(),
    MONGODB_URI: where.mongoUri,
    DATA_KEY: TEST_DATA_KEY,
    REDIS_PREFIX: where.prefix,
    BOT_MODE: 'webhook',
    WEBHOOK_URL: 'https://example.kz/webhook',
    WEBHOOK_SECRET,
    HTTP_PORT: String(where.port),
    ...extra,
  };
}

export interface BotProcess {
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts test/support/bot-process.ts with this environment and waits for "READY". */
export async function spawnBot(env: Record<string, string>, timeoutMs = 30_000): Promise<BotProcess> {
  const root = repoRoot();
  const child = spawn(process.execPath, nodeArgsFor('test/support/bot-process.ts'), {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot process did not start:\n${output}`)), timeoutMs);
    const check = () => {
      if (output.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot process exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    kill: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
