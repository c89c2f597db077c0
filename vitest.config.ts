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
    maxWorkers: 2,
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
