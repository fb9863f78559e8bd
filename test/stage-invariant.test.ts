import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createActivities } from '../activities';
import { loadConfig } from '../common/config';
import { claimBatch } from '../db/item-stages';
import { defineHandler } from '../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';

/** Handler calls per item key and stage, to see which items ran again. */
const calls = new Map<string, number>();
const counting = defineHandler({
  name: 'test.counted',
  version: '1',
  description: 'Counts its calls per item and stage.',
  params: z.object({}),
  async process(item, { stageName }) {
    const key = `${stageName}:${item.key}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    return {};
  },
});

const handlers = createHandlerRegistry([...builtInHandlers, counting]);
let harness: Harness;

const eventsOf = async (id: string, of: Harness = harness) =>
  (await of.api('GET', `/v1/operations/${id}/events?limit=1000`)).body.data as {
    type: string;
    stageName: string | null;
    data: Record<string, unknown>;
  }[];

/**
 * Version 1's mechanisms: claims and outcomes in `item_stages` rows, so pinned to that format.
 * Version 2's twins, below, break its own rows (`outcome_segments`, `running_batches`) the same
 * ways.
 */
describe('the stage invariant', () => {
  beforeAll(async () => {
    harness = await startHarness({ handlers, ledgerVersion: 1 });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('runs again the outcomes a batch reported but Postgres lost, before the next stage', async () => {
    const { sql } = harness.database;
    // A write Temporal counted as done that never reached Postgres: the first `done` of these
    // items in the first stage is silently dropped, as a crash of Postgres could lose it.
    await sql.unsafe(`
      create table lost_once (item_key text primary key, dropped boolean not null default false);
      create function lose_first_done() returns trigger language plpgsql as $$
      begin
        update lost_once set dropped = true
        where item_key = (select key from items where id = new.item_id) and not dropped;
        if found then return null; end if;
        return new;
      end $$;
      create trigger lose_first_done before update on item_stages for each row
        when (new.stage_index = 0 and new.status = 'done' and old.status = 'in_progress')
        execute function lose_first_done();
      insert into lost_once (item_key) values ('k3'), ('k77'), ('k150');`);
    const collectionId = await seedCollection(harness, 200);
    await createJob(harness, {
      name: 'lossy',
      stages: [
        { name: 'first', handler: 'test.counted' },
        { name: 'second', handler: 'test.counted' },
      ],
    });
    const id = await startOperation(harness, { job: 'lossy', collectionId });
    const op = await waitForStatus(harness, id, ['completed', 'failed', 'cancelled']);
    await sql.unsafe('drop trigger lose_first_done on item_stages');

    expect(op.status).toBe('completed');
    expect(op.counts).toMatchObject({ items: 200, done: 200, failed: 0 });
    for (const stage of op.stages)
      expect(stage).toMatchObject({ done: 200, pending: 0, inProgress: 0 });
    for (const key of ['k3', 'k77', 'k150']) {
      expect(calls.get(`first:${key}`)).toBe(2);
      expect(calls.get(`second:${key}`)).toBe(1);
    }
    expect(calls.get('first:k4')).toBe(1);
    const reruns = (await eventsOf(id)).filter((event) => event.type === 'stage.rerun');
    expect(reruns).toEqual([
      expect.objectContaining({
        stageName: 'first',
        data: expect.objectContaining({ unfinished: 3 }),
      }),
    ]);
  });

  it('claims an item for a stage only once its previous stage is final', async () => {
    const collectionId = await seedCollection(harness, 30);
    await createJob(harness, {
      name: 'gated',
      stages: [
        { name: 'a', handler: 'noop' },
        { name: 'b', handler: 'noop' },
      ],
    });
    const id = await startOperation(harness, { job: 'gated', collectionId });
    await waitForStatus(harness, id, ['completed']);
    const { sql } = harness.database;
    const ids = (
      await sql<{ itemId: number }[]>`
        select item_id as "itemId" from item_stages
        where operation_id = ${id} and stage_index = 0 order by item_id`
    ).map((row) => row.itemId);
    const [first, second, third] = ids;
    // Stage b back to pending everywhere; stage a unfinished for two items.
    await sql`update item_stages set status = 'pending' where operation_id = ${id} and stage_index = 1`;
    await sql`update item_stages set status = 'in_progress' where operation_id = ${id} and stage_index = 0 and item_id = ${first ?? 0}`;
    await sql`update item_stages set status = 'pending' where operation_id = ${id} and stage_index = 0 and item_id = ${second ?? 0}`;
    await sql`update item_stages set status = 'failed' where operation_id = ${id} and stage_index = 0 and item_id = ${third ?? 0}`;
    const claimed = await claimBatch(sql, id, 1, {
      fromItemId: ids[0] ?? 0,
      toItemId: ids.at(-1) ?? 0,
    });
    const claimedIds = claimed.map((item) => item.itemId);
    expect(claimedIds).toHaveLength(27);
    expect(claimedIds).not.toContain(first);
    expect(claimedIds).not.toContain(second);
    expect(claimedIds).not.toContain(third);
  });

  it('completes an operation only when its item stages agree, repairing counters or failing', async () => {
    const collectionId = await seedCollection(harness, 40);
    await createJob(harness, { name: 'audited', stages: [{ name: 'only', handler: 'noop' }] });
    const activities = createActivities({
      database: harness.database,
      handlers,
      temporal: harness.temporal,
      retention: loadConfig({}),
    });
    const { sql } = harness.database;

    const drifted = await startOperation(harness, { job: 'audited', collectionId });
    await waitForStatus(harness, drifted, ['completed']);
    await sql`update operations set status = 'running', items_done = 37, items_failed = 2 where id = ${drifted}`;
    expect(await activities.finishOperation({ operationId: drifted, status: 'completed' })).toEqual(
      { status: 'completed', error: undefined },
    );
    const repaired = (await harness.api('GET', `/v1/operations/${drifted}`)).body;
    expect(repaired).toMatchObject({ status: 'completed', counts: { done: 40, failed: 0 } });
    expect((await eventsOf(drifted)).find((e) => e.type === 'operation.repaired')?.data).toEqual({
      recorded: { done: 37, failed: 2, skipped: 0 },
      fromItemStages: { done: 40, failed: 0, skipped: 0 },
    });

    const unfinished = await startOperation(harness, { job: 'audited', collectionId });
    await waitForStatus(harness, unfinished, ['completed']);
    await sql`update operations set status = 'running' where id = ${unfinished}`;
    await sql`
      update item_stages set status = 'in_progress'
      where operation_id = ${unfinished} and item_id = (
        select min(item_id) from item_stages where operation_id = ${unfinished})`;
    const finished = await activities.finishOperation({
      operationId: unfinished,
      status: 'completed',
    });
    expect(finished.status).toBe('failed');
    expect(finished.error).toMatch(/1 item stages were left unfinished/);
    const failedEvent = (await eventsOf(unfinished)).find((e) => e.type === 'operation.failed');
    expect(failedEvent?.data).toMatchObject({ unfinished: 1 });
  });

  it('gives back the claims of a cancelled operation', async () => {
    const collectionId = await seedCollection(harness, 10);
    await createJob(harness, { name: 'released', stages: [{ name: 'only', handler: 'noop' }] });
    const activities = createActivities({
      database: harness.database,
      handlers,
      temporal: harness.temporal,
      retention: loadConfig({}),
    });
    const { sql } = harness.database;
    const id = await startOperation(harness, { job: 'released', collectionId });
    await waitForStatus(harness, id, ['completed']);
    await sql`update operations set status = 'running' where id = ${id}`;
    await sql`update item_stages set status = 'in_progress' where operation_id = ${id}`;
    await activities.finishOperation({ operationId: id, status: 'cancelled' });
    const op = (await harness.api('GET', `/v1/operations/${id}`)).body;
    expect(op.status).toBe('cancelled');
    expect(op.stages[0]).toMatchObject({ inProgress: 0, pending: 10 });
    expect(op.counts.done).toBe(0);
  });
});

describe('the stage invariant on ledger version 2', () => {
  let v2: Harness;
  let activities: ReturnType<typeof createActivities>;
  beforeAll(async () => {
    v2 = await startHarness({ handlers, ledgerVersion: 2 });
    activities = createActivities({
      database: v2.database,
      handlers,
      temporal: v2.temporal,
      retention: loadConfig({}),
    });
  });
  afterAll(async () => {
    await v2?.stop();
  });

  /** Starts a version-2 operation of `job` over a new collection and waits for it to complete. */
  async function completed(job: string, items: number) {
    const collectionId = await seedCollection(v2, items);
    const id = await startOperation(v2, { job, collectionId });
    await waitForStatus(v2, id, ['completed']);
    const [row] = await v2.database.sql<{ key: number; ledger: number }[]>`
      select key, ledger from operations where id = ${id}`;
    expect(row?.ledger).toBe(2);
    return { id, key: row?.key ?? -1 };
  }

  it('runs again the outcomes a flush reported but Postgres lost, before the next stage', async () => {
    const { sql } = v2.database;
    // As version 1's twin: the first `done` of these items in the first stage never lands.
    await sql.unsafe(`
      create table lost_once_v2 (item_key text primary key, dropped boolean not null default false);
      create function lose_first_outcome() returns trigger language plpgsql as $$
      begin
        update lost_once_v2 set dropped = true
        where item_key = (select key from items where id = new.item_id) and not dropped;
        if found then return null; end if;
        return new;
      end $$;
      create trigger lose_first_outcome before insert on outcome_segments for each row
        when (new.first_stage = 0 and new.statuses[1] = 'done')
        execute function lose_first_outcome();
      insert into lost_once_v2 (item_key) values ('k3'), ('k77'), ('k150');`);
    const collectionId = await seedCollection(v2, 200);
    // A barrier, so the second stage runs after the first closes, not fused in the same batch.
    await createJob(v2, {
      name: 'lossy-v2',
      stages: [
        { name: 'first', handler: 'test.counted' },
        { name: 'second', handler: 'test.counted', barrier: true },
      ],
    });
    calls.clear();
    const id = await startOperation(v2, { job: 'lossy-v2', collectionId });
    const op = await waitForStatus(v2, id, ['completed', 'failed', 'cancelled']);
    await sql.unsafe('drop trigger lose_first_outcome on outcome_segments');

    expect(op.status).toBe('completed');
    expect(op.counts).toMatchObject({ items: 200, done: 200, failed: 0 });
    for (const stage of op.stages)
      expect(stage).toMatchObject({ done: 200, pending: 0, inProgress: 0 });
    for (const key of ['k3', 'k77', 'k150']) {
      expect(calls.get(`first:${key}`)).toBe(2);
      expect(calls.get(`second:${key}`)).toBe(1);
    }
    expect(calls.get('first:k4')).toBe(1);
    const events = await eventsOf(id, v2);
    expect(events.filter((event) => event.type === 'stage.rerun')).toEqual([
      expect.objectContaining({
        stageName: 'first',
        data: expect.objectContaining({ unfinished: 3 }),
      }),
    ]);
    // The lost rows were never counted, so the tallies needed no repair.
    expect(events.map((event) => event.type)).not.toContain('operation.repaired');
  });

  it('runs an item in a stage only once its previous stage passed', async () => {
    await createJob(v2, {
      name: 'gated-v2',
      stages: [
        { name: 'a', handler: 'test.counted' },
        { name: 'b', handler: 'test.counted' },
      ],
    });
    const { id, key } = await completed('gated-v2', 30);
    const { sql } = v2.database;
    const items = await sql<{ id: number; key: string }[]>`
      select s.id::int8 as id, i.key from operation_chunks c
      cross join lateral unnest(c.item_ids) with ordinality as s(id, n)
      join items i on i.id = s.id
      where c.operation_key = ${key} order by s.n`;
    const [first, second, third] = items;
    // Stage b unrecorded everywhere (each item's segment of the fused run cut to stage a);
    // stage a unrecorded for two items and failed for a third.
    await sql`update outcome_segments set statuses = statuses[1:1],
      handler_versions = handler_versions[1:1], durations_ms = durations_ms[1:1],
      errors = errors[1:1], outputs = outputs - 1
      where operation_key = ${key}`;
    await sql`delete from outcome_segments where operation_key = ${key}
      and item_id in (${first?.id ?? 0}, ${second?.id ?? 0})`;
    await sql`update outcome_segments set statuses = '{failed}'
      where operation_key = ${key} and item_id = ${third?.id ?? 0}`;
    calls.clear();
    const result = await new MockActivityEnvironment({ attempt: 2 }).run(activities.processSlice, {
      operationId: id,
      chunkIndex: 0,
      from: 1,
      to: items.length,
      stages: [1],
    });
    expect(result).toMatchObject({ done: 27, failed: 0 });
    const ran = [...calls.keys()].filter((call) => call.startsWith('b:'));
    expect(ran).toHaveLength(27);
    for (const held of [first, second, third]) expect(ran).not.toContain(`b:${held?.key}`);
    expect([...calls.keys()].filter((call) => call.startsWith('a:'))).toEqual([]);
  });

  it('completes an operation only when its outcomes are whole, correcting tallies or failing', async () => {
    await createJob(v2, { name: 'audited-v2', stages: [{ name: 'only', handler: 'noop' }] });
    const { sql } = v2.database;

    // Tallies that drifted from the outcomes: the finish counts from the outcomes and corrects.
    const drifted = await completed('audited-v2', 40);
    await sql`update operations set status = 'running' where id = ${drifted.id}`;
    await sql`insert into stage_tallies (operation_id, stage_index, done, failed)
      values (${drifted.id}, 0, -3, 2)`;
    expect(
      await activities.finishOperation({ operationId: drifted.id, status: 'completed' }),
    ).toEqual({ status: 'completed', error: undefined });
    const repaired = (await v2.api('GET', `/v1/operations/${drifted.id}`)).body;
    expect(repaired).toMatchObject({ status: 'completed', counts: { done: 40, failed: 0 } });
    expect(repaired.stages[0]).toMatchObject({ done: 40, failed: 0, pending: 0 });
    expect(
      (await eventsOf(drifted.id, v2)).find((e) => e.type === 'operation.repaired')?.data,
    ).toEqual({
      recorded: { done: 37, failed: 2, skipped: 0 },
      fromItemStages: { done: 40, failed: 0, skipped: 0 },
    });
    const [corrections] = await sql<{ count: number }[]>`
      select count(*)::int as count from stage_tallies
      where operation_id = ${drifted.id} and correction`;
    expect(corrections?.count).toBe(1);

    // An outcome missing: the operation cannot complete.
    const unfinished = await completed('audited-v2', 40);
    await sql`update operations set status = 'running' where id = ${unfinished.id}`;
    await sql`delete from outcome_segments where operation_key = ${unfinished.key} and item_id = (
      select min(item_id) from outcome_segments where operation_key = ${unfinished.key})`;
    const finished = await activities.finishOperation({
      operationId: unfinished.id,
      status: 'completed',
    });
    expect(finished.status).toBe('failed');
    expect(finished.error).toMatch(/1 item stages were left unfinished/);
    const failedEvent = (await eventsOf(unfinished.id, v2)).find(
      (e) => e.type === 'operation.failed',
    );
    expect(failedEvent?.data).toMatchObject({ unfinished: 1 });
  });

  it('forgets the running batches of a cancelled operation', async () => {
    await createJob(v2, { name: 'released-v2', stages: [{ name: 'only', handler: 'noop' }] });
    const { id, key } = await completed('released-v2', 10);
    const { sql } = v2.database;
    // As if nothing was recorded and a batch over all ten items were still running (its worker
    // gone): the view counts them in progress until the finish.
    await sql`update operations set status = 'running' where id = ${id}`;
    await sql`delete from outcome_segments where operation_key = ${key}`;
    await sql`delete from stage_tallies where operation_id = ${id}`;
    await sql`insert into running_batches (operation_key, chunk_index, from_position, to_position,
      stages, attempt) values (${key}, 0, 1, 10, '{0}', 1)`;
    const running = (await v2.api('GET', `/v1/operations/${id}`)).body;
    expect(running.stages[0]).toMatchObject({ inProgress: 10, pending: 0 });

    await activities.finishOperation({ operationId: id, status: 'cancelled' });
    const op = (await v2.api('GET', `/v1/operations/${id}`)).body;
    expect(op.status).toBe('cancelled');
    expect(op.stages[0]).toMatchObject({ inProgress: 0, pending: 10 });
    expect(op.counts.done).toBe(0);
    const [left] = await sql<{ count: number }[]>`
      select count(*)::int as count from running_batches where operation_key = ${key}`;
    expect(left?.count).toBe(0);
  });
});
