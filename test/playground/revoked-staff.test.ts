// The playground's staff member whose access an admin withdrew (from the console, another
// process) while their Staff screen was open: the next tap is refused, and a restart of the
// playground does not hand the access back (the staff persona is made staff on the first start only).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_ID, playgroundPersonas } from '../../src/playground/personas.js';
import { TEST_DATA_KEY } from '../support/app-harness.js';
import { testMongoUri, testRedisUrl } from '../support/isolation.js';
import { repoRoot } from '../support/service-processes.js';
import { pageClient } from './page-client.js';
import { startPlayground, type Playground } from './playground-process.js';
import { nodeArgsFor } from '../support/ts-entries.js';

const STAFF_ID = playgroundPersonas([]).find((p) => p.role === 'staff')!.userId;

/** `npm run staff -- revoke ID --admin ADMIN` against the playground's database and Redis. */
async function revokeFromConsole(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [...nodeArgsFor('scripts/staff-access.ts'), 'revoke', String(STAFF_ID), '--admin', String(DEFAULT_ADMIN_ID)], {
    cwd: repoRoot(),
    env: { ...process.env, ...env, REDIS_URL: testRedisUrl(), DATA_KEY: TEST_DATA_KEY, ADMIN_IDS: String(DEFAULT_ADMIN_ID), BOT_TOKEN: '1:console-has-no-bot-and-sends-nothing-at-all', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code, output).toBe(0);
  return output;
}

describe('playground staff member who lost access', () => {
  let pg: Playground | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await pg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is refused at the next tap, and stays without access after a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'komek-pg-revoked-'));
    const env = {
      MONGODB_URI: testMongoUri('pg_revoked'),
      REDIS_PREFIX: `pg-revoked-${Date.now().toString(36)}`,
      PLAYGROUND_CHATS_FILE: join(dir, 'playground-chats.json'),
    };
    pg = await startPlayground('pg_revoked', env);
    let page = pageClient(pg.url);
    await page.say('staff', '/start');
    await page.seeBot('staff', '');
    await page.tap('staff', 'English');
    const chosen = await page.lastId('staff');
    await page.say('staff', '/menu');
    await page.seeBot('staff', 'Main menu', chosen);
    await page.tap('staff', 'Staff');
    await page.seeBot('staff', 'Staff menu');

    await revokeFromConsole(env);
    const revokedAt = await page.lastId('staff');
    await page.tap('staff', 'Publish a volunteer mission');
    await page.seeBot('staff', 'You do not have access to this', revokedAt);

    const killed = pg.child;
    killed.kill('SIGKILL');
    await new Promise((resolve) => (killed.exitCode !== null || killed.signalCode !== null ? resolve(null) : killed.once('exit', resolve)));
    pg = await startPlayground('pg_revoked', env);
    page = pageClient(pg.url);
    const restartedAt = await page.lastId('staff');
    await page.say('staff', '/menu');
    const menu = await page.seeBot('staff', 'Main menu', restartedAt);
    const labels = menu.messages.filter((m) => m.id > restartedAt).flatMap((m) => m.buttons?.flat().map((b) => b.text) ?? []);
    expect(labels.some((l) => l.includes('Find a rehabilitation centre'))).toBe(true);
    expect(labels.some((l) => l.includes('Staff'))).toBe(false);
  }, 300_000);
});
