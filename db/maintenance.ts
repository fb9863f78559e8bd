import { desc } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Db } from './client';
import { finishedOperation, unfinishedOperation } from './predicates';
import { maintenanceRuns } from './schema-automation';

/**
 * Operations Postgres calls unfinished whose record has not moved for `quietSeconds`: the ones
 * whose workflow may have closed or vanished behind Conveyor's back.
 */
export async function quietUnfinishedOperations(
  sql: postgres.Sql,
  quietSeconds: number,
  limit: number,
): Promise<{ id: string; tenantId: string; status: string }[]> {
  return sql`
    select id, tenant_id as "tenantId", status from operations
    where status = any(${unfinishedOperation}::text[])
      and updated_at < now() - ${quietSeconds} * interval '1 second'
    order by updated_at limit ${limit}`;
}

/**
 * Puts back to `pending` the item stages left `in_progress` by operations that finished in the
 * last `days`: claims no batch will ever finish. Returns how many per operation.
 */
export async function releaseFinishedClaims(
  sql: postgres.Sql,
  days: number,
): Promise<{ operationId: string; tenantId: string; released: number }[]> {
  return sql`
    with finished as (
      select id, tenant_id from operations
      where status = any(${finishedOperation}::text[])
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
 * Deletes finished test-mode operations older than `days` with their item stages (which
 * cascade) and costs, at most `limit` at a time; returns how many operations.
 */
export async function deleteOldTestOperations(sql: postgres.Sql, days: number, limit: number) {
  const [row] = await sql<{ count: number }[]>`
    with old as (
      select id from operations
      where mode = 'test' and status = any(${finishedOperation}::text[])
        and finished_at < now() - ${days} * interval '1 day'
      limit ${limit}
    ), costs_gone as (
      delete from costs where operation_id in (select id from old) returning 1
    ), gone as (
      delete from operations where id in (select id from old) returning 1
    )
    select (select count(*) from gone)::int as count, (select count(*) from costs_gone)::int`;
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

export async function recentMaintenanceRuns(db: Db, limit: number) {
  return db.select().from(maintenanceRuns).orderBy(desc(maintenanceRuns.id)).limit(limit);
}
