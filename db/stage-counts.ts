import type postgres from 'postgres';
import type { ItemCounts } from '../common/domain';
import { unfinishedItemStage } from './predicates';

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
  const counts: ItemCounts[] = Array.from({ length: stageCount }, () => ({
    items: 0,
    pending: 0,
    inProgress: 0,
    done: 0,
    failed: 0,
    skipped: 0,
  }));
  for (const { stageIndex, ...row } of rows) {
    if (stageIndex >= stageCount) continue;
    counts[stageIndex] = {
      ...row,
      items: row.pending + row.inProgress + row.done + row.failed + row.skipped,
    };
  }
  return counts;
}
