/**
 * Ledger version 2's hot path (docs/ledger.md): the scope frozen once, a claim that only reads,
 * and the reads that close a run. The writes, one insert per final item-stage, are in
 * outcome-writes.ts. Nothing updates a row, so no two batches in flight wait on the same lock.
 */
import type postgres from 'postgres';
import type { OutcomeStatus } from '../common/domain';
import type { ItemSource } from './item-stages';
import { GLOBAL_ITEM_ID } from './item-stages';

/** The scope's items as a query of `id`s, for freezing. */
function scopeQuery(sql: postgres.Sql, source: ItemSource) {
  if ('global' in source) return sql`select ${GLOBAL_ITEM_ID}::int8 as id`;
  if ('collectionId' in source) {
    return sql`select id from items where collection_id = ${source.collectionId}::uuid`;
  }
  if ('itemsOf' in source) {
    // Explicit ids that still name an item; the cast makes the subquery one array value.
    return sql`select id from items
      where id = any((select item_ids from operations where id = ${source.itemsOf})::int8[])`;
  }
  return sql`select id from items where id = any(${source.itemIds}::int8[])`;
}

/**
 * Freezes the operation's scope into chunks of at most `chunkSize` sorted ids, in one statement,
 * and returns each chunk's size. A second call (a retried prepare) adds nothing and returns the
 * chunks the first one froze: the primary key is (operation, chunk).
 */
export async function freezeScope(
  sql: postgres.Sql,
  operationKey: number,
  source: ItemSource,
  chunkSize: number,
): Promise<number[]> {
  await sql`
    insert into operation_chunks (operation_key, chunk_index, item_ids)
    select ${operationKey}, slot, array_agg(id order by id)
    from (
      select id, ((row_number() over (order by id)) - 1) / ${chunkSize}::int as slot
      from (${scopeQuery(sql, source)}) scoped
    ) numbered
    group by slot
    on conflict do nothing`;
  return chunkSizes(sql, operationKey);
}

/** Each frozen chunk's item count, in chunk order. */
export async function chunkSizes(sql: postgres.Sql, operationKey: number): Promise<number[]> {
  const rows = await sql<{ size: number }[]>`
    select cardinality(item_ids)::int as size from operation_chunks
    where operation_key = ${operationKey} order by chunk_index`;
  return rows.map((row) => row.size);
}

/** A batch's items: positions `from`..`to` (1-based, inclusive) of one chunk's ids. */
export interface SliceOf {
  operationKey: number;
  chunkIndex: number;
  from: number;
  to: number;
}

export interface SliceItem {
  /** The item's place in its chunk (1-based), as slices count. */
  position: number;
  itemId: number;
  key: string;
  data: unknown;
  collectionId: string | null;
  /** The outcomes already recorded for it, by stage, from the gate stage to the batch's last. */
  recorded: Record<number, OutcomeStatus>;
}

/**
 * The claim: reads the slice's items with what is recorded of them in `stages.gate` (the stage
 * before the batch's first, whose outcome decides whether the item may go on; undefined for an
 * operation's first stage) to `stages.last`. Writes nothing: every attempt of a batch covers the
 * same slice, and an item's recorded stages are simply not run again. `fresh` skips reading
 * outcomes when none can exist: a batch's first attempt over stages no earlier batch ran.
 * Items come in the order of their positions.
 */
export async function claimSlice(
  sql: postgres.Sql,
  slice: SliceOf,
  stages: { gate: number | undefined; last: number },
  fresh: boolean,
): Promise<SliceItem[]> {
  const lowest = stages.gate ?? 0;
  // The slice's recorded outcomes are one range of the primary key (a chunk's ids are sorted,
  // and no other item of the operation lies between two of them), read once and hashed: a
  // probe per item would be planned as a scan per item while the table is not yet analysed.
  const rows = await sql<
    (Omit<SliceItem, 'recorded'> & { stages: number[] | null; statuses: OutcomeStatus[] | null })[]
  >`
    with slice as (
      select s.id, s.n from operation_chunks c
      cross join lateral unnest(c.item_ids[${slice.from}:${slice.to}]) with ordinality as s(id, n)
      where c.operation_key = ${slice.operationKey} and c.chunk_index = ${slice.chunkIndex}
    ), recorded as (
      select o.item_id, array_agg(o.stage) as stages, array_agg(o.status) as statuses
      from outcomes o
      where ${!fresh || stages.gate !== undefined}::boolean
        and o.operation_key = ${slice.operationKey}
        and o.item_id between (select min(id) from slice) and (select max(id) from slice)
        and o.stage between ${lowest} and ${stages.last}
      group by o.item_id
    )
    select (s.n + ${slice.from - 1})::int4 as position, s.id::int8 as "itemId",
      coalesce(i.key, 'global') as key,
      coalesce(i.data, '{}'::jsonb) as data, i.collection_id as "collectionId",
      r.stages, r.statuses
    from slice s
    left join recorded r on r.item_id = s.id
    left join items i on i.id = s.id
    order by s.n`;
  return rows.map(({ stages: recordedStages, statuses, ...item }) => {
    const recorded: Record<number, OutcomeStatus> = {};
    recordedStages?.forEach((stage, index) => {
      const status = statuses?.[index];
      if (status) recorded[stage] = status;
    });
    return { ...item, recorded };
  });
}

