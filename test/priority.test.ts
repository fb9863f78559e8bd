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
  // Two batch slots: the backfill's batches queue up in Temporal, where priority orders them.
  harness = await startHarness({ maxConcurrentActivities: 2 });
});
afterAll(async () => {
  await harness?.stop();
});

describe('priorities', () => {
  it('come from the job unless a start names one, and filter the list', async () => {
    await createJob(harness, {
      name: 'urgent-job',
      priority: 2,
      stages: [{ name: 'a', handler: 'noop' }],
    });
    const collectionId = await seedCollection(harness, 1);
    const fromJob = await harness.api('POST', '/v1/operations', {
      job: 'urgent-job',
      collectionId,
    });
    expect(fromJob.body.priority).toBe(2);
    const named = await harness.api('POST', '/v1/operations', {
      job: 'urgent-job',
      collectionId,
      priority: 5,
    });
    expect(named.body.priority).toBe(5);
    const listed = await harness.api('GET', '/v1/operations?priority=5');
    expect(listed.body.data.map((operation: { id: string }) => operation.id)).toEqual([
      named.body.id,
    ]);
    const refused = await harness.api('POST', '/v1/operations', {
      job: 'urgent-job',
      collectionId,
      priority: 0,
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('priority');
    const description = await harness.temporal.workflow.getHandle(named.body.id).describe();
    expect(description.raw.workflowExecutionInfo?.priority?.priorityKey).toBe(5);
  });

  it('let an urgent operation overtake one started with it behind a backfill', async () => {
    await createJob(harness, {
      name: 'backfill',
      stages: [{ name: 'slow', handler: 'noop', params: { delayMs: 5 }, concurrency: 10 }],
    });
    await createJob(harness, { name: 'small', stages: [{ name: 'only', handler: 'noop' }] });
    const backfills = [];
    for (let i = 0; i < 3; i++) {
      const collectionId = await seedCollection(harness, 4_000);
      backfills.push(await startOperation(harness, { job: 'backfill', collectionId, priority: 5 }));
    }
    const small = await seedCollection(harness, 100);
    // Let the backfills fill the queue; then a routine run, and an urgent one just after it.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const started = Date.now();
    const routine = await startOperation(harness, {
      job: 'small',
      collectionId: small,
      priority: 5,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const urgent = await startOperation(harness, {
      job: 'small',
      collectionId: small,
      priority: 1,
    });
    const [routineDone, urgentDone] = await Promise.all([
      waitForStatus(harness, routine, ['completed']),
      waitForStatus(harness, urgent, ['completed']),
    ]);
    const finished = (operation: { finishedAt: string }) =>
      new Date(operation.finishedAt).getTime() - started;
    // The routine run waited its turn behind the backfill; the urgent one went ahead of both.
    expect(finished(routineDone)).toBeGreaterThan(1_000);
    expect(finished(urgentDone)).toBeLessThan(finished(routineDone));
    for (const id of backfills) await harness.api('POST', `/v1/operations/${id}/cancel`);
  });
});
