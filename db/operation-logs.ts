import type postgres from 'postgres';
import { RUN_LOG_LEVELS, type RunLogLevel } from '../common/domain';
import { isoTime } from './items';

/** A handler's log line, as a batch keeps it until its next flush. */
export interface NewRunLogLine {
  stageName: string;
  itemId: number | null;
  itemKey: string | null;
  level: RunLogLevel;
  message: string;
  data: Record<string, unknown> | null;
  at: string;
}

/** A kept line, as the API shows it: its id, and its stage's name as `stage`. */
export interface RunLogLine extends Omit<NewRunLogLine, 'stageName'> {
  id: number;
  stage: string;
}

/**
 * Appends lines to the operation's log in one statement, as many as its bound leaves room for:
 * the last place goes to a line saying the log is full, written once a line does not fit.
 * Returns how many rows were written.
 */
export async function appendRunLog(
  sql: postgres.Sql,
  operation: { id: string; tenantId: string },
  lines: NewRunLogLine[],
  bound: number,
): Promise<number> {
  if (lines.length === 0) return 0;
  const full = `this operation's log is full (${bound} lines): later lines go to the worker's log only`;
  const kept = await sql`
    with room as (
      select greatest(0, ${bound} - count(*))::int as n
      from operation_logs where operation_id = ${operation.id}
    ), input as (
      select * from rows from (jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as (
        "stageName" text, "itemId" int8, "itemKey" text, level text, message text, data jsonb,
        at timestamptz)) with ordinality as i("stageName", "itemId", "itemKey", level, message,
        data, at, n)
    ), chosen as (
      select "stageName", "itemId", "itemKey", level, message, data, at from input, room
      where input.n < room.n
      union all
      select (select "stageName" from input order by n limit 1), null, null, 'warn', ${full}, null,
        now()
      from room where room.n > 0 and (select count(*) from input) >= room.n
    )
    insert into operation_logs
      (tenant_id, operation_id, stage_name, item_id, item_key, level, message, data, created_at)
    select ${operation.tenantId}::uuid, ${operation.id}, "stageName", "itemId", "itemKey", level,
      message, data, at
    from chosen`;
  return kept.count;
}

export interface RunLogFilters {
  itemKey?: string;
  stage?: string;
  /** The least severe level shown; every kept line when absent. */
  level?: RunLogLevel;
}

/** A page of the operation's log lines after `afterId`, oldest first. */
export async function listRunLog(
  sql: postgres.Sql,
  operationId: string,
  filters: RunLogFilters,
  page: { afterId: number; limit: number },
): Promise<RunLogLine[]> {
  const levels = filters.level
    ? RUN_LOG_LEVELS.slice(RUN_LOG_LEVELS.indexOf(filters.level))
    : RUN_LOG_LEVELS;
  return sql<RunLogLine[]>`
    select id::int8 as id, stage_name as stage, item_id::int8 as "itemId", item_key as "itemKey",
      level, message, data, ${isoTime(sql, 'created_at')} as at
    from operation_logs
    where operation_id = ${operationId} and id > ${page.afterId}
      and level = any(${[...levels]}::text[])
      ${filters.itemKey === undefined ? sql`` : sql`and item_key = ${filters.itemKey}`}
      ${filters.stage === undefined ? sql`` : sql`and stage_name = ${filters.stage}`}
    order by id
    limit ${page.limit}`;
}

/** Log lines older than `days`, at most `limit`, deleted; how many. */
export async function deleteOldRunLogs(sql: postgres.Sql, days: number, limit: number) {
  const deleted = await sql`
    delete from operation_logs where id in (
      select id from operation_logs where created_at < now() - ${days} * interval '1 day'
      limit ${limit})`;
  return deleted.count;
}
