import type postgres from 'postgres';
import type { ItemStageStatus } from '../common/domain';
import { isoTime } from './items';
import { latestResults } from './latest-results';
import { lastAttemptError, scopeItems } from './operation-scope';
import type { LedgerOf } from './operations';

export interface HandlerVersion {
  handler: string;
  version: string;
}

/**
 * The stale rule: a result is stale when a current version of its handler is known and differs
 * from the version stamped on it. `staleSql` states the same rule for queries.
 */
function isStale(version: string, currentVersion: string | null): boolean {
  return currentVersion !== null && version !== currentVersion;
}

/** Joins the current versions to results aliased `r`, as `h(handler, version)`. */
function currentVersionsJoin(sql: postgres.Sql, current: HandlerVersion[]) {
  return sql`left join unnest(${current.map((c) => c.handler)}::text[], ${current.map((c) => c.version)}::text[]) as h(handler, version)
    on h.handler = r.handler`;
}

/** `isStale` for a result `r` joined by `currentVersionsJoin`. */
function staleSql(sql: postgres.Sql) {
  return sql`(h.version is not null and r.handler_version <> h.version)`;
}

/** A result as the API returns it, whichever route reads it. */
export interface ResultView {
  stage: string;
  handler: string;
  handlerVersion: string;
  /** The version the handler has now; null when no worker offers the handler. */
  currentVersion: string | null;
  stale: boolean;
  output: unknown;
  operationId: string | null;
  /** ISO 8601. */
  updatedAt: string;
}

/**
 * A `ResultView` of result `r` (joined by `currentVersionsJoin`) as `json_build_object`
 * arguments, so every route (and the export, which leaves the JSON to Postgres) has one shape.
 */
function resultFields(sql: postgres.Sql) {
  return sql`'stage', r.stage_name, 'handler', r.handler, 'handlerVersion', r.handler_version,
    'currentVersion', h.version, 'stale', ${staleSql(sql)}, 'output', r.output,
    'operationId', r.operation_id, 'updatedAt', ${isoTime(sql, 'r.updated_at')}`;
}

export interface HandlerResultStats {
  handler: string;
  currentVersion: string | null;
  results: number;
  stale: number;
  versions: Record<string, number>;
}

/** Result counts per handler and version in a collection, of the latest result per item and handler. */
export async function resultStats(
  sql: postgres.Sql,
  collectionId: string,
  current: HandlerVersion[],
): Promise<HandlerResultStats[]> {
  const rows = await sql<{ handler: string; version: string; count: number }[]>`
    select handler, handler_version as version, count(*)::int as count
    from ${latestResults(sql, { collectionId })} r
    group by handler, handler_version order by handler, handler_version`;
  const currentOf = new Map(current.map((entry) => [entry.handler, entry.version]));
  const byHandler = new Map<string, HandlerResultStats>();
  for (const row of rows) {
    const currentVersion = currentOf.get(row.handler) ?? null;
    const stats = byHandler.get(row.handler) ?? {
      handler: row.handler,
      currentVersion,
      results: 0,
      stale: 0,
      versions: {},
    };
    stats.results += row.count;
    stats.versions[row.version] = row.count;
    if (isStale(row.version, currentVersion)) stats.stale += row.count;
    byHandler.set(row.handler, stats);
  }
  return [...byHandler.values()];
}

/** Items of the collection with a result older than its handler's current version. */
export async function staleItemIds(
  sql: postgres.Sql,
  collectionId: string,
  current: HandlerVersion[],
): Promise<number[]> {
  if (current.length === 0) return [];
  const rows = await sql<{ id: number }[]>`
    select distinct r.item_id as id
    from ${latestResults(sql, { collectionId })} r ${currentVersionsJoin(sql, current)}
    where ${staleSql(sql)}
    order by r.item_id`;
  return rows.map((row) => row.id);
}

/** An item's latest result per handler, of either ledger format. */
export async function itemResults(
  sql: postgres.Sql,
  tenantId: string,
  itemId: number,
  current: HandlerVersion[],
): Promise<ResultView[]> {
  const rows = await sql<{ result: ResultView }[]>`
    select json_build_object(${resultFields(sql)}) as result
    from ${latestResults(sql, { itemId, tenantId })} r ${currentVersionsJoin(sql, current)}
    order by r.stage_name, r.handler`;
  return rows.map((row) => row.result);
}

export interface OperationResultRow {
  itemId: number;
  key: string;
  stageIndex: number;
  stage: string;
  handler: string;
  status: ItemStageStatus;
  attempts: number;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  result: ResultView | null;
}

/** Where a page of `listOperationResults` ends; the next page starts after it. */
export interface OperationResultsCursor {
  stageIndex: number;
  itemId: number;
}

export interface OperationResultsOptions {
  stageIndex?: number;
  status?: ItemStageStatus;
  after?: OperationResultsCursor;
  limit: number;
}

/**
 * An operation's item stages in (stage, item) order, in either ledger format, each with the
 * item's current result for the stage's handler: a later operation may have replaced what this
 * one stored, which the result's `operationId` shows. A page is cut first, then joined.
 */
