// npm run bench:access -- [--users 5000] [--reads 300]
// What one staff-access read costs on every update: the Redis copy (AccessService.get) next to
// the MongoDB look-up by telegramId it replaces, measured in the same run on a fresh Redis and
// FerretDB holding --users users (a tenth of them staff).
import { Redis } from 'ioredis';
import { startFerret, startRedis } from '../test/support/service-processes.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectMongo } from '../src/db/connect.js';
import { createDataCipher } from '../src/security/crypto.js';
import { createI18n } from '../src/i18n/index.js';
import { createServices } from '../src/services/index.js';
import { userModel } from '../src/db/models/user.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? undefined : Number(process.argv[i + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

const USERS = flag('users', 5000);
const READS = flag('reads', 100);

function summary(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms`;
}

const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;

async function main(): Promise<void> {
  console.log(`bench:access — ${USERS} users (${USERS / 10} staff), ${READS} reads of random users`);
  const [redisServer, ferret] = await Promise.all([startRedis(), startFerret()]);
  const config = loadConfig({
    BOT_TOKEN: '123456:bench-bench-bench-bench-bench',
    REDIS_URL: redisServer.url,
    MONGODB_URI: `${ferret.url}komek_bench_access`,
    DATA_KEY: 'b'.repeat(64),
    REDIS_PREFIX: 'bench',
    LOG_LEVEL: 'error',
  });
  const redis = new Redis(config.REDIS_URL);
  const mongo = await connectMongo(config.MONGODB_URI);
  const users = userModel(mongo);
  await users.init();
  for (let i = 0; i < USERS; i += 1000) {
    await users.insertMany(
      Array.from({ length: Math.min(1000, USERS - i) }, (_, j) => {
        const id = 10_000 + i + j;
        const staff = (i + j) % 10 === 0;
        return { telegramId: id, chatId: id, locale: 'ru', ...(staff ? { role: 'staff', staffRoles: ['reviewer'], staffRegions: ['astana'] } : {}) };
      }),
    );
  }
  const services = createServices({
    connection: mongo,
    redis,
    cipher: createDataCipher(config.DATA_KEY),
    config,
    i18n: await createI18n(),
    delivery: { enqueue: async () => undefined, cancel: async () => undefined },
    logger: createLogger('error'),
    now: () => new Date(),
  });
  const pick = () => 10_000 + Math.floor(Math.random() * USERS);
  const time = async (fn: () => Promise<unknown>): Promise<number> => {
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };

  const ids = Array.from({ length: READS }, pick);
  const mongoMs: number[] = [];
  for (const id of ids) mongoMs.push(await time(() => services.access.fromDatabase(id)));
  // A cold cache (after a deploy): each first read looks the user up and keeps the copy.
  const missMs: number[] = [];
  for (const id of ids) missMs.push(await time(() => services.access.get(id)));
  // Then every later update of the same users reads only the copy.
  const cachedMs: number[] = [];
  for (const id of ids) cachedMs.push(await time(() => services.access.get(id)));

  console.log(`MongoDB look-up by telegramId:   ${summary(mongoMs)}`);
  console.log(`cache miss (look-up + SET NX):   ${summary(missMs)}`);
  console.log(`Redis copy (AccessService.get):  ${summary(cachedMs)}`);
  console.log(`ratio (median look-up / median cached read): ${(median(mongoMs) / median(cachedMs)).toFixed(0)}x`);

  redis.disconnect();
  await mongo.close();
  await Promise.all([redisServer.stop(), ferret.stop()]);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
