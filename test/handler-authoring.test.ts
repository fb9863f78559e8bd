import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineHandler, type OperationInfo, sleep } from '../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';

/** What the handler saw of its context, by item key. */
const seen = new Map<string, { operation: OperationInfo; collectionId: string | null }>();

const careful = defineHandler({
  name: 'careful',
  version: '1',
  description: 'Test: records its context; reports progress and dawdles on keys starting "slow".',
  params: z.object({}),
  defaults: {
    concurrency: 3,
    itemTimeoutMs: 5_000,
    rateLimitPerSecond: 500,
    retry: { maximumAttempts: 7 },
  },
  async process(item, context) {
    seen.set(item.key, { operation: context.operation, collectionId: item.collectionId });
    if (item.key.startsWith('slow')) {
      context.progress(0.5, 'half way');
      await sleep(2_500, context.signal);
    }
    return { ok: true };
  },
});

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ handlers: createHandlerRegistry([...builtInHandlers, careful]) });
});
afterAll(async () => {
  await harness?.stop();
});

describe('handler authoring', () => {
  it('gives stages the handler’s default policies unless the stage sets its own', async () => {
    const plain = await createJob(harness, {
      name: 'plain',
      stages: [{ name: 'only', handler: 'careful' }],
    });
    expect(plain.definition.stages[0]).toMatchObject({
      concurrency: 3,
      itemTimeoutMs: 5_000,
      rateLimitPerSecond: 500,
      retry: { maximumAttempts: 7, initialIntervalMs: 1_000 },
    });
    const own = await createJob(harness, {
      name: 'own',
      stages: [
        { name: 'only', handler: 'careful', concurrency: 2, retry: { initialIntervalMs: 10 } },
      ],
    });
    expect(own.definition.stages[0]).toMatchObject({
      concurrency: 2,
      itemTimeoutMs: 5_000,
      retry: { maximumAttempts: 7, initialIntervalMs: 10 },
    });
    // Handlers without defaults keep Conveyor's.
    const noop = await createJob(harness, {
      name: 'bare',
      stages: [{ name: 'only', handler: 'noop' }],
    });
    expect(noop.definition.stages[0]).toMatchObject({
      concurrency: 10,
      retry: { maximumAttempts: 3 },
    });
  });

  it('refuses a handler whose defaults break a stage’s bounds, naming the field', () => {
    const reckless = defineHandler({
      ...careful,
      name: 'reckless',
      defaults: { concurrency: 0 },
    });
    expect(() => createHandlerRegistry([reckless])).toThrow(/reckless.*concurrency/s);
  });

  it('tells the handler its operation and item’s collection, and shows its progress in Temporal', async () => {
    const collectionId = await seedCollection(harness, 3);
    await harness.api('POST', `/v1/collections/${collectionId}/items`, {
      items: [{ key: 'slow-1' }],
    });
    const operationId = await startOperation(harness, { job: 'plain', collectionId, priority: 2 });
    const heartbeat = await progressOf(operationId);
    expect(heartbeat.progress).toEqual({ 'slow-1': { fraction: 0.5, note: 'half way' } });
    await waitForStatus(harness, operationId, ['completed']);
    expect(seen.get('slow-1')).toEqual({
      collectionId,
      operation: {
        id: operationId,
        tenantId: expect.any(String),
        jobName: 'plain',
        jobVersion: 1,
        mode: 'production',
        priority: 2,
      },
    });
  });
});

/** The running batch's last heartbeat details, read from its workflow as the Web UI does. */
async function progressOf(operationId: string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    // A one-chunk operation runs its batches itself; larger ones in chunk workflows.
    for (const workflowId of [operationId, `${operationId}.chunk-0`]) {
      const handle = harness.temporal.workflow.getHandle(workflowId);
      const description = await handle.describe().catch(() => undefined);
      for (const activity of description?.raw.pendingActivities ?? []) {
        const payload = activity.heartbeatDetails?.payloads?.[0]?.data;
        const details = payload ? JSON.parse(Buffer.from(payload).toString()) : undefined;
        if (details?.progress) return details;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no batch of ${operationId} reported progress within 10 s`);
}