/**
 * How many of a chunk's items are still to run in `stage`: no outcome there although the stage
 * before passed (done or skipped) or `stage` is the first. What a stage must run again before it
 * may close; zero in a run where every batch completed.
 */
export async function unrecordedInChunk(
  sql: postgres.Sql,
  operationKey: number,
  chunkIndex: number,
  stage: { index: number; first: boolean },
): Promise<number[]> {
  // The chunk's outcomes of both stages as one range of the primary key, hashed (see the claim).
  const rows = await sql<{ position: number }[]>`
    with chunk as (
      select s.id, s.position from operation_chunks c
      cross join lateral unnest(c.item_ids) with ordinality as s(id, position)
      where c.operation_key = ${operationKey} and c.chunk_index = ${chunkIndex}
    ), recorded as (
      select o.item_id, o.stage, o.status from outcomes o
      where o.operation_key = ${operationKey}
        and o.item_id between (select min(id) from chunk) and (select max(id) from chunk)
        and o.stage between ${stage.index - 1} and ${stage.index}
    )
    select c.position::int as position from chunk c
    where not exists (select 1 from recorded r where r.item_id = c.id and r.stage = ${stage.index})
      and (${stage.first}::boolean or exists (select 1 from recorded r
        where r.item_id = c.id and r.stage = ${stage.index - 1} and r.status in ('done', 'skipped')))
    order by c.position`;
  return rows.map((row) => row.position);
}

/** Outcomes of each of `stages` over one chunk's items, for closing a run and its events. */
export async function chunkStageCounts(
  sql: postgres.Sql,
  operationKey: number,
  chunkIndex: number,
  stages: number[],
): Promise<Map<number, { done: number; failed: number; skipped: number }>> {
  // A chunk's outcomes are one range of the primary key: its ids are sorted and no other item of
  // the operation lies between two of them.
  const rows = await sql<{ stage: number; done: number; failed: number; skipped: number }[]>`
    select o.stage, count(*) filter (where o.status = 'done')::int as done,
      count(*) filter (where o.status = 'failed')::int as failed,
      count(*) filter (where o.status = 'skipped')::int as skipped
    from operation_chunks c
    join outcomes o on o.operation_key = c.operation_key
      and o.item_id between c.item_ids[1] and c.item_ids[cardinality(c.item_ids)]
    where c.operation_key = ${operationKey} and c.chunk_index = ${chunkIndex}
      and o.stage = any(${stages}::int2[])
    group by o.stage`;
  return new Map(rows.map(({ stage, ...counts }) => [stage, counts]));
}

/** One frozen chunk's item count (0 when there is no such chunk). */
export async function sizeOfChunk(
  sql: postgres.Sql,
  operationKey: number,
  chunkIndex: number,
): Promise<number> {
  const [row] = await sql<{ size: number }[]>`
    select cardinality(item_ids)::int as size from operation_chunks
    where operation_key = ${operationKey} and chunk_index = ${chunkIndex}`;
  return row?.size ?? 0;
}

/** Each stage's outcomes over the whole operation, summed from its tallies, and its total. */
export async function stageTotals(
  sql: postgres.Sql,
  operationId: string,
  stages: number[],
): Promise<{
  itemsTotal: number;
  stages: Map<number, { done: number; failed: number; skipped: number }>;
}> {
  const rows = await sql<
    { stage: number; done: number; failed: number; skipped: number; itemsTotal: number }[]
  >`
    select stage_index as stage, sum(done)::int as done, sum(failed)::int as failed,
      sum(skipped)::int as skipped,
      (select items_total from operations where id = ${operationId}) as "itemsTotal"
    from stage_tallies where operation_id = ${operationId} and stage_index = any(${stages}::int[])
    group by stage_index`;
  return {
    itemsTotal: rows[0]?.itemsTotal ?? 0,
    stages: new Map(rows.map(({ stage, itemsTotal: _, ...counts }) => [stage, counts])),
  };
}
