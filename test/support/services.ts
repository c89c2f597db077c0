// vitest globalSetup: one redis-server and one FerretDB for the whole run, unless REDIS_URL /
// MONGODB_URI point at running servers. Test files isolate themselves with ./isolation.ts.
// Meanwhile the entry points tests start as processes are bundled (./ts-entries.ts).
import type { TestProject } from 'vitest/node';
import { startFerret, startRedis, type ServiceProcess } from './service-processes.js';
import { bundleEntries } from './ts-entries.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** e.g. redis://127.0.0.1:PORT — share it only through testRedisPrefix() key prefixes. */
    redisUrl: string;
    /** e.g. mongodb://127.0.0.1:PORT/ — connect only through testMongoUri(). */
    mongoUrl: string;
    /**
     * The PostgreSQL under the FerretDB this run started, '' otherwise (MONGODB_URI, SQLite): for
     * tests that hold a document's row to interleave two writers (./row-hold.ts).
     */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: Array<Pick<ServiceProcess, 'stop'>> = [];
  const stopAll = async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
  const t0 = Date.now();
  // allSettled, not all: when one fails, the other must still be awaited so it can be stopped.
  let postgresUrl = '';
  const outcomes = await Promise.allSettled([
    process.env.REDIS_URL || startRedis().then((s) => (started.push(s), s.url)),
    process.env.MONGODB_URI || startFerret().then((s) => (started.push(s), (postgresUrl = s.postgresUrl ?? ''), s.url)),
    bundleEntries().then((b) => (started.push({ stop: b.remove }), b.dir)),
  ]);
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) {
    await stopAll();
    throw failure.reason;
  }
  const [redisUrl, mongoUrl, entriesDir] = outcomes.map((o) => (o as PromiseFulfilledResult<string>).value);
  if (process.env.KOMEK_TEST_VERBOSE) {
    console.log(`[test services] ready in ${Date.now() - t0} ms: ${redisUrl} ${mongoUrl}, entries in ${entriesDir}`);
  }
  project.provide('redisUrl', redisUrl!);
  project.provide('mongoUrl', mongoUrl!);
  project.provide('postgresUrl', postgresUrl);
  project.provide('entriesDir', entriesDir!);
  // Watch mode: the processes tests start must run the code as edited, as the in-process tests
  // do, not the code as it was when the run began.
  project.onTestsRerun(async () => {
    await bundleEntries();
  });
  return stopAll;
}
