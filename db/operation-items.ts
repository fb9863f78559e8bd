import type postgres from 'postgres';
import type { ItemStageStatus } from '../common/domain';
import { lastAttemptError, scopeItems } from './operation-scope';
import type { LedgerOf } from './operations';

export interface OperationItemRow {
  itemId: number;
  key: string;
  stages: {
    stage: string;
    status: ItemStageStatus;
    attempts: number;
    error: string | null;
    durationMs: number | null;
  }[];
}

export interface OperationItemsOptions {
  stageIndex?: number;
  status?: ItemStageStatus;
  afterItemId?: number;
  limit: number;
}

type StateRow = {
  itemId: number;
  key: string;
  states: [number, ItemStageStatus, number, string | null, number | null][];
};

/**
 * An operation's items with the state of each in every stage, in either ledger format;
 * filtered by a stage's status when asked, paged by item id.
 */
export async function listOperationItems(
  sql: postgres.Sql,
  operation: LedgerOf,
  stages: { name: string }[],
  options: OperationItemsOptions,
): Promise<OperationItemRow[]> {
  const rows =
    operation.ledger === 2
      ? await outcomeStates(sql, operation.key, stages.length, options)
      : await itemStageStates(sql, operation.id, options);
  return rows.map((row) => ({
    itemId: row.itemId,
    key: row.key,
    stages: row.states.map(([index, status, attempts, error, durationMs]) => ({
      stage: stages[index]?.name ?? String(index),
      status,
      attempts,
      error,
      durationMs,
    })),
  }));
}

function itemStageStates(sql: postgres.Sql, operationId: string, options: OperationItemsOptions) {
  return sql<StateRow[]>`
    with page as (
      select item_id from item_stages
      where operation_id = ${operationId} and stage_index = ${options.stageIndex ?? 0}
        and item_id > ${options.afterItemId ?? -1}
        ${options.status ? sql`and status = ${options.status}` : sql``}
      order by item_id limit ${options.limit}
    )
    select p.item_id as "itemId", coalesce(i.key, 'global') as key,
      json_agg(json_build_array(s.stage_index, s.status, s.attempts, s.error, s.duration_ms) order by s.stage_index) as states
    from page p
    join item_stages s on s.operation_id = ${operationId} and s.item_id = p.item_id
    left join items i on i.id = p.item_id
    group by p.item_id, i.key
    order by p.item_id`;
}

/**
 * Version 2: each state comes from the item-stage's outcome, and an item-stage without one is
 * pending (nothing is written to start work, so nothing says in progress), with its last failed
 * attempt if it had one. A stage skipped for an earlier failure (its outcome's handler version is
 * '') had no attempt, as in version 1. A page of a recorded status walks the outcomes' primary key in item
 * order; any other page comes from the frozen scope.
 */
function outcomeStates(
  sql: postgres.Sql,
  operationKey: number,
  stageCount: number,
  options: OperationItemsOptions,
) {
  const { status, stageIndex = 0, afterItemId = -1, limit } = options;
  const page =
    status && status !== 'pending'
      ? sql`select o.item_id from outcomes o
          where o.operation_key = ${operationKey} and o.item_id > ${afterItemId}
            and o.stage = ${stageIndex} and o.status = ${status}
          order by o.item_id limit ${limit}`
      : sql`select sc.item_id from ${scopeItems(sql, operationKey, afterItemId)} sc
          ${status ? sql`where not exists (select 1 from outcomes o where o.operation_key = ${operationKey} and o.item_id = sc.item_id and o.stage = ${stageIndex})` : sql``}
          order by sc.item_id limit ${limit}`;
  return sql<StateRow[]>`
    with page as (${page})
    select p.item_id as "itemId", coalesce(i.key, 'global') as key,
      json_agg(json_build_array(g.stage, coalesce(o.status, 'pending'),
        coalesce(case when o.handler_version = '' then 0 else o.attempt::int end, e.attempts, 0),
        coalesce(o.error, e.error), o.duration_ms)
        order by g.stage) as states
    from page p
    cross join generate_series(0, ${stageCount - 1}::int) as g(stage)
    left join outcomes o on o.operation_key = ${operationKey} and o.item_id = p.item_id and o.stage = g.stage
    left join lateral ${lastAttemptError(sql, operationKey, 'p.item_id', 'g.stage')} e on o.item_id is null
    left join items i on i.id = p.item_id
    group by p.item_id, i.key
    order by p.item_id`;
}
