import { defineConfig } from 'vitest/config';

/**
 * The console suite (`npm run test:console`): the operator console in Debian's headless
 * Chromium, driven by playwright-core, against a real API, worker, Temporal and Postgres.
 */
export default defineConfig({
  test: {
    include: ['test/console/*.console.ts'],
    globalSetup: ['test/console/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
