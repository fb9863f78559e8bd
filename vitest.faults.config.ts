import { defineConfig } from 'vitest/config';
import { selectedScenarios } from './test/faults/catalog';

/**
 * The fault suite (`npm run test:faults`): real processes killed and restarted. Scenarios run
 * one after another (each starts its own Postgres, Temporal, workers and API); FAULTS=a,b picks
 * some of them by name.
 */
export default defineConfig({
  test: {
    include: selectedScenarios().map((name) => `test/faults/${name}.fault.ts`),
    globalSetup: ['test/faults/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
