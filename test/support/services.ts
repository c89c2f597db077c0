// vitest globalSetup: one redis-server and one FerretDB for the whole run, unless REDIS_URL /
// MONGODB_URI point at running servers. Test files isolate themselves with ./isolation.ts.
import type { TestProject } from 'vitest/node';
import { startFerret, startRedis, type ServiceProcess } from './service-processes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** e.g. redis://127.0.0.1:PORT — share it only through testRedisPrefix() key prefixes. */
    redisUrl: string;
    /** e.g. mongodb://127.0.0.1:PORT/ — connect only through testMongoUri(). */
    mongoUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: ServiceProcess[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
  const t0 = Date.now();
  // allSettled, not all: when one fails, the other must still be awaited so it can be stopped.
  const [redis, mongo] = await Promise.allSettled([
    process.env.REDIS_URL || startRedis().then((s) => (started.push(s), s.url)),
    process.env.MONGODB_URI || startFerret().then((s) => (started.push(s), s.url)),
  ]);
  if (redis.status === 'rejected' || mongo.status === 'rejected') {
    await stopAll();
    throw redis.status === 'rejected' ? redis.reason : (mongo as PromiseRejectedResult).reason;
  }
  if (started.length > 0 && process.env.KOMEK_TEST_VERBOSE) {
    console.log(`[test services] started in ${Date.now() - t0} ms: ${redis.value} ${mongo.value}`);
  }
  project.provide('redisUrl', redis.value);
  project.provide('mongoUrl', mongo.value);
  return stopAll;
}
