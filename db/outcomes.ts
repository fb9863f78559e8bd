/**
 * Ledger version 2's hot path (docs/ledger.md): the scope frozen once, a claim that only reads,
 * and one insert per final item-stage. Nothing here updates a row, so no two batches in flight
 * wait on the same lock, and writing the same outcome twice changes nothing.
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
      select s.id from operation_chunks c
      cross join lateral unnest(c.item_ids[${slice.from}:${slice.to}]) as s(id)
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
    select s.id::int8 as "itemId", coalesce(i.key, 'global') as key,
      coalesce(i.data, '{}'::jsonb) as data, i.collection_id as "collectionId",
      r.stages, r.statuses
    from slice s
    left join recorded r on r.item_id = s.id
    left join items i on i.id = s.id`;
  return rows.map(({ stages: recordedStages, statuses, ...item }) => {
    const recorded: Record<number, OutcomeStatus> = {};
    recordedStages?.forEach((stage, index) => {
      const status = statuses?.[index];
      if (status) recorded[stage] = status;
    });
    return { ...item, recorded };
  });
}

/** One final item-stage, as a batch collects it. */
export interface Outcome {
  itemId: number;
  stage: number;
  status: OutcomeStatus;
  durationMs: number;
  error?: string;
  output?: unknown;
}

/** A failed attempt that the item will retry: kept for its history, not as an outcome. */
export interface AttemptError {
  itemId: number;
  stage: number;
  error: string;
}

export interface FlushContext {
  operationId: string;
  operationKey: number;
  /** The batch activity's attempt, which is every item's attempt in it. */
  attempt: number;
  /** The handler version of each stage, by stage index. */
  handlerVersions: Record<number, string>;
  /** The operation's last stage: a failure skips every later one. */
  lastStage: number;
}

export interface FlushedCounts {
  /** Outcomes this flush inserted, by status; a row already there counts nothing. */
  done: number;
  failed: number;
  skipped: number;
  /** Later stages skipped because an item failed. */
  skippedLater: number;
}

/**
 * Writes a batch's outcomes in one statement: the rows, the `skipped` rows of a failed item's
 * later stages, the stage tallies of exactly the rows inserted, and the attempt errors.
 * `on conflict do nothing returning` is what makes a zombie attempt and its retry count once
 * between them.
 */
export async function insertOutcomes(
  sql: postgres.Sql,
  context: FlushContext,
  outcomes: Outcome[],
  attemptErrors: AttemptError[],
): Promise<FlushedCounts> {
  if (outcomes.length === 0 && attemptErrors.length === 0) {
    return { done: 0, failed: 0, skipped: 0, skippedLater: 0 };
  }
  const { operationId, operationKey, attempt } = context;
  const stages = Object.keys(context.handlerVersions).map(Number);
  const versions = stages.map((stage) => context.handlerVersions[stage] ?? '');
  const outputs = outcomes.some((outcome) => outcome.output !== undefined)
    ? JSON.stringify(outcomes.map((outcome) => outcome.output ?? null))
    : null;
  const [row] = await sql<FlushedCounts[]>`
    with given as (
      select * from unnest(${outcomes.map((o) => o.itemId)}::int8[],
        ${outcomes.map((o) => o.stage)}::int2[], ${outcomes.map((o) => o.status)}::text[],
        ${outcomes.map((o) => o.durationMs)}::real[], ${outcomes.map((o) => o.error ?? null)}::text[])
        with ordinality as g(item_id, stage, status, duration_ms, error, n)
    ), versions as (
      select * from unnest(${stages}::int2[], ${versions}::text[]) as v(stage, version)
    ), inserted as (
      insert into outcomes (operation_key, item_id, stage, status, attempt, handler_version,
        duration_ms, error, output)
      select ${operationKey}, g.item_id, g.stage, g.status, ${attempt}, v.version, g.duration_ms,
        g.error, ${outputs}::jsonb -> (g.n - 1)::int
      from given g join versions v on v.stage = g.stage
      on conflict do nothing
      returning item_id, stage, status
    ), skipped_later as (
      insert into outcomes (operation_key, item_id, stage, status, attempt, handler_version, error)
      select ${operationKey}, f.item_id, later, 'skipped', ${attempt}, '', 'an earlier stage failed'
      from inserted f cross join generate_series(f.stage + 1, ${context.lastStage}::int) later
      where f.status = 'failed'
      on conflict do nothing
      returning stage
    ), moved as (
      select stage, status from inserted
      union all select stage, 'skipped' from skipped_later
    ), tallied as (
      insert into stage_tallies (operation_id, stage_index, done, failed, skipped)
      select ${operationId}, stage, count(*) filter (where status = 'done'),
        count(*) filter (where status = 'failed'), count(*) filter (where status = 'skipped')
      from moved group by stage
      returning 1
    ), errors as (
      insert into item_attempt_errors (operation_key, item_id, stage, attempt, error)
      select ${operationKey}, item_id, stage, ${attempt}, error
      from unnest(${attemptErrors.map((e) => e.itemId)}::int8[],
        ${attemptErrors.map((e) => e.stage)}::int2[], ${attemptErrors.map((e) => e.error)}::text[])
        as e(item_id, stage, error)
      returning 1
    )
    select
      (select count(*) from inserted where status = 'done')::int as done,
      (select count(*) from inserted where status = 'failed')::int as failed,
      (select count(*) from inserted where status = 'skipped')::int as skipped,
      (select count(*) from skipped_later)::int as "skippedLater",
      (select count(*) from tallied)::int as tallied,
      (select count(*) from errors)::int as errors`;
  return {
    done: row?.done ?? 0,
    failed: row?.failed ?? 0,
    skipped: row?.skipped ?? 0,
    skippedLater: row?.skippedLater ?? 0,
  };
}

/**
 * An `operation.progress` snapshot of `stageName`, summed from the tallies. A statement of its
 * own, after the flush committed: the event takes the tenant's event lock until its commit, and
 * every start and finish of the tenant waits for that lock, so it is held for one row, not for
 * a flush of thousands.
 */
export async function insertProgressEvent(
  sql: postgres.Sql,
  context: Pick<FlushContext, 'operationId' | 'lastStage'>,
  stageName: string,
): Promise<void> {
  const { operationId } = context;
  await sql`
      insert into events (tenant_id, operation_id, type, stage_name, data)
      select o.tenant_id, o.id, 'operation.progress', ${stageName},
        jsonb_build_object('itemsTotal', o.items_total, 'itemsDone', t.done,
          'itemsFailed', t.failed, 'itemsSkipped', t.skipped,
          'itemsPerSecond', round(((t.done + t.failed + t.skipped)
            / greatest(extract(epoch from now() - coalesce(o.started_at, now())), 1))::numeric, 3))
      from operations o cross join lateral (
        select coalesce(sum(done) filter (where stage_index = ${context.lastStage}), 0) as done,
          coalesce(sum(failed), 0) as failed,
          coalesce(sum(skipped) filter (where stage_index = ${context.lastStage}), 0) as skipped
        from stage_tallies where operation_id = o.id
      ) t
      where o.id = ${operationId}`;
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
