import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemCounts } from '../common/domain';
import {
  claimBatch,
  type ItemOutcome,
  type OutcomeContext,
  recordOutcomes,
  releaseBatch,
  seedItemStages,
} from '../db/item-stages';
import { auditOperation } from '../db/operation-audit';
import { insertOperation } from '../db/operations';
import { stageCounts } from '../db/stage-counts';
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
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

/**
 * What the ledger's own rows say, per stage: the truth the tallies must sum to. Version 1's are
 * its item stages; version 2's are its outcomes, over its frozen scope (an item-stage without an
 * outcome is pending, nothing being written to claim it).
 */
async function itemStageTruth(operationId: string, stageCount: number): Promise<ItemCounts[]> {
  const { sql } = harness.database;
  const [operation] = await sql<{ ledger: number; key: number }[]>`
    select ledger, key from operations where id = ${operationId}`;
  const rows =
    operation?.ledger === 2
      ? await sql<{ stageIndex: number; status: string; count: number }[]>`
          select stage::int as "stageIndex", status, count(*)::int as count from outcomes
          where operation_key = ${operation.key} group by 1, 2`
      : await sql<{ stageIndex: number; status: string; count: number }[]>`
          select stage_index as "stageIndex", status, count(*)::int as count from item_stages
          where operation_id = ${operationId} group by 1, 2`;
  const counts = Array.from({ length: stageCount }, () => ({
    items: 0,
    pending: 0,
    inProgress: 0,
    done: 0,
    failed: 0,
    skipped: 0,
  }));
  const keyOf: Record<string, keyof ItemCounts> = {
    pending: 'pending',
    in_progress: 'inProgress',
    done: 'done',
    failed: 'failed',
    skipped: 'skipped',
  };
  for (const row of rows) {
    const stage = counts[row.stageIndex];
    const key = keyOf[row.status];
    if (!stage || !key) throw new Error(`unexpected item stage ${JSON.stringify(row)}`);
    stage[key] += row.count;
    stage.items += row.count;
  }
  if (operation?.ledger === 2) {
    const [scope] = await sql<{ items: number }[]>`
      select coalesce(sum(cardinality(item_ids)), 0)::int as items from operation_chunks
      where operation_key = ${operation.key}`;
    for (const stage of counts) {
      stage.pending = (scope?.items ?? 0) - stage.items;
      stage.items = scope?.items ?? 0;
    }
  }
  return counts;
}

/** An item's state in one stage, through the operation's items API (either ledger format). */
async function stageOf(operationId: string, key: string, stageIndex: number) {
  const page = await harness.api('GET', `/v1/operations/${operationId}/items?limit=1000`);
  expect(page.status).toBe(200);
  const item = page.body.data.find((candidate: { key: string }) => candidate.key === key);
  return item?.stages[stageIndex] as { status: string; attempts: number } | undefined;
}

async function corrections(operationId: string): Promise<number> {
  const [row] = await harness.database.sql<{ count: number }[]>`
    select count(*)::int as count from stage_tallies
    where operation_id = ${operationId} and correction`;
  return row?.count ?? 0;
}

