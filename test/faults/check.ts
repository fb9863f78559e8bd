import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import type { ApiClient } from './client';

/** What one check of an operation found; `violations` is empty when everything holds. */
export interface CheckReport {
  operationId: string;
  status: string;
  violations: string[];
  rows: Record<string, number>;
  counters: Record<string, number>;
  calls: {
    total: number;
    itemStagesCalled: number;
    /** Item stages whose handler ran more than once (a retry or a re-run after a fault). */
    calledMoreThanOnce: number;
    /** Epoch ms of the last handler call for this operation. */
    lastCallAt: number | null;
  };
}

export interface CheckOptions {
  operationId: string;
  expectedStatus: string;
  items: number;
  stageNames: readonly string[];
  /** Keys failing permanently per stage: the failed rows must be exactly these. */
  failKeys?: string[][];
  /** Compares GET /v1/operations/{id} with the rows when given. */
  api?: ApiClient;
}

export function connect(url: string) {
  return postgres(url, { max: 2, onnotice: () => {}, connect_timeout: 5 });
}

/**
 * Loads every ledger line the handler processes wrote into `handler_calls` (replacing what an
 * earlier load put there). Returns how many lines were loaded and how many were malformed.
 */
export async function loadLedger(
  sql: postgres.Sql,
  ledgerDir: string,
): Promise<{ lines: number; malformed: number }> {
  const operationIds: string[] = [];
  const stageNames: string[] = [];
  const itemIds: string[] = [];
  const calledAt: number[] = [];
  let malformed = 0;
  for (const file of readdirSync(ledgerDir).filter((name) => name.endsWith('.csv'))) {
    for (const line of readFileSync(join(ledgerDir, file), 'utf8').split('\n')) {
      if (!line) continue;
      const [operationId, stageName, itemId, at] = line.split(',');
      if (!operationId || !stageName || !/^\d+$/.test(itemId ?? '') || !/^\d+$/.test(at ?? '')) {
        malformed++;
        continue;
      }
      operationIds.push(operationId);
      stageNames.push(stageName);
      itemIds.push(itemId as string);
      calledAt.push(Number(at));
    }
  }
  await sql`create table if not exists handler_calls (
    operation_id text not null, stage_name text not null, item_id int8 not null, called_at_ms float8 not null)`;
  await sql`create index if not exists handler_calls_idx on handler_calls (operation_id, stage_name, item_id)`;
  await sql`truncate handler_calls`;
  await sql`
    insert into handler_calls (operation_id, stage_name, item_id, called_at_ms)
    select * from unnest(${operationIds}::text[], ${stageNames}::text[], ${itemIds}::int8[], ${calledAt}::float8[])`;
  await sql`analyze handler_calls`;
  return { lines: operationIds.length, malformed };
}

const int = (value: unknown) => Number(value ?? 0);

/**
 * The operation's item stages in version 1's shape, from whichever ledger recorded it: version
 * 2's frozen scope × its stages, each with its outcome's status or `pending` where none is
 * recorded (version 2 keeps no row for an item stage in progress). Every check reads this.
 */
export function itemStagesOf(sql: postgres.Sql, operationId: string, stages: number) {
  return sql`(
    select operation_id, item_id, stage_index, status from item_stages
    where operation_id = ${operationId}
    union all
    select op.id, s.id, st.stage, coalesce(o.status, 'pending')
    from operations op
    join operation_chunks c on c.operation_key = op.key
    cross join lateral unnest(c.item_ids) as s(id)
    cross join generate_series(0, ${stages - 1}::int) as st(stage)
    left join outcomes o on o.operation_key = op.key and o.item_id = s.id and o.stage = st.stage
    where op.id = ${operationId} and op.ledger = 2)`;
}

/**
 * Checks an operation exactly against its rows, after `loadLedger`: one row per item and stage,
 * every row final (or, when cancelled, none in progress), counters equal to the rows, the
 * expected status, the stage order kept, and the handler ledger consistent with the rows.
 */
