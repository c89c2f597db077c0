// Figures, not a check: what a start's tasks cost over 20,000 applicants of an older version (no
// flag, no region on their user records), at the first start, the second, and one after the
// passes settled. Runs only with START_UP_FIGURES=1 (a minute or more on FerretDB); the same file
// runs on an older commit for the figures before (it uses nothing this change added).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app-harness.js';
import { startUpLocks } from '../support/start-up-locks.js';
import { runStartUpTasks } from '../../src/app/start-up.js';
import { FEATURES } from '../../src/features/index.js';
import { createLogger } from '../../src/logger.js';
import { RecordLock } from '../../src/services/record-lock.js';
import { userModel } from '../../src/db/models/user.js';
import { audienceBucket } from '../../src/db/models/audience-bucket.js';
import { grantApplicationModel } from '../../src/features/grant/grant-application.model.js';

const APPLICANTS = Number(process.env.START_UP_APPLICANTS ?? 20_000);
const FIRST_ID = 7_000_000;
const CHUNK = 1000;

describe.skipIf(!process.env.START_UP_FIGURES)('start-up tasks over many applicants (figures)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('start_up_figures');
  }, 600_000);
  afterAll(async () => app?.close());

  it('prints the time and the queries of each start', async () => {
    const users = userModel(app.mongo).collection;
    const applications = grantApplicationModel(app.mongo).collection;
    for (let from = 0; from < APPLICANTS; from += CHUNK) {
      const ids = Array.from({ length: Math.min(CHUNK, APPLICANTS - from) }, (_, i) => FIRST_ID + from + i);
      const now = new Date();
      await users.insertMany(ids.map((id) => ({ telegramId: id, chatId: id, locale: 'ru', role: 'citizen', blocked: false, announcements: true, bucket: audienceBucket(id), createdAt: now, updatedAt: now })));
      await applications.insertMany(ids.map((id) => ({ ref: `FG-${id}`, submissionKey: `fg-${id}`, userId: id, region: 'almaty', status: 'submitted', createdAt: now })));
    }
    const tasksLock = new RecordLock(app.bot.deps.redis, `${app.config.REDIS_PREFIX}:start-up`);
    const start = async (label: string) => {
      const queries = new Map<string, number>();
      app.mongo.set('debug', (collection: string) => void queries.set(collection, (queries.get(collection) ?? 0) + 1));
      const began = performance.now();
      try {
        await runStartUpTasks(FEATURES, app.mongo, startUpLocks(app), createLogger('silent'), tasksLock);
      } finally {
        app.mongo.set('debug', false);
      }
      const ms = performance.now() - began;
      console.log(`${label}: ${ms.toFixed(0)} ms; queries by collection ${JSON.stringify(Object.fromEntries(queries))}`);
    };
    console.log(`${APPLICANTS} applicants, ${await users.countDocuments({})} user records, ${await applications.countDocuments({})} applications`);
    await start('first start');
    await start('second start');
    // As a day later: the passes' first end moved back past the settling time.
    await app.mongo.collection('startuppasses').updateMany({ reachedEndAt: { $exists: true } }, { $set: { reachedEndAt: new Date(Date.now() - 25 * 3600_000) } });
    await start('start a day after the end');
    await start('start after that');
  }, 1_800_000);
});