describe('stage tallies', () => {
  it('count an outcome once, however often the same batch is claimed and recorded', async () => {
    const { sql, db } = harness.database;
    const collectionId = await seedCollection(harness, 6);
    const [collection] = await sql<{ tenantId: string }[]>`
      select tenant_id as "tenantId" from collections where id = ${collectionId}::uuid`;
    const operation = await insertOperation(db, {
      id: `op-${randomUUID()}`,
      tenantId: collection?.tenantId ?? '',
      jobName: 'tallied',
      jobVersion: 1,
      definition: {
        stages: [
          { name: 'first', handler: 'noop' },
          { name: 'second', handler: 'noop' },
        ],
      } as never,
      scope: 'collection',
      collectionId,
      status: 'running',
      mode: 'production',
    });
    const agree = async () =>
      expect(await stageCounts(sql, operation.id, 2)).toEqual(
        await itemStageTruth(operation.id, 2),
      );

    await seedItemStages(sql, operation.id, { first: 0, count: 2 }, { collectionId });
    await seedItemStages(sql, operation.id, { first: 0, count: 2 }, { collectionId });
    expect((await stageCounts(sql, operation.id, 2))[0]).toMatchObject({ items: 6, pending: 6 });
    await agree();

    const range = { fromItemId: 0, toItemId: Number.MAX_SAFE_INTEGER };
    const claimed = await claimBatch(sql, operation.id, 0, range);
    expect(claimed).toHaveLength(6);
    // A retry of the batch takes the same rows again: they stay in progress, counted once.
    expect(await claimBatch(sql, operation.id, 0, range)).toHaveLength(6);
    expect((await stageCounts(sql, operation.id, 2))[0]).toMatchObject({ inProgress: 6 });
    await agree();

    const context: OutcomeContext = {
      operationId: operation.id,
      stageIndex: 0,
      stageName: 'first',
      isLastStage: false,
      handler: 'noop',
      handlerVersion: '1',
      storeResults: false,
      keepOutput: false,
    };
    const [failedItem, retriedItem, ...doneItems] = claimed;
    const outcome = (itemId: number, status: ItemOutcome['status']): ItemOutcome => ({
      itemId,
      status,
      startedAt: Date.now(),
      durationMs: 1,
      ...(status === 'failed' ? { error: 'no' } : {}),
    });
    const outcomes = [
      outcome(failedItem?.itemId ?? -1, 'failed'),
      outcome(retriedItem?.itemId ?? -1, 'pending'),
      ...doneItems.map((item) => outcome(item.itemId, 'done')),
    ];
    const first = await recordOutcomes(sql, context, outcomes);
    expect(first).toEqual({ done: 4, failed: 1, skipped: 0, pending: 1 });
    const afterFirst = await stageCounts(sql, operation.id, 2);
    expect(afterFirst[0]).toEqual({
      items: 6,
      pending: 1,
      inProgress: 0,
      done: 4,
      failed: 1,
      skipped: 0,
    });
    expect(afterFirst[1]).toMatchObject({ items: 6, pending: 5, skipped: 1 });
    await agree();

    // The same outcomes written a second time (a flush retried after its commit) change nothing.
    const second = await recordOutcomes(sql, context, outcomes);
    expect(second).toEqual({ done: 0, failed: 0, skipped: 0, pending: 0 });
    expect(await stageCounts(sql, operation.id, 2)).toEqual(afterFirst);
    await agree();

    // The item put back is claimed by the batch's retry, which dies; its claim is released.
    expect(await claimBatch(sql, operation.id, 0, range)).toHaveLength(1);
    await releaseBatch(sql, operation.id, 0, range);
    await releaseBatch(sql, operation.id, 0, range);
    expect(await stageCounts(sql, operation.id, 2)).toEqual(afterFirst);
    await agree();
    expect((await auditOperation(sql, operation.id, 1))?.talliesCorrected).toBe(0);

    // A write that moved item stages without its tally: the finish audit corrects the sums once.
    await sql`update item_stages set status = 'done'
      where operation_id = ${operation.id} and stage_index = 1 and status = 'pending'`;
    expect((await auditOperation(sql, operation.id, 1))?.talliesCorrected).toBe(1);
    await agree();
    expect((await auditOperation(sql, operation.id, 1))?.talliesCorrected).toBe(0);
    expect(await corrections(operation.id)).toBe(1);
  });

  it('give the detail view the item stages’ own counts after failures and a retried batch', async () => {
    const collectionId = await seedCollection(harness, 60);
    await createJob(harness, {
      name: 'tallied-run',
      stages: [
        {
          name: 'first',
          handler: 'noop',
          params: { failKeys: ['k3', 'k40'], flakyKeys: ['k5', 'k59'] },
          retry: { initialIntervalMs: 100 },
        },
        { name: 'second', handler: 'noop', params: { failKeys: ['k20'] } },
      ],
    });
    const id = await startOperation(harness, { job: 'tallied-run', collectionId });
    const operation = await waitForStatus(harness, id, ['completed', 'failed', 'cancelled']);
    expect(operation.status).toBe('completed');

    // The flaky items' batch ran again: the case where a retry meets recorded outcomes.
    expect(await stageOf(id, 'k5', 0)).toMatchObject({ status: 'done', attempts: 2 });

    const truth = await itemStageTruth(id, 2);
    expect(truth[0]).toMatchObject({ items: 60, done: 58, failed: 2 });
    expect(truth[1]).toMatchObject({ items: 60, done: 57, failed: 1, skipped: 2 });
    const view = operation.stages.map(
      ({ name: _name, handler: _handler, ...counts }: Record<string, unknown>) => counts,
    );
    expect(view).toEqual(truth);
    // Right without the finish audit's help: it corrected nothing.
    expect(await corrections(id)).toBe(0);
  });
});
