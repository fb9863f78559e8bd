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
  // Tiny chunks and a tiny history budget force the operation to continue as new several times.
  harness = await startHarness({ chunkSize: 20, historyEventsLimit: 30 });
});
afterAll(async () => {
  await harness?.stop();
});

it('continues a long operation as new and still finishes it exactly once', async () => {
  const collectionId = await seedCollection(harness, 200);
  await createJob(harness, {
    name: 'many-chunks',
    stages: [
      { name: 'a', handler: 'noop', params: { failKeys: ['k150'] } },
      { name: 'b', handler: 'noop' },
    ],
  });
  const id = await startOperation(harness, { job: 'many-chunks', collectionId });
  const op = await waitForStatus(harness, id, ['completed', 'failed', 'cancelled']);
  expect(op.status).toBe('completed');
  expect(op.counts).toEqual({ items: 200, done: 199, failed: 1, skipped: 0, pending: 0 });

  // The record commits inside the workflow's last step, a moment before the run closes.
  const handle = harness.temporal.workflow.getHandle(id);
  await handle.result();
  const latest = await handle.describe();
  expect(latest.status.name).toBe('COMPLETED');
  expect(latest.runId).not.toBe(op.temporal.runId);
  // Visibility follows the history a little later: wait until it lists every run closed.
  const statuses = await waitFor(
    async () => {
      const found: string[] = [];
      for await (const execution of harness.temporal.workflow.list({
        query: `WorkflowId = '${id}'`,
      })) {
        found.push(execution.status.name);
      }
      return found;
    },
    (found) => found.length > 1 && found.every((status) => status !== 'RUNNING'),
    { what: 'every run of the operation listed closed' },
  );
  expect(statuses.filter((status) => status === 'COMPLETED')).toHaveLength(1);
  for (const status of statuses) expect(['COMPLETED', 'CONTINUED_AS_NEW']).toContain(status);
  const runs = statuses.length;
  expect(runs).toBeGreaterThan(1);

  const types = (await harness.api('GET', `/v1/operations/${id}/events`)).body.data.map(
    (event: { type: string }) => event.type,
  );
  // Progress snapshots come as batches are written; the lifecycle events come once each.
  const lifecycle = types.filter(
    (type: string) => type.startsWith('operation.') && type !== 'operation.progress',
  );
  expect(lifecycle).toEqual(['operation.created', 'operation.started', 'operation.completed']);
});
