import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Starts one redis-server and one FerretDB per run (or uses REDIS_URL / MONGODB_URI).
    globalSetup: ['test/support/services.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
