import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  harness = await startHarness({ chunkSize: 500 });
  await harness.addWorker({ identity: 'second-worker' });
});
afterAll(async () => {
  await harness?.stop();
});

/** The batch activities of either ledger: version 1's per stage, version 2's per fused run. */
const BATCH_ACTIVITIES = new Set(['processBatch', 'processSlice']);

/**
 * Which worker ran each batch activity of the operation, from Temporal's histories: the
 * operation's own (version 2 runs a few chunks there) and those of the chunk children it started.
 */
async function batchWorkers(operationId: string): Promise<string[]> {
  const workflowIds = [operationId];
  const identities: string[] = [];
  for (let next = 0; next < workflowIds.length; next++) {
    const history = await harness.temporal.workflow
      .getHandle(workflowIds[next] as string)
      .fetchHistory();
    const batches = new Set<string>();
    for (const event of history.events ?? []) {
      const child = event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
      if (child) workflowIds.push(child);
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (BATCH_ACTIVITIES.has(scheduled?.activityType?.name ?? '')) {
        batches.add(String(event.eventId));
      }
      const started = event.activityTaskStartedEventAttributes;
      if (started && batches.has(String(started.scheduledEventId))) {
        identities.push(started.identity ?? '');
      }
    }
  }
  return identities;
}

describe('two workers on one task queue', () => {
  it('share one operation’s batches, and its counts stay exact', async () => {
    const collectionId = await seedCollection(harness, 2_000);
    await createJob(harness, {
      name: 'shared',
      stages: [
        // Items that take a little time keep batches in flight long enough for both to poll;
        // batches of a set size, as many as a time-boxed first batch (its whole chunk) is not.
        { name: 'slow', handler: 'noop', params: { delayMs: 2 }, concurrency: 10, batchSize: 50 },
        { name: 'quick', handler: 'noop' },
      ],
    });
    const id = await startOperation(harness, { job: 'shared', collectionId });
    const operation = await waitForStatus(harness, id, ['completed']);
    expect(operation.counts.done).toBe(2_000);

    const workers = await batchWorkers(id);
    const byWorker = new Map<string, number>();
    for (const identity of workers) byWorker.set(identity, (byWorker.get(identity) ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual([expect.stringMatching(/^\d+@/), 'second-worker']);
    for (const batches of byWorker.values()) expect(batches).toBeGreaterThan(0);
  });
});
