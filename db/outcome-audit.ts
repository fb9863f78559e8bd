/**
 * A version-2 operation's finish: its counts read once from its outcomes, checked against its
 * tallies, and folded into the hourly statistics. The version-1 twin is `operation-audit.ts`.
 */
import type postgres from 'postgres';
import type { OperationAudit } from './operation-audit';

/**
 * Counts the operation's outcomes (one scan along the primary key), compares them with the
 * stage tallies and inserts a marked correction where they disagree, in one statement. An
 * item-stage with no outcome is unfinished: every stage of every item in scope ends with one.
 * `counters` are what the tallies say, `rows` what the outcomes say, so `countersAgree` tells
 * whether the hot path counted exactly. The row is locked so two finishes cannot interleave.
 */
export async function auditOutcomes(
  sql: postgres.Sql,
  operation: { id: string; key: number; itemsTotal: number },
  stageCount: number,
): Promise<OperationAudit | undefined> {
  const last = stageCount - 1;
  const [row] = await sql<
    {
      recorded: number;
      rowsDone: number;
      rowsFailed: number;
      rowsSkipped: number;
      talliedDone: number;
      talliedFailed: number;
      talliedSkipped: number;
      talliesCorrected: number;
    }[]
  >`
    with locked as (
      select id from operations where id = ${operation.id} for update
    ), rows as (
      select stage, count(*) filter (where status = 'done') as done,
        count(*) filter (where status = 'failed') as failed,
        count(*) filter (where status = 'skipped') as skipped,
        -- A later stage skipped for an earlier failure ran no handler: its version is ''.
        count(*) filter (where status = 'skipped' and handler_version <> '') as skipped_by_handler
      from outcomes where operation_key = ${operation.key} group by stage
    ), tallies as (
      select stage_index as stage, sum(done) as done, sum(failed) as failed, sum(skipped) as skipped
      from stage_tallies where operation_id = ${operation.id} group by stage_index
    ), drift as (
      select stage, coalesce(r.done, 0) - coalesce(t.done, 0) as done,
        coalesce(r.failed, 0) - coalesce(t.failed, 0) as failed,
        coalesce(r.skipped, 0) - coalesce(t.skipped, 0) as skipped
      from rows r full join tallies t using (stage)
    ), corrected as (
      insert into stage_tallies (operation_id, stage_index, done, failed, skipped, correction)
      select ${operation.id}, stage, done, failed, skipped, true from drift
      where (done, failed, skipped) <> (0, 0, 0)
      returning 1
    )
    select
      (select coalesce(sum(done + failed + skipped), 0) from rows)::int as recorded,
      (select coalesce(sum(done), 0) from rows where stage = ${last})::int as "rowsDone",
      (select coalesce(sum(failed), 0) from rows)::int as "rowsFailed",
      (select coalesce(sum(skipped_by_handler), 0) from rows where stage = ${last})::int as "rowsSkipped",
      (select coalesce(sum(done), 0) from tallies where stage = ${last})::int as "talliedDone",
      (select coalesce(sum(failed), 0) from tallies)::int as "talliedFailed",
      -- Tallies count a failure's later skips too; the counters do not, as version 1's.
      ((select coalesce(sum(skipped), 0) from tallies where stage = ${last})
        - (select coalesce(sum(skipped - skipped_by_handler), 0) from rows where stage = ${last}))::int
        as "talliedSkipped",
      (select count(*) from corrected)::int as "talliesCorrected"
    from locked`;
  if (!row) return undefined;
  return {
    unfinished: Math.max(0, operation.itemsTotal * stageCount - row.recorded),
    rows: { done: row.rowsDone, failed: row.rowsFailed, skipped: row.rowsSkipped },
    counters: { done: row.talliedDone, failed: row.talliedFailed, skipped: row.talliedSkipped },
    talliesCorrected: row.talliesCorrected,
  };
}

/**
 * Folds a finished operation's outcomes into the hourly `stage_stats` buckets, once: the
 * statement marks the operation folded and adds nothing if it already was, so a retried finish
 * may call it again. It runs outside the finish's transaction: operations of one job finishing
 * together wait on the same buckets, and must not hold the tenant's event lock meanwhile. Only
 * the outcomes a handler gave count, as the version-1 writer counts them; buckets are locked in
 * ascending order, as everywhere.
 */
export async function foldStageStats(
  sql: postgres.Sql,
  operation: { id: string; key: number; tenantId: string; jobName: string },
  stageNames: string[],
): Promise<void> {
  await sql`
    with folding as (
      update operations set stats_folded_at = now()
      where id = ${operation.id} and stats_folded_at is null
      returning id
    )
    insert into stage_stats as t (tenant_id, job_name, stage_name, hour, bucket, done, failed,
      skipped, duration_ms_sum)
    select ${operation.tenantId}, ${operation.jobName}, (${stageNames}::text[])[b.stage + 1],
      date_trunc('hour', now(), 'UTC'), b.bucket, b.done, b.failed, b.skipped, b.duration_ms_sum
    from (
      select stage, least(79, floor(3 * ln(greatest(duration_ms, 0) + 1) / ln(2)))::int2 as bucket,
        count(*) filter (where status = 'done') as done,
        count(*) filter (where status = 'failed') as failed,
        count(*) filter (where status = 'skipped') as skipped,
        sum(greatest(coalesce(duration_ms, 0), 0)) as duration_ms_sum
      from outcomes
      where operation_key = ${operation.key} and handler_version <> ''
        and exists (select 1 from folding)
      group by 1, 2
    ) b
    order by b.stage, b.bucket
    on conflict (tenant_id, job_name, stage_name, hour, bucket) do update
      set done = t.done + excluded.done, failed = t.failed + excluded.failed,
        skipped = t.skipped + excluded.skipped, duration_ms_sum = t.duration_ms_sum + excluded.duration_ms_sum`;
}
