import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerRegistry } from '../handlers/registry';
import { progressQuery } from '../workflows/definitions';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForOperation,
  waitForStatus,
} from './harness';

const handlers = createHandlerRegistry();
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ handlers });
});
afterAll(async () => {
  await harness?.stop();
});

const get = async (id: string) => (await harness.api('GET', `/v1/operations/${id}`)).body;

describe('pause and resume', () => {
  it('holds a paused operation and completes it after resume', async () => {
    const collectionId = await seedCollection(harness, 600);
    await createJob(harness, {
      name: 'pausable',
      stages: [
        { name: 's', handler: 'noop', params: { delayMs: 100 }, concurrency: 10, batchSize: 20 },
      ],
    });
    const id = await startOperation(harness, { job: 'pausable', collectionId });
    await waitForOperation(harness, id, (op) => op.counts.done >= 40, 'progress before pausing');

    const paused = await harness.api('POST', `/v1/operations/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused', paused: true });
    // In-flight batches finish; after that nothing moves.
    const settled = await waitForOperation(
      harness,
      id,
      (op) => op.stages[0].inProgress === 0,
      'in-flight batches to finish',
    );
    expect(settled.status).toBe('paused');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const later = await get(id);
    expect(later.counts.done).toBe(settled.counts.done);
    expect(later.counts.done).toBeLessThan(600);
    expect(await harness.temporal.workflow.getHandle(id).query(progressQuery)).toMatchObject({
      status: 'paused',
    });

    expect((await harness.api('POST', `/v1/operations/${id}/resume`)).body).toMatchObject({
      status: 'running',
      paused: false,
    });
    const done = await waitForStatus(harness, id, ['completed', 'failed', 'cancelled']);
    expect(done.status).toBe('completed');
    expect(done.counts.done).toBe(600);

    const types = (await harness.api('GET', `/v1/operations/${id}/events`)).body.data.map(
      (event: { type: string }) => event.type,
    );
    expect(types).toContain('operation.paused');
    expect(types).toContain('operation.resumed');
    const again = await harness.api('POST', `/v1/operations/${id}/pause`);
    expect(again.status).toBe(409);
  });
});

describe('a long batch', () => {
  it('records finished items while it runs, not only at its end', async () => {
    const collectionId = await seedCollection(harness, 30);
    await createJob(harness, {
      name: 'one-long-batch',
      stages: [
        { name: 's', handler: 'noop', params: { delayMs: 200 }, concurrency: 1, batchSize: 30 },
      ],
    });
    const id = await startOperation(harness, { job: 'one-long-batch', collectionId });
    // One batch of 30 items at 200 ms each takes 6 s; heartbeats write every second.
    const midway = await waitForOperation(
      harness,
      id,
      (op) => op.stages[0].done > 0 || op.status === 'completed',
      'items recorded mid-batch',
    );
    expect(midway.status).toBe('running');
    expect(midway.stages[0].done).toBeLessThan(30);
    expect(midway.stages[0].inProgress).toBeGreaterThan(0);
    expect((await waitForStatus(harness, id, ['completed'])).counts.done).toBe(30);
  });
});

describe('retries and failures', () => {
  it('records final failures after the last attempt and retries only what failed', async () => {
    const collectionId = await seedCollection(harness, 50);
    await createJob(harness, {
      name: 'always-flaky',
      stages: [
        // flakyKeys fail only on attempt 1; with one attempt allowed they fail for good.
        {
          name: 'first',
          handler: 'noop',
          params: { flakyKeys: ['k3', 'k4'], failKeys: ['k5'] },
          retry: { maximumAttempts: 1 },
        },
        { name: 'second', handler: 'noop' },
      ],
    });
    const id = await startOperation(harness, { job: 'always-flaky', collectionId });
    const done = await waitForStatus(harness, id, ['completed', 'failed']);
    expect(done.counts).toMatchObject({ items: 50, done: 47, failed: 3 });

    const failedItems = (
      await harness.api('GET', `/v1/operations/${id}/items?stage=first&status=failed`)
    ).body.data;
    expect(failedItems.map((item: { key: string }) => item.key).sort()).toEqual(['k3', 'k4', 'k5']);
    expect(failedItems[0].stages.map((s: { status: string }) => s.status)).toEqual([
      'failed',
      'skipped',
    ]);

    const retry = await harness.api('POST', `/v1/operations/${id}/retry`);
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ retryOf: id, scope: { kind: 'items', itemCount: 3 } });
    const retried = await waitForStatus(harness, retry.body.id, ['completed', 'failed']);
    // The retry runs the same definition: k3 and k4 fail again (attempt 1 of a new operation), k5 too.
    expect(retried.counts).toMatchObject({ items: 3, failed: 3 });
    const retriedKeys = (
      await harness.api('GET', `/v1/operations/${retry.body.id}/items`)
    ).body.data.map((item: { key: string }) => item.key);
    expect(retriedKeys.sort()).toEqual(['k3', 'k4', 'k5']);
  });

  it('refuses to retry an operation with no failures', async () => {
    const collectionId = await seedCollection(harness, 3);
    await createJob(harness, { name: 'clean', stages: [{ name: 's', handler: 'noop' }] });
    const id = await startOperation(harness, { job: 'clean', collectionId });
    await waitForStatus(harness, id, ['completed']);
    expect((await harness.api('POST', `/v1/operations/${id}/retry`)).status).toBe(409);
  });
});

describe('handler versions', () => {
  it('counts stale results per handler and reprocesses exactly the stale items', async () => {
    const collectionId = await seedCollection(harness, 30);
    await createJob(harness, { name: 'versioned', stages: [{ name: 's', handler: 'noop' }] });
    const first = await startOperation(harness, {
      job: 'versioned',
      collectionId,
      itemKeys: ['k0', 'k1', 'k2', 'k3'],
    });
    await waitForStatus(harness, first, ['completed']);

    const noop = handlers.get('noop');
    if (!noop) throw new Error('noop missing');
    const previous = noop.version;
    noop.version = '2';
    try {
      const second = await startOperation(harness, {
        job: 'versioned',
        collectionId,
        itemKeys: ['k3', 'k4'],
      });
      await waitForStatus(harness, second, ['completed']);

      const stats = (await harness.api('GET', `/v1/collections/${collectionId}/stats`)).body;
      expect(stats.handlers).toEqual([
        {
          handler: 'noop',
          currentVersion: '2',
          results: 5,
          stale: 3,
          versions: { '1': 3, '2': 2 },
        },
      ]);

      const reprocess = await harness.api('POST', '/v1/operations', {
        job: 'versioned',
        collectionId,
        only: 'stale',
      });
      expect(reprocess.status).toBe(202);
      const op = await waitForStatus(harness, reprocess.body.id, ['completed']);
      expect(op.counts).toMatchObject({ items: 3, done: 3 });
      const keys = (await harness.api('GET', `/v1/operations/${op.id}/items`)).body.data.map(
        (item: { key: string }) => item.key,
      );
      expect(keys.sort()).toEqual(['k0', 'k1', 'k2']);
      const after = (await harness.api('GET', `/v1/collections/${collectionId}/stats`)).body;
      expect(after.stale).toBe(0);
    } finally {
      noop.version = previous;
    }
  });
});
