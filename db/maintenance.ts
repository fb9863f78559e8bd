import { desc } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Db } from './client';
import { finishedOperation, unfinishedOperation } from './predicates';
import { maintenanceRuns } from './schema-automation';

/**
 * Operations Postgres calls unfinished whose record has not moved for `quietSeconds`: the ones
 * whose workflow may have closed or vanished behind Conveyor's back. A version-2 operation's
 * flushes leave its row alone, so it is quiet only once its newest event (the flushes' progress
 * events, along the events' operation index) is as old: else every long run would be described
 * at each pass, ahead of the truly quiet.
 */
export async function quietUnfinishedOperations(
  sql: postgres.Sql,
  quietSeconds: number,
  limit: number,
): Promise<{ id: string; tenantId: string; status: string }[]> {
  return sql`
    select o.id, o.tenant_id as "tenantId", o.status from operations o
    where o.status = any(${unfinishedOperation}::text[])
      and o.updated_at < now() - ${quietSeconds} * interval '1 second'
      and (o.ledger = 1 or coalesce((
        select e.created_at from events e where e.operation_id = o.id order by e.id desc limit 1
      ), o.updated_at) < now() - ${quietSeconds} * interval '1 second')
    order by o.updated_at limit ${limit}`;
}

/**
 * Puts back to `pending` the item stages left `in_progress` by operations that finished in the
 * last `days`: claims no batch will ever finish. Returns how many per operation. Version 2
 * writes nothing to claim, so its operations are not looked at.
 */
export async function releaseFinishedClaims(
  sql: postgres.Sql,
  days: number,
): Promise<{ operationId: string; tenantId: string; released: number }[]> {
  return sql`
    with finished as (
      select id, tenant_id from operations
      where status = any(${finishedOperation}::text[]) and ledger = 1
        and finished_at > now() - ${days} * interval '1 day'
    ), released as (
      update item_stages s set status = 'pending', started_at = null
      from finished f
      where s.operation_id = f.id and s.status = 'in_progress'
      returning s.operation_id, s.stage_index
    ), tallied as (
      insert into stage_tallies (operation_id, stage_index, pending, in_progress)
      select operation_id, stage_index, count(*), -count(*) from released group by 1, 2
    )
    select r.operation_id as "operationId", f.tenant_id as "tenantId", count(*)::int as released
    from released r join finished f on f.id = r.operation_id
    group by 1, 2`;
}

/** Deletes events older than `days`, at most `limit` at a time; returns how many. */
export async function deleteOldEvents(sql: postgres.Sql, days: number, limit: number) {
  const deleted = await sql`
    delete from events where id in (
      select id from events where created_at < now() - ${days} * interval '1 day' limit ${limit})`;
  return deleted.count;
}

/**
 * Deletes finished test-mode operations older than `days` with their item stages and tallies
 * (which cascade), their costs, and version 2's scope, outcomes and attempt errors (which have
 * no foreign key to cascade from), at most `limit` at a time; returns how many operations.
 * Test-mode outcomes are never results, so none has to move to `results` first.
 */
export async function deleteOldTestOperations(sql: postgres.Sql, days: number, limit: number) {
  const [row] = await sql<{ count: number }[]>`
    with old as (
      select id, key from operations
      where mode = 'test' and status = any(${finishedOperation}::text[])
        and finished_at < now() - ${days} * interval '1 day'
      limit ${limit}
    ), costs_gone as (
      delete from costs where operation_id in (select id from old) returning 1
    ), chunks_gone as (
      -- These three run though the query reads none, as every data-modifying CTE does.
      delete from operation_chunks where operation_key in (select key from old)
    ), outcome_segments_gone as (
      delete from outcome_segments where operation_key in (select key from old)
    ), attempt_errors_gone as (
      delete from item_attempt_errors where operation_key in (select key from old)
    ), gone as (
      delete from operations where id in (select id from old) returning 1
    )
    select (select count(*) from gone)::int as count, (select count(*) from costs_gone)::int as costs`;
  return row?.count ?? 0;
}

export async function recordMaintenanceRun(
  db: Db,
  run: { workflowId: string; startedAt: Date; summary: Record<string, unknown> },
): Promise<void> {
  await db
    .insert(maintenanceRuns)
    .values(run)
    .onConflictDoUpdate({ target: maintenanceRuns.workflowId, set: { summary: run.summary } });
}

/** Summaries of maintenance runs older than `days`, deleted; how many. */
export async function deleteOldMaintenanceRuns(sql: postgres.Sql, days: number) {
  const deleted = await sql`
    delete from maintenance_runs where started_at < now() - ${days} * interval '1 day'`;
  return deleted.count;
}

export async function recentMaintenanceRuns(db: Db, limit: number) {
  return db.select().from(maintenanceRuns).orderBy(desc(maintenanceRuns.id)).limit(limit);
}
