import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { defineHandler } from '../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';

/**
 * When each item's handler began, and on which worker (both run in this process, each with a
 * `stamped` handler of its own): what a rate limit paces, whichever ledger records the outcomes.
 * Version 2's outcomes carry the time of the flush that wrote them, not of the handler's start.
 */
const starts: { worker: string; at: number }[] = [];
const stampedOn = (worker: string) =>
  defineHandler({
    name: 'stamped',
    version: '1',
    description: 'Notes when and where it starts each item (for the rate-limit test).',
    params: z.object({}),
    async process() {
      starts.push({ worker, at: Date.now() });
      return {};
    },
  });

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({
    batchSize: 20,
    handlers: createHandlerRegistry([...builtInHandlers, stampedOn('first')]),
    // One batch at a time on the workflow's own worker: the others cannot go to it eagerly
    // (Temporal hands a workflow's new activities to its worker while it has free slots), so
    // the second worker runs them and the limit is shared in earnest.
    maxConcurrentActivities: 1,
  });
  await harness.addWorker({
    handlers: createHandlerRegistry([...builtInHandlers, stampedOn('second')]),
  });
});
afterAll(async () => {
  await harness?.stop();
});

it('holds a handler to its rate across two workers', async () => {
  const rate = 20;
  const collectionId = await seedCollection(harness, 100);
  await createJob(harness, {
    name: 'paced',
    stages: [{ name: 's', handler: 'stamped', rateLimitPerSecond: rate, concurrency: 10 }],
  });
  const id = await startOperation(harness, { job: 'paced', collectionId });
  const op = await waitForStatus(harness, id, ['completed', 'failed']);
  expect(op.counts.done).toBe(100);
  expect(starts).toHaveLength(100);
  expect(new Set(starts.map((start) => start.worker))).toEqual(new Set(['first', 'second']));

  const times = starts.map((start) => start.at).sort((a, b) => a - b);
  // The bucket holds one second's worth: after that burst, starts cannot outpace the rate.
  const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
  expect(span).toBeGreaterThanOrEqual((100 - rate) / rate - 0.2);
  // In any one second, at most the burst plus a second's refill can start.
  for (const start of times) {
    const inWindow = times.filter((t) => t >= start && t < start + 1000).length;
    expect(inWindow).toBeLessThanOrEqual(2 * rate);
  }
});
