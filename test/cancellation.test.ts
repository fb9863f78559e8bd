import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitFor,
  waitForStatus,
} from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

it('cancels a running 2,000-item operation: it ends cancelled, keeps its work and stops moving', async () => {
  const collectionId = await seedCollection(harness, 2_000);
  await createJob(harness, {
    name: 'slow',
    stages: [{ name: 'sleep', handler: 'noop', params: { delayMs: 200 } }],
  });
  const id = await startOperation(harness, { job: 'slow', collectionId });
  await waitFor(
    async () => (await harness.api('GET', `/v1/operations/${id}`)).body,
    (operation) => operation.counts.done >= 100,
    { what: 'some items to finish' },
  );

  const cancel = await harness.api('POST', `/v1/operations/${id}/cancel`);
  expect(cancel.status).toBe(202);
  const cancelled = await waitForStatus(harness, id, ['cancelled', 'completed', 'failed'], 30_000);
  expect(cancelled.status).toBe('cancelled');
  expect(cancelled.counts.done).toBeGreaterThanOrEqual(100);
  expect(cancelled.counts.done).toBeLessThan(2_000);
  expect(cancelled.stages[0].inProgress).toBe(0);

  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const later = (await harness.api('GET', `/v1/operations/${id}`)).body;
  expect(later.counts).toEqual(cancelled.counts);
  expect(later.stages[0].done).toBe(cancelled.counts.done);

  const described = await harness.temporal.workflow.getHandle(id).describe();
  expect(described.status.name).toBe('CANCELLED');

  const again = await harness.api('POST', `/v1/operations/${id}/cancel`);
  expect(again.status).toBe(409);
  expect(again.contentType).toContain('application/problem+json');
});
