// What a start's tasks (src/app/start-up.ts) cost over many applicants of an older release (no
// audience flag, no region on their user records): the first start, the second, one a day after
// the passes first reached their end (which settles them), and one after that. Prints the time
// and the queries per collection of each. `npm run bench:start-up` (START_UP_APPLICANTS, default
// 20,000); FerretDB on PostgreSQL unless FERRETDB_BACKEND=sqlite, or MONGODB_URI / REDIS_URL.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectMongo } from '../src/db/connect.js';
import { runStartUpTasks, startUpLocks, startUpTasksLock } from '../src/app/start-up.js';
import { FEATURES } from '../src/features/index.js';
import { userModel } from '../src/db/models/user.js';
import { audienceBucket } from '../src/db/models/audience-bucket.js';
import { grantApplicationModel } from '../src/features/grant/grant-application.model.js';
import { startFerret, startRedis, type ServiceProcess } from '../test/support/service-processes.js';

const APPLICANTS = Number(process.env.START_UP_APPLICANTS ?? 20_000);
const FIRST_ID = 7_000_000;
const CHUNK = 1000;

async function main(started: ServiceProcess[]): Promise<void> {
  const redisUrl = process.env.REDIS_URL ?? (started[started.length] = await startRedis()).url;
  const mongoBase = process.env.MONGODB_URI ?? (started[started.length] = await startFerret()).url;
  const database = `bench_start_up_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    BOT_TOKEN: '123456:bench-start-up-AAAAAAAAAAAAAAAAAAAAAA',
    REDIS_URL: redisUrl,
    MONGODB_URI: `${mongoBase.replace(/\/?$/, '/')}${database}`,
    DATA_KEY: randomBytes(32).toString('base64'),
    REDIS_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
  });
  const redis = new Redis(config.REDIS_URL);
  const mongo = await connectMongo(config.MONGODB_URI);
  try {
    const users = userModel(mongo).collection;
    const applications = grantApplicationModel(mongo).collection;
    for (let from = 0; from < APPLICANTS; from += CHUNK) {
      const ids = Array.from({ length: Math.min(CHUNK, APPLICANTS - from) }, (_, i) => FIRST_ID + from + i);
      const now = new Date();
      await users.insertMany(ids.map((id) => ({ telegramId: id, chatId: id, locale: 'ru', role: 'citizen', blocked: false, announcements: true, bucket: audienceBucket(id), createdAt: now, updatedAt: now })));
      await applications.insertMany(ids.map((id) => ({ ref: `FG-${id}`, submissionKey: `fg-${id}`, userId: id, region: 'almaty', status: 'submitted', createdAt: now })));
    }
    console.log(`${APPLICANTS} applicants: ${await users.countDocuments({})} user records, ${await applications.countDocuments({})} applications`);
    const start = async (label: string) => {
      const queries = new Map<string, number>();
      mongo.set('debug', (collection: string) => void queries.set(collection, (queries.get(collection) ?? 0) + 1));
      const began = performance.now();
      try {
        await runStartUpTasks(FEATURES, mongo, startUpLocks({ redis, config }), createLogger('silent'), startUpTasksLock({ redis, config }), config);
      } finally {
        mongo.set('debug', false);
      }
      console.log(`${label}: ${(performance.now() - began).toFixed(0)} ms; queries by collection ${JSON.stringify(Object.fromEntries(queries))}`);
    };
    await start('first start');
    await start('second start');
    // As a day later: the passes' first end moved back past the settling time.
    await mongo.collection('startuppasses').updateMany({ reachedEndAt: { $exists: true } }, { $set: { reachedEndAt: new Date(Date.now() - 25 * 3600_000) } });
    await start('start a day after the first end');
    await start('start after that');
  } finally {
    await mongo.dropDatabase().catch(() => undefined);
    await mongo.close();
    redis.disconnect();
  }
}

const started: ServiceProcess[] = [];
try {
  await main(started);
} finally {
  for (const service of started) await service.stop();
}