export async function listOperationResults(
  sql: postgres.Sql,
  operation: LedgerOf,
  stages: { name: string; handler: string }[],
  current: HandlerVersion[],
  options: OperationResultsOptions,
): Promise<OperationResultRow[]> {
  // Stage names and handlers as arrays subscripted by stage index rather than a joined relation,
  // so the page's plan stays a walk in (stage, item) order, stopped at the limit.
  const names = stages.map((stage) => stage.name);
  const handlers = stages.map((stage) => stage.handler);
  const page =
    operation.ledger === 2
      ? outcomePage(sql, operation.key, stages.length, options)
      : itemStagePage(sql, operation.id, options);
  return sql<OperationResultRow[]>`
    select s.item_id as "itemId", coalesce(i.key, 'global') as key, s.stage_index as "stageIndex",
      st.names[s.stage_index + 1] as stage, st.handlers[s.stage_index + 1] as handler, s.status, s.attempts, s.error, ${isoTime(sql, 's.started_at')} as "startedAt",
      ${isoTime(sql, 's.finished_at')} as "finishedAt", s.duration_ms as "durationMs",
      case when r.item_id is null then null else json_build_object(${resultFields(sql)}) end as result
    from ${page} s
    cross join (select ${names}::text[] as names, ${handlers}::text[] as handlers) st
    left join items i on i.id = s.item_id
    left join lateral (
      select * from ${latestResults(sql, { itemOf: 's.item_id' })} r
      where r.handler = st.handlers[s.stage_index + 1] and r.stage_name = st.names[s.stage_index + 1]
    ) r on true
    ${currentVersionsJoin(sql, current)}
    order by s.stage_index, s.item_id`;
}

/** Version 1's page: a walk of the item-stage primary key. */
function itemStagePage(sql: postgres.Sql, operationId: string, options: OperationResultsOptions) {
  const { stageIndex, status, after } = options;
  return sql`(
    select item_id, stage_index, status, attempts, error, started_at, finished_at, duration_ms
    from item_stages
    where operation_id = ${operationId}
      ${stageIndex === undefined ? sql`` : sql`and stage_index = ${stageIndex}`}
      ${status ? sql`and status = ${status}` : sql``}
      ${after ? sql`and (stage_index, item_id) > (${after.stageIndex}::int, ${after.itemId}::int8)` : sql``}
    order by stage_index, item_id
    limit ${options.limit}
  )`;
}

/**
 * Version 2's page: every stage of the frozen scope, with its outcome if it has one and pending
 * otherwise (then with its last failed attempt). A page of a recorded status is cut from the
 * operation's outcomes; any other from the scope, joined to outcomes after the cut unless
 * pending needs them to filter. The handler ran for `duration_ms` before its outcome was recorded;
 * a stage skipped for an earlier failure (handler version '') ran nothing and had no attempt.
 */
function outcomePage(
  sql: postgres.Sql,
  operationKey: number,
  stageCount: number,
  options: OperationResultsOptions,
) {
  const { stageIndex, status, after } = options;
  const page =
    status && status !== 'pending'
      ? sql`select o.item_id, o.stage::int as stage_index from outcomes o
          where o.operation_key = ${operationKey} and o.status = ${status}
            ${stageIndex === undefined ? sql`` : sql`and o.stage = ${stageIndex}`}
            ${after ? sql`and (o.stage, o.item_id) > (${after.stageIndex}::int, ${after.itemId}::int8)` : sql``}`
      : sql`select sc.item_id, g.stage as stage_index
          from ${scopeItems(sql, operationKey)} sc
          cross join generate_series(${stageIndex ?? 0}::int, ${stageIndex ?? stageCount - 1}::int) as g(stage)
          where true
            ${status ? sql`and not exists (select 1 from outcomes o where o.operation_key = ${operationKey} and o.item_id = sc.item_id and o.stage = g.stage)` : sql``}
            ${after ? sql`and (g.stage, sc.item_id) > (${after.stageIndex}::int, ${after.itemId}::int8)` : sql``}`;
  return sql`(
    select p.item_id, p.stage_index, coalesce(o.status, 'pending') as status,
      coalesce(case when o.handler_version = '' then 0 else o.attempt::int end, e.attempts, 0)
        as attempts, coalesce(o.error, e.error) as error,
      o.finished_at - o.duration_ms * interval '1 millisecond' as started_at, o.finished_at,
      o.duration_ms
    from (${page} order by stage_index, item_id limit ${options.limit}) p
    left join outcomes o on o.operation_key = ${operationKey} and o.item_id = p.item_id
      and o.stage = p.stage_index
    left join lateral ${lastAttemptError(sql, operationKey, 'p.item_id', 'p.stage_index')} e
      on o.item_id is null
  )`;
}

export interface ResultExportFilters {
  stage?: string;
  stale?: boolean;
}

/**
 * A collection's results as NDJSON lines (a `ResultView` with the item's id and key), built by
 * Postgres and read through a cursor `batchSize` rows at a time, so a caller streaming them
 * holds one batch however large the collection.
 *
 * The results are reached per item through a lateral subquery; its ORDER BY keeps the planner
 * from flattening it into a hash join, whose sort would build every line of the collection before
 * the first is sent (9 s for a million). This way the first batch comes at once and the order by
 * item then handler costs only an incremental sort within each item.
 */
export function exportResultLines(
  sql: postgres.Sql,
  tenantId: string,
  collectionId: string,
  current: HandlerVersion[],
  filters: ResultExportFilters,
  batchSize: number,
): AsyncIterable<{ line: string }[]> {
  return sql<{ line: string }[]>`
    select json_build_object('itemId', i.id, 'key', i.key, ${resultFields(sql)})::text as line
    from items i
    cross join lateral (
      select * from ${latestResults(sql, { itemOf: 'i.id' })} r
      ${filters.stage === undefined ? sql`` : sql`where r.stage_name = ${filters.stage}`}
      order by r.handler
    ) r
    ${currentVersionsJoin(sql, current)}
    where i.collection_id = ${collectionId}::uuid and i.tenant_id = ${tenantId}::uuid
      ${filters.stale === undefined ? sql`` : sql`and ${staleSql(sql)} = ${filters.stale}`}
    order by i.id, r.handler`.cursor(batchSize);
}
