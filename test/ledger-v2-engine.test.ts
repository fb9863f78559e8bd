import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../db/tenants';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitFor,
  waitForStatus,
} from './harness';

/**
 * Ledger version 2 through the real service (docs/ledger.md): operations recorded as frozen
 * chunks and one outcome row per final item-stage, with exact counts, no seeded rows, the
 * failed items' later stages skipped, retried attempts kept as attempt errors.
 */
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ ledgerVersion: 2, chunkSize: 40 });
});
afterAll(async () => {
  await harness?.stop();
});

async function outcomeCount(operationId: string): Promise<number> {
  const [row] = await harness.database.sql<{ count: number }[]>`
    select count(*)::int as count from outcomes r join operations o on o.key = r.operation_key
    where o.id = ${operationId}`;
  return row?.count ?? 0;
}

async function ledgerRows(operationId: string) {
  const [row] = await harness.database.sql<
    {
      ledger: number;
      chunks: number;
      outcomes: number;
      itemStages: number;
      attemptErrors: number;
      corrections: number;
    }[]
  >`
    select o.ledger,
      (select count(*)::int from operation_chunks c where c.operation_key = o.key) as chunks,
      (select count(*)::int from outcomes r where r.operation_key = o.key) as outcomes,
      (select count(*)::int from item_stages s where s.operation_id = o.id) as "itemStages",
      (select count(*)::int from item_attempt_errors e where e.operation_key = o.key) as "attemptErrors",
      (select count(*)::int from stage_tallies t where t.operation_id = o.id and t.correction) as corrections
    from operations o where o.id = ${operationId}`;
  return row;
}

