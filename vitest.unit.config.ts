import { defineConfig } from 'vitest/config';

/** The engine's rules alone: pure functions and workflows on Temporal's test environment. */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    // Temporal's native worker wants a process of its own, not a worker thread.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
