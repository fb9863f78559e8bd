import type postgres from 'postgres';
import type { ItemRange } from '../common/engine';
import { passedItemStage, unfinishedItemStage } from './predicates';

/** The item id a `global` operation's single run is recorded under; no item has id 0. */
export const GLOBAL_ITEM_ID = 0;

/**
 * Where the items to seed come from: a collection, ids in hand (discovered), the explicit item
 * ids kept on an operation's row (read there, so a million ids never cross to the worker), or
 * the single global item.
 */
export type ItemSource =
  | { collectionId: string }
  | { itemIds: number[] }
  | { itemsOf: string }
  | { global: true };

/**
 * Creates a `pending` item stage for every item of the source in stages `firstStage` onwards,
 * in one statement, and returns how many items that is. Re-running it adds nothing (the primary
 * key is the item-stage key), so a retried activity is safe.
 */
export async function seedItemStages(
  sql: postgres.Sql,
  operationId: string,
  stages: { first: number; count: number },
  source: ItemSource,
): Promise<number> {
  const items =
    'global' in source
      ? sql`select ${GLOBAL_ITEM_ID}::int8 as id`
      : 'collectionId' in source
        ? sql`select id from items where collection_id = ${source.collectionId}::uuid`
        : 'itemsOf' in source
          ? // The cast makes the subquery one array value: bare, `any` would compare each row.
            sql`select id from items
              where id = any((select item_ids from operations where id = ${source.itemsOf})::int8[])`
          : sql`select id from items where id = any(${source.itemIds}::int8[])`;
  await sql`
    with seeded as (
      insert into item_stages (operation_id, stage_index, item_id)
      select ${operationId}, s, scoped.id
      from (${items}) scoped cross join generate_series(${stages.first}::int, ${stages.count - 1}::int) s
      on conflict do nothing
      returning stage_index
    )
    insert into stage_tallies (operation_id, stage_index, pending)
    select ${operationId}, stage_index, count(*) from seeded group by stage_index`;
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from item_stages
    where operation_id = ${operationId} and stage_index = ${stages.first}`;
  return row?.count ?? 0;
}

/**
 * Splits the operation's items in `stageIndex` (optionally within a range) into ranges of at
 * most `size` items. With `unfinished`, only rows still pending or in progress count: what a
 * stage must run again before it may close.
 */
export async function planRanges(
  sql: postgres.Sql,
  operationId: string,
  stageIndex: number,
  size: number,
  within?: { fromItemId: number; toItemId: number },
  options: { unfinished?: boolean } = {},
): Promise<ItemRange[]> {
  return sql<ItemRange[]>`
    select min(item_id)::int8 as "fromItemId", max(item_id)::int8 as "toItemId", count(*)::int as count
    from (
      select item_id, (row_number() over (order by item_id) - 1) / ${size}::int as slot
      from item_stages
      where operation_id = ${operationId} and stage_index = ${stageIndex}
        ${within ? sql`and item_id between ${within.fromItemId} and ${within.toItemId}` : sql``}
        ${options.unfinished ? sql`and status = any(${unfinishedItemStage}::text[])` : sql``}
    ) numbered
    group by slot
    order by slot`;
}

export interface ClaimedItem {
  itemId: number;
  key: string;
  data: unknown;
  collectionId: string | null;
  attempts: number;
}

/**
 * Marks the range's unfinished item stages `in_progress` (counting an attempt) and returns their
 * items. `in_progress` rows are taken again because they belong to an attempt that died. An item
 * is claimed only once its previous stage is final and not failed (the stage invariant): the
 * engine closes stages in order, so this holds anyway, and the claim makes it impossible to
 * break. The global item has no row in `items`, hence the outer join.
 */
export async function claimBatch(
  sql: postgres.Sql,
  operationId: string,
  stageIndex: number,
  range: { fromItemId: number; toItemId: number },
): Promise<ClaimedItem[]> {
  // The previous stage's unfinished rows in the range, found once (an uncorrelated, hashed
  // subquery over a primary-key range): a correlated NOT EXISTS per row made 3-stage runs 4.6x
  // slower in the benchmark. Pending rows and rows taken again are claimed apart, so the tally
  // moves only rows that were pending: each update rechecks its status under the row lock, so a
  // row another claim or record changed meanwhile is left to that one (a stage with rows left
  // unfinished runs them again before it closes).
  return sql<ClaimedItem[]>`
    with blocked as (
      select item_id from item_stages
      where operation_id = ${operationId} and stage_index = ${stageIndex - 1}
        and item_id between ${range.fromItemId} and ${range.toItemId}
        and status <> all(${passedItemStage}::text[])
    ), claimed_pending as (
      update item_stages s
      set status = 'in_progress', attempts = s.attempts + 1, started_at = now(), error = null
      where s.operation_id = ${operationId} and s.stage_index = ${stageIndex}
        and s.item_id between ${range.fromItemId} and ${range.toItemId}
        and s.status = 'pending'
        and s.item_id not in (select item_id from blocked)
      returning s.item_id, s.attempts
    ), claimed_again as (
      update item_stages s
      set attempts = s.attempts + 1, started_at = now(), error = null
      where s.operation_id = ${operationId} and s.stage_index = ${stageIndex}
        and s.item_id between ${range.fromItemId} and ${range.toItemId}
        and s.status = 'in_progress'
        and s.item_id not in (select item_id from blocked)
      returning s.item_id, s.attempts
    ), tallied as (
      -- Runs whether or not the query reads it, as every data-modifying CTE does.
      insert into stage_tallies (operation_id, stage_index, pending, in_progress)
      select ${operationId}, ${stageIndex}, -count(*), count(*) from claimed_pending
      having count(*) > 0
    ), claimed as (
      select * from claimed_pending union all select * from claimed_again
    )
    select c.item_id::int8 as "itemId", coalesce(i.key, 'global') as key,
      coalesce(i.data, '{}'::jsonb) as data, i.collection_id as "collectionId", c.attempts
    from claimed c left join items i on i.id = c.item_id
    order by c.item_id`;
}

export interface ItemOutcome {
  itemId: number;
  /** `pending` puts an item back for Temporal's retry of the batch. */
  status: 'done' | 'failed' | 'skipped' | 'pending';
  error?: string;
  /** When the handler began on this item (epoch ms): after any wait for the rate limit. */
  startedAt: number;
  durationMs: number;
  output?: unknown;
}

export interface OutcomeContext {
  operationId: string;
  stageIndex: number;
  stageName: string;
  isLastStage: boolean;
  handler: string;
  handlerVersion: string;
  /** False in test mode, where nothing is kept beyond the operation's own records. */
  storeResults: boolean;
  /** True when a later stage's handler reads this one's outputs: kept on the item stage. */
  keepOutput: boolean;
}

export interface RecordedCounts {
  done: number;
  failed: number;
  skipped: number;
  pending: number;
}

/** The least time between two progress snapshots of an operation. */
const PROGRESS_EVERY = '2 seconds';

/**
 * Writes a batch's outcomes in one statement: the item stages, the `skipped` marks of later
 * stages for failed items, the stage tallies of both, the results, the operation's counters and
 * the hourly `stage_stats` roll-up (production runs only, like results: test mode keeps nothing
 * beyond its own records). Only rows still `in_progress` change, so writing the same outcomes
 * twice counts nothing twice.
 */
export async function recordOutcomes(
  sql: postgres.Sql,
  context: OutcomeContext,
  outcomes: ItemOutcome[],
): Promise<RecordedCounts> {
  if (outcomes.length === 0) return { done: 0, failed: 0, skipped: 0, pending: 0 };
  // Keyed by item id, so each row finds its outcome by key: a join with a recordset was planned
  // by row estimates, and on a table not yet analysed that became a nested loop over every
  // pair of rows (1,200 × 1,200 in one batch). The id array reaches rows through the primary key.
  const payload: Record<string, unknown> = {};
  for (const outcome of outcomes) {
    payload[outcome.itemId] = {
      status: outcome.status,
      error: outcome.error ?? null,
      started_ms: outcome.startedAt,
      duration_ms: outcome.durationMs,
      output: outcome.output === undefined ? null : outcome.output,
    };
  }
  const { operationId, stageIndex } = context;
  const ids = outcomes.map((outcome) => outcome.itemId);
  const failedIds = outcomes
    .filter((outcome) => outcome.status === 'failed')
    .map((outcome) => outcome.itemId);
  const [row] = await sql<RecordedCounts[]>`
    with payload as (
      select ${JSON.stringify(payload)}::jsonb as p
    ), changed as (
      update item_stages s
      set (status, error, duration_ms, started_at, finished_at, handler_version, output) = (
        select o ->> 'status', o ->> 'error', (o ->> 'duration_ms')::float8,
          to_timestamp((o ->> 'started_ms')::float8 / 1000.0),
          case when o ->> 'status' = 'pending' then null else now() end, ${context.handlerVersion},
          case when ${context.keepOutput}::boolean and o ->> 'status' = 'done' then o -> 'output' end
        from (select p -> s.item_id::text as o from payload) outcome)
      where s.operation_id = ${operationId} and s.stage_index = ${stageIndex}
        and s.item_id = any(${ids}::int8[]) and s.status = 'in_progress'
      returning s.item_id, s.status, s.duration_ms
    ), skipped_later as (
      update item_stages s
      set status = 'skipped', finished_at = now(), error = 'an earlier stage failed'
      from changed c
      where c.status = 'failed' and s.operation_id = ${operationId}
        and s.stage_index > ${stageIndex} and s.item_id = any(${failedIds}::int8[])
        and s.item_id = c.item_id and s.status = 'pending'
      returning s.stage_index
    ), tallied as (
      -- The stage's tally and the later stages' skips, of the rows this write changed only.
      insert into stage_tallies (operation_id, stage_index, pending, in_progress, done, failed, skipped)
      select ${operationId}, ${stageIndex}, count(*) filter (where status = 'pending'), -count(*),
        count(*) filter (where status = 'done'), count(*) filter (where status = 'failed'),
        count(*) filter (where status = 'skipped')
      from changed having count(*) > 0
      union all
      select ${operationId}, stage_index, -count(*), 0, 0, 0, count(*)
      from skipped_later group by stage_index
      returning 1
    ), stored as (
      insert into results (item_id, handler, tenant_id, collection_id, handler_version, output, operation_id, stage_name, updated_at)
      select i.id, ${context.handler}, i.tenant_id, i.collection_id, ${context.handlerVersion},
        (select p -> c.item_id::text -> 'output' from payload), ${operationId}, ${context.stageName}, now()
      from changed c join items i on i.id = c.item_id
      where c.status = 'done' and ${context.storeResults}::boolean
      on conflict (item_id, handler) do update
        set handler_version = excluded.handler_version, output = excluded.output,
            operation_id = excluded.operation_id, stage_name = excluded.stage_name, updated_at = now()
      returning 1
    ), counted as (
      update operations
      set items_done = items_done + (select count(*) from changed where status = 'done' and ${context.isLastStage}::boolean),
          items_failed = items_failed + (select count(*) from changed where status = 'failed'),
          items_skipped = items_skipped + (select count(*) from changed where status = 'skipped' and ${context.isLastStage}::boolean),
          updated_at = now(),
          -- Read from the row as updated, so of batches writing at once only one takes the turn.
          progress_at = case when progress_at is null or progress_at <= now() - ${PROGRESS_EVERY}::interval then now() else progress_at end
      where id = ${operationId}
      returning tenant_id, job_name, items_total, items_done, items_failed, items_skipped,
        started_at, progress_at = now() as progress_due
    ), progress as (
      -- A progress snapshot at most every few seconds, in the same statement as the counts.
      insert into events (tenant_id, operation_id, type, stage_name, data)
      select tenant_id, ${operationId}, 'operation.progress', ${context.stageName},
        jsonb_build_object('itemsTotal', items_total, 'itemsDone', items_done,
          'itemsFailed', items_failed, 'itemsSkipped', items_skipped,
          'itemsPerSecond', round(((items_done + items_failed + items_skipped)
            / greatest(extract(epoch from now() - coalesce(started_at, now())), 1))::numeric, 3))
      from counted where progress_due
      returning 1
    ), rolled_up as (
      -- Hourly roll-ups for statistics, of the same changed rows as the counters. Buckets are
      -- locked in ascending order, so concurrent batches of one stage cannot deadlock on them.
      insert into stage_stats as t (tenant_id, job_name, stage_name, hour, bucket, done, failed, skipped, duration_ms_sum)
      select op.tenant_id, op.job_name, ${context.stageName}, date_trunc('hour', now(), 'UTC'), b.bucket,
        b.done, b.failed, b.skipped, b.duration_ms_sum
      from counted op cross join (
        select least(79, floor(3 * ln(greatest(duration_ms, 0) + 1) / ln(2)))::int2 as bucket,
          count(*) filter (where status = 'done') as done,
          count(*) filter (where status = 'failed') as failed,
          count(*) filter (where status = 'skipped') as skipped,
          sum(greatest(duration_ms, 0)) as duration_ms_sum
        from changed where status <> 'pending' and ${context.storeResults}::boolean
        group by 1
      ) b
      order by b.bucket
      on conflict (tenant_id, job_name, stage_name, hour, bucket) do update
        set done = t.done + excluded.done, failed = t.failed + excluded.failed,
            skipped = t.skipped + excluded.skipped, duration_ms_sum = t.duration_ms_sum + excluded.duration_ms_sum
      returning 1
    )
    select
      (select count(*) from changed where status = 'done')::int as done,
      (select count(*) from changed where status = 'failed')::int as failed,
      (select count(*) from changed where status = 'skipped')::int as skipped,
      (select count(*) from changed where status = 'pending')::int as pending,
      (select count(*) from skipped_later)::int as "skippedLater",
      (select count(*) from tallied)::int as tallied,
      (select count(*) from stored)::int as stored,
      (select count(*) from counted)::int as counted,
      (select count(*) from rolled_up)::int as "rolledUp",
      -- Last: the event takes the tenant's event lock, held to commit, after every row lock.
      (select count(*) from progress)::int as progress`;
  return {
    done: row?.done ?? 0,
    failed: row?.failed ?? 0,
    skipped: row?.skipped ?? 0,
    pending: row?.pending ?? 0,
  };
}

/** Puts `in_progress` rows of a range back to `pending` (after a cancelled attempt). */
export async function releaseBatch(
  sql: postgres.Sql,
  operationId: string,
  stageIndex: number,
  range: { fromItemId: number; toItemId: number },
): Promise<void> {
  await sql`
    with released as (
      update item_stages set status = 'pending', started_at = null
      where operation_id = ${operationId} and stage_index = ${stageIndex}
        and item_id between ${range.fromItemId} and ${range.toItemId} and status = 'in_progress'
      returning 1
    )
    insert into stage_tallies (operation_id, stage_index, pending, in_progress)
    select ${operationId}, ${stageIndex}, count(*), -count(*) from released having count(*) > 0`;
}
