import type postgres from 'postgres';
import { unfinishedItemStage } from './predicates';

/** An operation's item counters: as recorded on its row, or as its item stages say. */
export interface OperationCounters {
  done: number;
  failed: number;
  skipped: number;
}

export interface OperationAudit {
  /** Item stages still pending or in progress, in any stage. */
  unfinished: number;
  /** What the item stages say: done and skipped in the last stage, failed in any. */
  rows: OperationCounters;
  /** What the operation's row says. */
  counters: OperationCounters;
  /**
   * Stages whose tallies disagreed with the item stages and got a correcting row (marked
   * `correction`): none, unless a write moved item stages without its tally.
   */
  talliesCorrected: number;
}

/**
 * Compares an operation's counters with its item stages, the check before it may be called
 * complete (DESIGN.md, the stage invariant). An item skipped in the last stage because an
 * earlier stage failed it counts as failed, not skipped, as the batch writer counts it.
 * Reads the operation's rows by the primary key's prefix; the row is locked so a concurrent
 * batch write cannot slip between the audit and a repair in the same transaction.
 *
 * The same read corrects the stage tallies: per stage, it inserts the difference between what
 * the item stages say and what the tallies sum to. Both are read in one snapshot and every write
 * commits item stages with their tally, so the correction is exact even while a stray batch
 * still writes.
 */
export async function auditOperation(
  sql: postgres.Sql,
  operationId: string,
  lastStageIndex: number,
): Promise<OperationAudit | undefined> {
  const [row] = await sql<
    (OperationAudit['counters'] & {
      unfinished: number;
      rowsDone: number;
      rowsFailed: number;
      rowsSkipped: number;
      talliesCorrected: number;
    })[]
  >`
    with locked as (
      select items_done, items_failed, items_skipped from operations
      where id = ${operationId} for update
    ), stages as (
      select item_id, stage_index, status from item_stages where operation_id = ${operationId}
    ), failed_items as (
      select distinct item_id from stages where status = 'failed'
    ), drift as (
      select stage_index,
        coalesce(t.pending, 0) - coalesce(y.pending, 0) as pending,
        coalesce(t.in_progress, 0) - coalesce(y.in_progress, 0) as in_progress,
        coalesce(t.done, 0) - coalesce(y.done, 0) as done,
        coalesce(t.failed, 0) - coalesce(y.failed, 0) as failed,
        coalesce(t.skipped, 0) - coalesce(y.skipped, 0) as skipped
      from (
        select stage_index, count(*) filter (where status = 'pending') as pending,
          count(*) filter (where status = 'in_progress') as in_progress,
          count(*) filter (where status = 'done') as done,
          count(*) filter (where status = 'failed') as failed,
          count(*) filter (where status = 'skipped') as skipped
        from stages group by stage_index
      ) t full join (
        select stage_index, sum(pending) as pending, sum(in_progress) as in_progress,
          sum(done) as done, sum(failed) as failed, sum(skipped) as skipped
        from stage_tallies where operation_id = ${operationId} group by stage_index
      ) y using (stage_index)
    ), corrected as (
      insert into stage_tallies (operation_id, stage_index, pending, in_progress, done, failed, skipped, correction)
      select ${operationId}, stage_index, pending, in_progress, done, failed, skipped, true from drift
      where (pending, in_progress, done, failed, skipped) <> (0, 0, 0, 0, 0)
      returning 1
    )
    select
      (select count(*) from stages where status = any(${unfinishedItemStage}::text[]))::int as unfinished,
      (select count(*) from stages where stage_index = ${lastStageIndex} and status = 'done')::int as "rowsDone",
      (select count(*) from failed_items)::int as "rowsFailed",
      (select count(*) from stages s where s.stage_index = ${lastStageIndex} and s.status = 'skipped'
        and not exists (select 1 from failed_items f where f.item_id = s.item_id))::int as "rowsSkipped",
      (select count(*) from corrected)::int as "talliesCorrected",
      l.items_done as done, l.items_failed as failed, l.items_skipped as skipped
    from locked l`;
  if (!row) return undefined;
  return {
    unfinished: row.unfinished,
    rows: { done: row.rowsDone, failed: row.rowsFailed, skipped: row.rowsSkipped },
    counters: { done: row.done, failed: row.failed, skipped: row.skipped },
    talliesCorrected: row.talliesCorrected,
  };
}

export function countersAgree(audit: OperationAudit): boolean {
  const { rows, counters } = audit;
  return (
    rows.done === counters.done &&
    rows.failed === counters.failed &&
    rows.skipped === counters.skipped
  );
}

/** Sets the operation's counters to what its item stages say. */
export async function setCountersFromRows(
  sql: postgres.Sql,
  operationId: string,
  rows: OperationCounters,
): Promise<void> {
  await sql`
    update operations
    set items_done = ${rows.done}, items_failed = ${rows.failed}, items_skipped = ${rows.skipped},
      updated_at = now()
    where id = ${operationId}`;
}

/**
 * Puts every `in_progress` item stage of an operation back to `pending`: when an operation ends
 * cancelled or failed, no batch is left to finish them, and a claim must not outlive its run.
 */
export async function releaseOperationClaims(
  sql: postgres.Sql,
  operationId: string,
): Promise<number> {
  const [row] = await sql<{ released: number }[]>`
    with released as (
      update item_stages set status = 'pending', started_at = null
      where operation_id = ${operationId} and status = 'in_progress'
      returning stage_index
    ), tallied as (
      insert into stage_tallies (operation_id, stage_index, pending, in_progress)
      select ${operationId}, stage_index, count(*), -count(*) from released group by stage_index
    )
    select count(*)::int as released from released`;
  return row?.released ?? 0;
}
