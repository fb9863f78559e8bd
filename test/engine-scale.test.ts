import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitFor,
  waitForOperation,
  waitForStatus,
} from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  await createJob(harness, {
    name: 'wide',
    stages: [
      { name: 'a', handler: 'noop', params: { failKeys: ['k3', 'k19999'] } },
      {
        name: 'b',
        handler: 'noop',
        params: { flakyKeys: ['k12345'] },
        retry: { initialIntervalMs: 100 },
      },
    ],
  });
});
afterAll(async () => {
  await harness?.stop();
});

async function chunkIds(operationId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of harness.temporal.workflow.list({
    query: `WorkflowType = 'chunkWorkflow' AND TaskQueue = '${harness.taskQueue}'`,
  })) {
    if (execution.workflowId.startsWith(`${operationId}.chunk-`)) ids.push(execution.workflowId);
  }
  return ids.sort();
}

async function historyLength(workflowId: string): Promise<number> {
  const history = await harness.temporal.workflow.getHandle(workflowId).fetchHistory();
  return history.events?.length ?? 0;
}

describe('chunked operations', () => {
  let operationId: string;

  // Eleven chunks of 2,000: version 2 runs up to ten inline, so these are children in both.
  it('runs 22,000 items as chunk child workflows with exact counts', async () => {
    const collectionId = await seedCollection(harness, 22_000);
    operationId = await startOperation(harness, { job: 'wide', collectionId });
    const op = await waitForStatus(
      harness,
      operationId,
      ['completed', 'failed', 'cancelled'],
      170_000,
    );
    expect(op.status).toBe('completed');
    expect(op.counts).toEqual({ items: 22_000, done: 21_998, failed: 2, skipped: 0, pending: 0 });
    expect(
      op.stages.map(({ done, failed, skipped }: Record<string, number>) => [done, failed, skipped]),
    ).toEqual([
      [21_998, 2, 0],
      [21_998, 0, 2],
    ]);

    const children = await waitFor(
      () => chunkIds(operationId),
      (ids) => ids.length === 11,
      { what: 'eleven chunks in visibility' },
    );
    expect(children).toHaveLength(11);
    for (const id of [operationId, ...children]) {
      expect(await historyLength(id)).toBeLessThan(10_000);
    }
  });

  it('replays the recorded histories with the current workflow code', async () => {
    const children = await chunkIds(operationId);
    const histories = await Promise.all(
      [operationId, children[0] as string].map(async (workflowId) => ({
        workflowId,
        history: await harness.temporal.workflow.getHandle(workflowId).fetchHistory(),
      })),
    );
    const results = Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      histories,
    );
    for await (const result of results) {
      expect(result.error, `replay of ${result.workflowId}`).toBeUndefined();
    }
  });

  it('cancels every chunk when a chunked operation is cancelled', async () => {
    const collectionId = await seedCollection(harness, 22_000);
    await createJob(harness, {
      name: 'slow-wide',
      stages: [{ name: 's', handler: 'noop', params: { delayMs: 100 } }],
    });
    const id = await startOperation(harness, { job: 'slow-wide', collectionId });
    await waitFor(
      async () => (await chunkIds(id)).length,
      (n) => n >= 2,
      { what: 'chunks to start' },
    );
    await waitForOperation(harness, id, (op) => op.counts.done > 0, 'progress');

    expect((await harness.api('POST', `/v1/operations/${id}/cancel`)).status).toBe(202);
    const op = await waitForStatus(harness, id, ['cancelled', 'completed', 'failed'], 30_000);
    expect(op.status).toBe('cancelled');
    expect(op.counts.done).toBeLessThan(22_000);
    expect(op.stages[0].inProgress).toBe(0);
    for (const child of await chunkIds(id)) {
      const { status } = await harness.temporal.workflow.getHandle(child).describe();
      expect(status.name, child).toMatch(/CANCELLED|COMPLETED/);
    }
    expect((await harness.temporal.workflow.getHandle(id).describe()).status.name).toBe(
      'CANCELLED',
    );
  });
});
