import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ batchSize: 20 });
  await harness.addWorker();
});
afterAll(async () => {
  await harness?.stop();
});

it('holds a handler to its rate across two workers', async () => {
  const rate = 20;
  const collectionId = await seedCollection(harness, 100);
  await createJob(harness, {
    name: 'paced',
    stages: [{ name: 's', handler: 'noop', rateLimitPerSecond: rate, concurrency: 10 }],
  });
  const id = await startOperation(harness, { job: 'paced', collectionId });
  const op = await waitForStatus(harness, id, ['completed', 'failed']);
  expect(op.counts.done).toBe(100);

  const rows = await harness.database.sql<{ ms: number }[]>`
    select extract(epoch from started_at)::float8 * 1000 as ms from item_stages
    where operation_id = ${id} order by started_at`;
  const starts = rows.map((row) => row.ms);
  // The bucket holds one second's worth: after that burst, starts cannot outpace the rate.
  const span = ((starts.at(-1) ?? 0) - (starts[0] ?? 0)) / 1000;
  expect(span).toBeGreaterThanOrEqual((100 - rate) / rate - 0.2);
  // In any one second, at most the burst plus a second's refill can start.
  for (const start of starts) {
    const inWindow = starts.filter((t) => t >= start && t < start + 1000).length;
    expect(inWindow).toBeLessThanOrEqual(2 * rate);
  }
});
