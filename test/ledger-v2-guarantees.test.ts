import { setTimeout } from 'node:timers/promises';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLifecycleActivities } from '../activities/lifecycle';
import { createSliceActivities } from '../activities/process-slice';
import { createSliceRecorder } from '../activities/slice-recorder';
import type { BatchResult } from '../common/engine';
import type { SliceInput } from '../common/slices';
import { markOperationRunning } from '../db/operations';
import { insertOutcomes, recordOutcomes } from '../db/outcome-writes';
import { freezeScope } from '../db/outcomes';
import { defineHandler } from '../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import { createJob, type Harness, seedCollection, startHarness, startOperation } from './harness';

/**
 * What ledger version 2 makes possible to get wrong (docs/ledger.md, guarantees): the batch
 * activity run against real Postgres as Temporal would run it again, with no worker polling so
 * nothing else writes. Each test fails if outcomes could count twice or be lost.
 */
const calls: string[] = [];
const counted = defineHandler({
  name: 'test.counted',
  version: '3',
  description: 'Notes each call as stage/key; waits delayMs first.',
  params: z.object({ delayMs: z.number().int().min(0).default(0) }),
  async process(item, { params, stageName }) {
    if (params.delayMs > 0) await setTimeout(params.delayMs);
    calls.push(`${stageName}/${item.key}`);
    return { key: item.key };
  },
});
const handlers = createHandlerRegistry([...builtInHandlers, counted]);

let harness: Harness;
let operation: { id: string; key: number };
let slices: ReturnType<typeof createSliceActivities>;
beforeAll(async () => {
  harness = await startHarness({ ledgerVersion: 2, handlers, worker: false });
  slices = createSliceActivities({ database: harness.database, handlers });
  const collectionId = await seedCollection(harness, 40);
  await createJob(harness, {
    name: 'guarded',
    stages: [
      { name: 'one', handler: 'test.counted', params: { delayMs: 5 } },
      { name: 'two', handler: 'test.counted' },
    ],
  });
  const id = await startOperation(harness, { job: 'guarded', collectionId });
  const [row] = await harness.database.sql<{ key: number; ledger: number }[]>`
    select key, ledger from operations where id = ${id}`;
  expect(row?.ledger).toBe(2);
  operation = { id, key: row?.key ?? 0 };
  // The prepare step, as the operation's workflow would run it (no worker polls here).
  const chunks = await freezeScope(harness.database.sql, operation.key, { collectionId }, 2000);
  expect(chunks).toEqual([40]);
  await markOperationRunning(harness.database.sql, id, 40, null);
});
afterAll(async () => {
  await harness?.stop();
});

function runSlice(from: number, to: number, attempt: number): Promise<BatchResult> {
  const input: SliceInput = { operationId: operation.id, chunkIndex: 0, from, to, stages: [0, 1] };
  return new MockActivityEnvironment({ attempt }).run(slices.processSlice, input);
}

async function recorded() {
  const [row] = await harness.database.sql<{ outcomes: number; tallied: number }[]>`
    select (select count(*)::int from outcomes where operation_key = ${operation.key}) as outcomes,
      (select coalesce(sum(done + failed + skipped), 0)::int from stage_tallies
        where operation_id = ${operation.id}) as tallied`;
  return row;
}

/** The calls both stages make for the chunk's positions `from`..`to`, sorted. */
async function callsFor(from: number, to: number): Promise<string[]> {
  const rows = await harness.database.sql<{ key: string }[]>`
    select i.key from operation_chunks c
    cross join lateral unnest(c.item_ids[${from}:${to}]) as s(id) join items i on i.id = s.id
    where c.operation_key = ${operation.key}`;
  return rows.flatMap(({ key }) => [`one/${key}`, `two/${key}`]).sort();
}

