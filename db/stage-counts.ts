import type postgres from 'postgres';
import type { ItemCounts } from '../common/domain';
import type { OperationFields } from './operations';
import { finishedOperation, unfinishedItemStage } from './predicates';
import { inProgressByStage } from './running-batches';

/** Counts of item stages by status: for closing a stage, its events and an operation's view. */

export interface RangeCounts {
  done: number;
  failed: number;
  skipped: number;
  /** Rows still pending or in progress: a stage with any may not close. */
  unfinished: number;
}

/** Outcomes of one stage over a range of items, for closing the stage and its event. */
export async function rangeCounts(
  sql: postgres.Sql,
  operationId: string,
  stageIndex: number,
  range: { fromItemId: number; toItemId: number },
): Promise<RangeCounts> {
  const [row] = await sql<RangeCounts[]>`
    select count(*) filter (where status = 'done')::int as done,
      count(*) filter (where status = 'failed')::int as failed,
      count(*) filter (where status = 'skipped')::int as skipped,
      count(*) filter (where status = any(${unfinishedItemStage}::text[]))::int as unfinished
    from item_stages
    where operation_id = ${operationId} and stage_index = ${stageIndex}
      and item_id between ${range.fromItemId} and ${range.toItemId}`;
  return row ?? { done: 0, failed: 0, skipped: 0, unfinished: 0 };
}

/** Whether any item stage of the stage, over the whole operation, is still to finish. */
export async function stageUnfinished(
  sql: postgres.Sql,
  operationId: string,
  stageIndex: number,
): Promise<boolean> {
  const [row] = await sql<{ unfinished: boolean }[]>`
    select exists (
      select 1 from item_stages
      where operation_id = ${operationId} and stage_index = ${stageIndex}
        and status = any(${unfinishedItemStage}::text[])
    ) as unfinished`;
  return row?.unfinished ?? false;
}

function noCounts(stageCount: number): ItemCounts[] {
  return Array.from({ length: stageCount }, () => ({
    items: 0,
    pending: 0,
    inProgress: 0,
    done: 0,
    failed: 0,
    skipped: 0,
  }));
}

/**
 * Per-stage counts, summed from the operation's stage tallies (a few rows per batch, along their
 * operation index) rather than grouped from every item stage.
 */
export async function stageCounts(
  sql: postgres.Sql,
  operationId: string,
  stageCount: number,
): Promise<ItemCounts[]> {
  const rows = await sql<(Omit<ItemCounts, 'items'> & { stageIndex: number })[]>`
    select stage_index as "stageIndex", sum(pending)::int as pending,
      sum(in_progress)::int as "inProgress", sum(done)::int as done,
      sum(failed)::int as failed, sum(skipped)::int as skipped
    from stage_tallies where operation_id = ${operationId}
    group by stage_index`;
  const counts = noCounts(stageCount);
  for (const { stageIndex, ...row } of rows) {
    if (stageIndex >= stageCount) continue;
    counts[stageIndex] = {
      ...row,
      items: row.pending + row.inProgress + row.done + row.failed + row.skipped,
    };
  }
  return counts;
}

/** What the counts of an operation depend on besides its tallies. */
export type CountsOf = Pick<
  OperationFields,
  'id' | 'key' | 'ledger' | 'status' | 'itemsTotal' | 'itemsDone' | 'itemsFailed' | 'itemsSkipped'
>;

/**
 * `stageCounts` in either ledger format. Version 2 never stores pending (its tallies carry
 * outcomes only), so a stage's items are the operation's scope; in progress are the items of
 * its running batches without an outcome yet, and pending the rest.
 */
export async function operationStageCounts(
  sql: postgres.Sql,
  operation: CountsOf,
  stageCount: number,
): Promise<ItemCounts[]> {
  const counts = await stageCounts(sql, operation.id, stageCount);
  if (operation.ledger !== 2) return counts;
  const running = finishedOperation.includes(operation.status)
    ? new Map<number, number>()
    : await inProgressByStage(sql, operation.key);
  return counts.map((stage, index) => {
    const items = operation.itemsTotal;
    const inProgress = running.get(index) ?? 0;
    return {
      ...stage,
      items,
      inProgress,
      pending: Math.max(0, items - stage.done - stage.failed - stage.skipped - inProgress),
    };
  });
}

/**
 * An operation's item counts from its per-stage counts, by version 1's counters' rule: an item is
 * done or skipped by its last stage, failed by any; the last stage's skipped rows of items that
 * failed earlier are theirs, not skips of its own.
 */
export function itemCountsOfStages(stages: ItemCounts[]): {
  itemsDone: number;
  itemsFailed: number;
  itemsSkipped: number;
} {
  const last = stages.at(-1);
  const failedBeforeLast = stages.slice(0, -1).reduce((sum, stage) => sum + stage.failed, 0);
  return {
    itemsDone: last?.done ?? 0,
    itemsFailed: failedBeforeLast + (last?.failed ?? 0),
    itemsSkipped: Math.max(0, (last?.skipped ?? 0) - failedBeforeLast),
  };
}

/** Whether the counters on the row are not yet set: version 2 sets them at its finish. */
function countedByTallies(operation: CountsOf): boolean {
  return operation.ledger === 2 && !finishedOperation.includes(operation.status);
}

/** The operation with its counters, from the stage counts while version 2 has not set them. */
export function withStageCounters<T extends CountsOf>(operation: T, stages: ItemCounts[]): T {
  return countedByTallies(operation) ? { ...operation, ...itemCountsOfStages(stages) } : operation;
}

/**
 * `withStageCounters` for a list: the tallies of its unfinished version-2 operations only, all in
 * one read, each with its definition's stage count.
 */
export async function withLiveCounters<T extends CountsOf>(
  sql: postgres.Sql,
  operations: T[],
): Promise<T[]> {
  const live = operations.filter(countedByTallies).map((operation) => operation.id);
  if (live.length === 0) return operations;
  const rows = await sql<{ id: string; stageCount: number; stages: ItemCounts[] }[]>`
    select o.id, jsonb_array_length(o.definition->'stages')::int as "stageCount",
      coalesce(json_agg(json_build_object('stage', t.stage_index, 'items', 0, 'pending', 0,
        'inProgress', 0, 'done', t.done, 'failed', t.failed, 'skipped', t.skipped))
        filter (where t.stage_index is not null), '[]') as stages
    from operations o
    left join lateral (
      select stage_index, sum(done)::int as done, sum(failed)::int as failed,
        sum(skipped)::int as skipped
      from stage_tallies where operation_id = o.id group by stage_index
    ) t on true
    where o.id = any(${live}::text[])
    group by o.id`;
  const stagesOf = new Map(
    rows.map((row) => {
      const stages = noCounts(row.stageCount);
      for (const { stage, ...counts } of row.stages as (ItemCounts & { stage: number })[]) {
        if (stage < row.stageCount) stages[stage] = counts;
      }
      return [row.id, stages];
    }),
  );
  return operations.map((operation) => {
    const stages = stagesOf.get(operation.id);
    return stages ? withStageCounters(operation, stages) : operation;
  });
}
