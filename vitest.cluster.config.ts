import { defineConfig } from 'vitest/config';

/**
 * The cluster suite (`npm run test:cluster`): Conveyor's processes on a Temporal cluster of four
 * server processes with Postgres persistence, built from the Go module proxy on first run.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 900_000,
    teardownTimeout: 120_000,
  },
});
