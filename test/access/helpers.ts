// Shared steps for the access tests: running the staff console in a process of its own,
// reading the audit log as an inspector would, and a delivery worker stopped and started at will.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from '../support/service-processes.js';
import { onboard, TEST_DATA_KEY, type TestApp } from '../support/app-harness.js';
import { startBotDeliveryWorker } from '../../src/delivery/bot-worker.js';
import type { DeliveryWorkerHandle } from '../../src/delivery/delivery-worker.js';
import { createLogger } from '../../src/logger.js';
import { nodeArgsFor } from '../support/ts-entries.js';

const run = promisify(execFile);

/** `npm run staff -- revoke ID --admin ADMIN` in another process, against the app's Redis and database. */
export async function revokeInAnotherProcess(app: TestApp, staffId: number, adminId: number): Promise<string> {
  const root = repoRoot();
  const { config } = app;
  const { stdout } = await run(process.execPath, [...nodeArgsFor('scripts/staff-access.ts'), 'revoke', String(staffId), '--admin', String(adminId)], {
    cwd: root,
    env: {
      ...process.env,
      BOT_TOKEN: config.BOT_TOKEN,
      DATA_KEY: TEST_DATA_KEY,
      REDIS_URL: config.REDIS_URL,
      MONGODB_URI: config.MONGODB_URI,
      REDIS_PREFIX: config.REDIS_PREFIX,
      ADMIN_IDS: config.ADMIN_IDS.join(','),
      TELEGRAM_API_ROOT: config.TELEGRAM_API_ROOT,
      ...(config.STAFF_CHAT_ID ? { STAFF_CHAT_ID: String(config.STAFF_CHAT_ID) } : {}),
      LOG_LEVEL: 'silent',
    },
    timeout: 60_000,
  });
  return stdout;
}

/**
 * Onboards these people, the first alone (its writes make the collections, which FerretDB does
 * not like to do twice at once) and the rest together: separate chats, as in production, and a
 * set-up that waits on one round trip instead of a dozen.
 */
export async function onboardAll(app: TestApp, chats: number[]): Promise<void> {
  const [first, ...rest] = chats;
  if (first !== undefined) await onboard(app, first);
  await Promise.all(rest.map((chat) => onboard(app, chat)));
}

export async function auditOf(app: TestApp, actorId: number, action?: string) {
  const records = await app.bot.services.audit.recent(200, action ? { action } : {});
  return records.filter((r) => r.actorId === actorId);
}

/**
 * The app's delivery worker, stopped and started at will: a test stops it, changes someone's
 * access, then starts it, so "between the action and the send" is exact. `app` is read when the
 * worker starts (the app is made in beforeAll).
 */
/** How many of this staff member's notices the delivery worker withheld (audited `notice.withheld`). */
export async function withheldCount(app: TestApp, actorId: number): Promise<number> {
  return (await auditOf(app, actorId, 'notice.withheld')).length;
}

/** Makes `id` a coordinator for the Abai region, as an admin would from the Staff screens. */
export function makeCoordinator(app: TestApp, id: number, adminId: number): Promise<unknown> {
  return app.bot.services.users.makeStaff(id, id, 'en', adminId, { roles: ['coordinator'], regions: ['abai'], topics: null });
}

export function switchableDeliveryWorker(app: () => TestApp): { start(): void; stop(): Promise<void> } {
  let worker: DeliveryWorkerHandle | undefined;
  return {
    start() {
      const { config, redis, bot } = app();
      worker ??= startBotDeliveryWorker({
        config,
        redis,
        services: bot.services,
        i18n: bot.i18n,
        api: bot.runtime.api,
        logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      });
    },
    async stop() {
      await worker?.close();
      worker = undefined;
    },
  };
}