describe('ledger version 2 guarantees', () => {
  it('a retry after the commit but before the activity completed runs and records nothing', async () => {
    calls.length = 0;
    const first = await runSlice(1, 10, 1);
    expect(first).toMatchObject({ done: 20, failed: 0, items: 10 });
    expect(calls.sort()).toEqual(await callsFor(1, 10));
    calls.length = 0;
    const again = await runSlice(1, 10, 2);
    expect(again).toMatchObject({ done: 0, failed: 0, skipped: 0 });
    expect(calls).toEqual([]);
    expect(await recorded()).toEqual({ outcomes: 20, tallied: 20 });
  });

  it('a zombie attempt beside its retry leaves one row per item-stage and exact tallies', async () => {
    calls.length = 0;
    const [zombie, retry] = await Promise.all([runSlice(11, 20, 1), runSlice(11, 20, 2)]);
    // Both ran the handlers (a zombie cannot be stopped), but only one row of each counted.
    expect(zombie.done + retry.done).toBe(20);
    expect(await recorded()).toEqual({ outcomes: 40, tallied: 40 });
  });

  it('a retry after a flush that never committed runs exactly the unrecorded items', async () => {
    // Items 21..25 were recorded by an earlier flush; the flush of 26..30 was lost.
    const ids = await harness.database.sql<{ id: number }[]>`
      select unnest(item_ids[21:25])::int8 as id from operation_chunks
      where operation_key = ${operation.key}`;
    const context = {
      operationId: operation.id,
      operationKey: operation.key,
      attempt: 1,
      handlerVersions: { 0: '3', 1: '3' },
      lastStage: 1,
    };
    const outcomes = ids.flatMap(({ id }) =>
      [0, 1].map((stage) => ({ itemId: id, stage, status: 'done' as const, durationMs: 1 })),
    );
    expect(await insertOutcomes(harness.database.sql, context, outcomes, [])).toMatchObject({
      done: 10,
    });
    calls.length = 0;
    const retry = await runSlice(21, 30, 2);
    expect(calls.sort()).toEqual(await callsFor(26, 30));
    expect(retry).toMatchObject({ done: 10, items: 10 });
    expect(await recorded()).toEqual({ outcomes: 60, tallied: 60 });
  });

  it('the same outcomes written twice change nothing the second time', async () => {
    const [item] = await harness.database.sql<{ id: number }[]>`
      select item_ids[31]::int8 as id from operation_chunks where operation_key = ${operation.key}`;
    const context = {
      operationId: operation.id,
      operationKey: operation.key,
      attempt: 1,
      handlerVersions: { 0: '3', 1: '3' },
      lastStage: 1,
    };
    const failedFirst = [
      { itemId: item?.id ?? 0, stage: 0, status: 'failed' as const, durationMs: 1, error: 'x' },
    ];
    // The first write takes the plain insert, the second finds its rows and takes the guarded one.
    const once = await recordOutcomes(harness.database.sql, context, failedFirst, []);
    expect(once).toEqual({ done: 0, failed: 1, skipped: 0, skippedLater: 1, refused: [] });
    const twice = await recordOutcomes(harness.database.sql, context, failedFirst, []);
    expect(twice).toEqual({
      done: 0,
      failed: 0,
      skipped: 0,
      skippedLater: 0,
      refused: [item?.id],
    });
    expect(await recorded()).toEqual({ outcomes: 62, tallied: 62 });
  });

  it('a finish run twice folds the statistics once, after its transaction', async () => {
    const lifecycle = createLifecycleActivities({ database: harness.database, handlers });
    const first = await lifecycle.finishOperation({
      operationId: operation.id,
      status: 'completed',
    });
    // Not every item ran, so the finish says so; what matters here is what it folded.
    expect(first.status).toBe('failed');
    const again = await lifecycle.finishOperation({
      operationId: operation.id,
      status: 'completed',
    });
    expect(again).toEqual(first);
    const [row] = await harness.database.sql<{ folded: number; outcomes: number }[]>`
      select (select coalesce(sum(done + failed + skipped), 0)::int from stage_stats
          where job_name = 'guarded') as folded,
        (select count(*)::int from outcomes
          where operation_key = ${operation.key} and handler_version <> '') as outcomes`;
    expect(row?.outcomes).toBe(61);
    expect(row?.folded).toBe(61);
  });

  it('an attempt whose segment a zombie refused writes no more of that item: no stage twice', async () => {
    const [item] = await harness.database.sql<{ id: number }[]>`
      select item_ids[33]::int8 as id from operation_chunks where operation_key = ${operation.key}`;
    const itemId = item?.id ?? 0;
    const context = {
      operationId: operation.id,
      operationKey: operation.key,
      attempt: 1,
      handlerVersions: { 0: '3', 1: '3', 2: '3' },
      lastStage: 2,
    };
    const done = (stage: number) => ({ itemId, stage, status: 'done' as const, durationMs: 1 });
    const retry = createSliceRecorder(
      harness.database,
      { ...context, attempt: 2, stageNames: { 0: 'one', 1: 'two', 2: 'three' } },
      { tenantId: '', operationId: operation.id, jobName: 'guarded' },
      () => 'test.counted',
    );
    // Both attempts claimed the item at stage 0; the zombie recorded stage 0 first.
    await insertOutcomes(harness.database.sql, context, [done(0)], []);
    retry.add(done(0));
    retry.add(done(1));
    await retry.flush();
    // The zombie goes on from where it was, the retry from where it thought it was: written,
    // the retry's stage 2 would start a segment inside the zombie's.
    await insertOutcomes(harness.database.sql, context, [done(1), done(2)], []);
    retry.add(done(2));
    await retry.flush();
    expect(retry.totals()).toMatchObject({ done: 0 });
    const stages = await harness.database.sql<{ stage: number; count: number }[]>`
      select stage::int, count(*)::int from outcomes
      where operation_key = ${operation.key} and item_id = ${itemId} group by stage order by stage`;
    expect(stages).toEqual([
      { stage: 0, count: 1 },
      { stage: 1, count: 1 },
      { stage: 2, count: 1 },
    ]);
  });
});