export async function checkOperation(
  sql: postgres.Sql,
  options: CheckOptions,
): Promise<CheckReport> {
  const { operationId: id, stageNames, items } = options;
  const stages = stageNames.length;
  const last = stages - 1;
  const violations: string[] = [];
  const fail = (message: string) => violations.push(message);
  const itemStages = itemStagesOf(sql, id, stages);

  const [operation] = await sql`
    select status, items_total, items_done, items_failed, items_skipped from operations where id = ${id}`;
  if (!operation) throw new Error(`operation ${id} has no row`);
  const status = String(operation.status);
  if (status !== options.expectedStatus)
    fail(`status is ${status}, expected ${options.expectedStatus}`);

  const [rowCounts] = await sql`
    select count(*) as rows, count(distinct (stage_index, item_id)) as distinct_rows,
      count(distinct item_id) as items,
      count(*) filter (where status = 'pending') as pending,
      count(*) filter (where status = 'in_progress') as in_progress,
      count(*) filter (where status = 'done') as done,
      count(*) filter (where status = 'failed') as failed,
      count(*) filter (where status = 'skipped') as skipped
    from ${itemStages} x where operation_id = ${id}`;
  const rows = Object.fromEntries(Object.entries(rowCounts ?? {}).map(([k, v]) => [k, int(v)]));
  if (rows.rows !== items * stages)
    fail(`${rows.rows} item_stages rows, expected ${items} × ${stages} = ${items * stages}`);
  if (rows.distinct_rows !== rows.rows)
    fail(`${int(rows.rows) - int(rows.distinct_rows)} duplicate rows`);
  if (rows.items !== items) fail(`${rows.items} items have rows, expected ${items}`);
  const [uneven] = await sql`
    select count(*) as n from (
      select item_id from ${itemStages} x where operation_id = ${id} group by item_id
      having count(*) <> ${stages} or count(distinct stage_index) <> ${stages}) x`;
  if (int(uneven?.n) > 0) fail(`${uneven?.n} items do not have exactly one row per stage`);
  const [left] = await sql`
    select count(*) as n from running_batches b join operations o on o.key = b.operation_key
    where o.id = ${id}`;
  if (int(left?.n) > 0) fail(`${left?.n} running_batches rows left after ${status}`);
  if (status === 'cancelled') {
    if (rows.in_progress) fail(`${rows.in_progress} rows still in_progress after cancel`);
  } else if (rows.pending || rows.in_progress) {
    fail(`${rows.pending} pending and ${rows.in_progress} in_progress rows after ${status}`);
  }

  const [expected] = await sql`
    select
      count(*) filter (where stage_index = ${last} and status = 'done') as done,
      count(distinct item_id) filter (where status = 'failed') as failed,
      count(*) filter (where stage_index = ${last} and status = 'skipped' and not exists (
        select 1 from ${itemStages} f where f.operation_id = s.operation_id
          and f.item_id = s.item_id and f.status = 'failed')) as skipped
    from ${itemStages} s where operation_id = ${id}`;
  const counters = {
    items_total: int(operation.items_total),
    items_done: int(operation.items_done),
    items_failed: int(operation.items_failed),
    items_skipped: int(operation.items_skipped),
  };
  if (counters.items_total !== items) fail(`items_total ${counters.items_total} ≠ ${items}`);
  for (const name of ['done', 'failed', 'skipped'] as const) {
    const counter = counters[`items_${name}`];
    if (counter !== int(expected?.[name]))
      fail(`items_${name} is ${counter} but the rows say ${int(expected?.[name])}`);
  }

  const [order] = await sql`
    select count(*) as n from ${itemStages} a join ${itemStages} b
      on b.operation_id = a.operation_id and b.item_id = a.item_id and b.stage_index = a.stage_index + 1
    where a.operation_id = ${id} and b.status in ('in_progress', 'done', 'failed')
      and a.status not in ('done', 'skipped')`;
  if (int(order?.n) > 0) fail(`${order?.n} items entered stage N+1 before stage N was done`);

  if (options.failKeys && status !== 'cancelled') {
    const failedRows = await sql`
      select i.key, s.stage_index from ${itemStages} s join items i on i.id = s.item_id
      where s.operation_id = ${id} and s.status = 'failed'`;
    const seen = new Set<string>();
    const wanted: string[] = [];
    options.failKeys.forEach((keys, stage) => {
      for (const key of keys) {
        if (seen.has(key)) continue;
        seen.add(key);
        wanted.push(`${key}@${stage}`);
      }
    });
    const got = failedRows.map((row) => `${row.key}@${row.stage_index}`);
    if (got.sort().join() !== wanted.sort().join())
      fail(`failed rows ${got.join(' ')} ≠ expected ${wanted.join(' ')}`);
  }

  const [calls] = await sql`
    select count(*) as total, max(called_at_ms) as last_at,
      count(distinct (stage_name, item_id)) as item_stages from handler_calls where operation_id = ${id}`;
  const [repeated] = await sql`
    select count(*) as n from (select 1 from handler_calls where operation_id = ${id}
      group by stage_name, item_id having count(*) > 1) x`;
  const [uncalled] = await sql`
    select count(*) as n from ${itemStages} s where s.operation_id = ${id} and s.status = 'done'
      and not exists (select 1 from handler_calls h where h.operation_id = s.operation_id
        and h.stage_name = (${stageNames as string[]}::text[])[s.stage_index + 1] and h.item_id = s.item_id)`;
  if (int(uncalled?.n) > 0) fail(`${uncalled?.n} done item stages have no handler call`);
  const [afterFailure] = await sql`
    select count(*) as n from handler_calls h join ${itemStages} f
      on f.operation_id = h.operation_id and f.item_id = h.item_id and f.status = 'failed'
    where h.operation_id = ${id}
      and array_position(${stageNames as string[]}::text[], h.stage_name) - 1 > f.stage_index`;
  if (int(afterFailure?.n) > 0)
    fail(`${afterFailure?.n} handler calls in stages after an item had failed`);

  if (options.api) {
    const view = await options.api.getOperation(id);
    if (view.status !== status) fail(`API status ${view.status} ≠ row ${status}`);
    const apiCounts = view.counts;
    const pairs: [string, number, number][] = [
      ['items', apiCounts.items, counters.items_total],
      ['done', apiCounts.done, counters.items_done],
      ['failed', apiCounts.failed, counters.items_failed],
      ['skipped', apiCounts.skipped, counters.items_skipped],
    ];
    for (const [name, fromApi, fromRow] of pairs)
      if (fromApi !== fromRow) fail(`API counts.${name} ${fromApi} ≠ operations row ${fromRow}`);
    const perStage = await sql`
      select stage_index, status, count(*) as n from ${itemStages} x where operation_id = ${id}
      group by 1, 2`;
    const key = {
      pending: 'pending',
      in_progress: 'inProgress',
      done: 'done',
      failed: 'failed',
      skipped: 'skipped',
    } as const;
    view.stages.forEach((stage: Record<string, number>, index: number) => {
      for (const [rowStatus, field] of Object.entries(key)) {
        const fromRows = int(
          perStage.find((r) => r.stage_index === index && r.status === rowStatus)?.n,
        );
        if (stage[field] !== fromRows)
          fail(`API stages[${index}].${field} ${stage[field]} ≠ rows ${fromRows}`);
      }
    });
  }

  return {
    operationId: id,
    status,
    violations,
    rows,
    counters,
    calls: {
      total: int(calls?.total),
      itemStagesCalled: int(calls?.item_stages),
      calledMoreThanOnce: int(repeated?.n),
      lastCallAt: calls?.last_at == null ? null : Number(calls.last_at),
    },
  };
}