describe('an operation on ledger version 2', () => {
  it('runs 100 items through three fused stages in three chunks, counting exactly', async () => {
    const collectionId = await seedCollection(harness, 100);
    await createJob(harness, {
      name: 'v2-three',
      stages: [
        {
          name: 'fetch',
          handler: 'noop',
          params: { failKeys: ['k7'], flakyKeys: ['k11', 'k60'] },
          retry: { initialIntervalMs: 100 },
        },
        { name: 'parse', handler: 'noop', retry: { initialIntervalMs: 100 } },
        { name: 'store', handler: 'noop', retry: { initialIntervalMs: 100 } },
      ],
    });
    const id = await startOperation(harness, { job: 'v2-three', collectionId });
    const operation = await waitForStatus(harness, id, ['completed', 'failed', 'cancelled']);

    expect(operation.status).toBe('completed');
    expect(operation.counts).toEqual({ items: 100, done: 99, failed: 1, skipped: 0, pending: 0 });
    expect(operation.stages.map((stage: { done: number }) => stage.done)).toEqual([99, 99, 99]);
    // Three chunks of at most 40; one row per item-stage (k7's later stages skipped), none
    // seeded, two retried attempts kept, and tallies that needed no correction.
    expect(await ledgerRows(id)).toEqual({
      ledger: 2,
      chunks: 3,
      outcomes: 300,
      itemStages: 0,
      attemptErrors: 2,
      corrections: 0,
    });
    const skipped = await harness.database.sql<{ stage: number; error: string }[]>`
      select r.stage, r.error from outcomes r join items i on i.id = r.item_id
      join operations o on o.key = r.operation_key
      where o.id = ${id} and i.key = 'k7' and r.status = 'skipped' order by r.stage`;
    expect(skipped).toEqual([
      { stage: 1, error: 'an earlier stage failed' },
      { stage: 2, error: 'an earlier stage failed' },
    ]);
    const [flaky] = await harness.database.sql<{ attempt: number }[]>`
      select r.attempt from outcomes r join items i on i.id = r.item_id
      join operations o on o.key = r.operation_key
      where o.id = ${id} and i.key = 'k11' and r.stage = 0`;
    expect(flaky?.attempt).toBe(2);
    const events = await harness.api('GET', `/v1/operations/${id}/events?limit=200`);
    const types = events.body.data.map((event: { type: string }) => event.type);
    expect(types.filter((type: string) => type === 'stage.completed')).toHaveLength(3);
    expect(types).toContain('operation.completed');
    expect(types).not.toContain('operation.repaired');
  });

  it('runs a single small chunk inline and a barrier stage after the others', async () => {
    const collectionId = await seedCollection(harness, 10);
    await createJob(harness, {
      name: 'v2-barrier',
      stages: [
        { name: 'a', handler: 'noop' },
        { name: 'b', handler: 'noop', barrier: true },
      ],
    });
    const id = await startOperation(harness, { job: 'v2-barrier', collectionId });
    const operation = await waitForStatus(harness, id, ['completed', 'failed', 'cancelled']);
    expect(operation.status).toBe('completed');
    expect(operation.counts).toMatchObject({ items: 10, done: 10, failed: 0 });
    expect(await ledgerRows(id)).toMatchObject({ chunks: 1, outcomes: 20, itemStages: 0 });
  });

  it('stops a batch of slow items after about a second and runs the rest in another', async () => {
    // One lane, so the first batch's slice is the whole chunk of 40.
    const tenants = (await harness.api('GET', '/v1/tenants')).body.data;
    const tenant = tenants.find((each: { name: string }) => each.name === DEFAULT_TENANT);
    await harness.api('PATCH', `/v1/tenants/${tenant.id}`, { parallelism: 1 });
    try {
      const collectionId = await seedCollection(harness, 40);
      await createJob(harness, {
        name: 'v2-time-box',
        stages: [{ name: 'slow', handler: 'noop', params: { delayMs: 150 }, concurrency: 5 }],
      });
      const id = await startOperation(harness, { job: 'v2-time-box', collectionId });
      const operation = await waitForStatus(harness, id, ['completed', 'failed', 'cancelled']);
      expect(operation.status).toBe('completed');
      expect(operation.counts).toMatchObject({ items: 40, done: 40, failed: 0 });
      expect(await outcomeCount(id)).toBe(40);
      const history = await harness.temporal.workflow.getHandle(id).fetchHistory();
      const slices = (history.events ?? []).flatMap((event) => {
        const scheduled = event.activityTaskScheduledEventAttributes;
        if (scheduled?.activityType?.name !== 'processSlice') return [];
        const [payload] = scheduled.input?.payloads ?? [];
        return [JSON.parse(Buffer.from(payload?.data ?? '').toString())];
      });
      // 8 rounds of 150 ms do not fit in the second: the first batch handed back its rest.
      expect(slices[0]).toMatchObject({ from: 1, to: 40, timeBoxMs: 1_000 });
      expect(slices.length).toBeGreaterThan(1);
      expect(slices.slice(1).every((slice) => slice.resumed === true)).toBe(true);
    } finally {
      await harness.api('PATCH', `/v1/tenants/${tenant.id}`, { parallelism: 16 });
    }
  });

  it('pauses, holds, resumes and completes exactly', async () => {
    const collectionId = await seedCollection(harness, 400);
    await createJob(harness, {
      name: 'v2-pause',
      stages: [
        { name: 'slow', handler: 'noop', params: { delayMs: 100 }, batchSize: 5, concurrency: 1 },
      ],
    });
    const id = await startOperation(harness, { job: 'v2-pause', collectionId });
    await waitFor(
      () => outcomeCount(id),
      (count) => count >= 10,
      { what: 'some outcomes' },
    );
    const paused = await harness.api('POST', `/v1/operations/${id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused', paused: true });
    // The batches in flight (half a second each) finish; then the count holds however long
    // one watches.
    let last = -1;
    const held = await waitFor(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        const count = await outcomeCount(id);
        const settled = count === last;
        last = count;
        return { count, settled };
      },
      (state) => state.settled,
      { what: 'the paused operation to settle' },
    );
    expect(held.count).toBeLessThan(400);
    await harness.api('POST', `/v1/operations/${id}/resume`);
    const finished = await waitForStatus(harness, id, ['completed', 'failed', 'cancelled']);
    expect(finished.status).toBe('completed');
    expect(finished.counts).toMatchObject({ items: 400, done: 400 });
    expect(await outcomeCount(id)).toBe(400);
  });

  it('cancels a running operation: it ends cancelled, keeps what finished and stops', async () => {
    const collectionId = await seedCollection(harness, 600);
    await createJob(harness, {
      name: 'v2-cancel',
      stages: [
        { name: 'slow', handler: 'noop', params: { delayMs: 100 }, batchSize: 5, concurrency: 1 },
      ],
    });
    const id = await startOperation(harness, { job: 'v2-cancel', collectionId });
    await waitFor(
      () => outcomeCount(id),
      (count) => count >= 10,
      { what: 'some outcomes' },
    );
    expect((await harness.api('POST', `/v1/operations/${id}/cancel`)).status).toBe(202);
    const cancelled = await waitForStatus(harness, id, ['cancelled', 'completed', 'failed']);
    expect(cancelled.status).toBe('cancelled');
    const kept = await outcomeCount(id);
    expect(kept).toBeLessThan(600);
    expect(cancelled.counts.done).toBe(kept);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await outcomeCount(id)).toBe(kept);
    const described = await harness.temporal.workflow.getHandle(id).describe();
    expect(described.status.name).toBe('CANCELLED');
  });
});
