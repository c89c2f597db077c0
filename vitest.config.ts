import { defineConfig } from 'vitest/config';
import { ALL_TESTS, LAYERS } from './test/layers.js';

const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // Starts one redis-server and one FerretDB per run (or uses REDIS_URL / MONGODB_URI); the
    // root's global setup serves every project.
    globalSetup: ['test/support/services.ts'],
    pool: 'forks',
    // Three on a 2-core machine: many files wait on processes, servers and timers rather than the
    // CPU. The whole suite measured 285.7 s with 2 and 225.2 s with 3 (986 tests passed each,
    // load average 3-5 from other work on the machine; the 2-worker run also built the release
    // smoke test's cache, roughly 25 s of one worker).
    maxWorkers: 3,
    // One project per layer (test/layers.ts): `npx vitest run --project scenes` runs one layer.
    // A file named by two layers belongs to the first (e.g. a unit test among services' tests).
    projects: [
      ...LAYERS.map((layer, index) => ({
        test: {
          ...shared,
          name: layer.name,
          include: layer.include,
          exclude: LAYERS.slice(0, index).flatMap((l) => l.include),
          isolate: !layer.shareModules,
        },
      })),
      {
        test: { ...shared, name: 'unsorted', include: [ALL_TESTS], exclude: LAYERS.flatMap((l) => l.include) },
      },
    ],
  },
});
