import type postgres from 'postgres';
import type { ItemSelection, ItemStageStatus, ItemStateFilter } from '../common/domain';
import { isoTime, keyPrefixCondition } from './items';

/**
 * An item's state across runs (DESIGN "State per item across runs", seed 004): per stage of a
 * job, the latest final outcome any production operation of that job recorded for the item, in
 * either ledger format. Stages are named as the job names them, so a state outlives job versions
 * that keep the name. Test and dry runs keep nothing, so they count for nothing here.
 */

/** Which items a start over a collection takes by their state under its job. */
export type StateSelection = Exclude<ItemSelection, 'stale'>;

/** One stage's latest final outcome for an item. */
export interface ItemStageState {
  job: string;
  stage: string;
  status: Extract<ItemStageStatus, 'done' | 'failed' | 'skipped'>;
  operationId: string;
  finishedAt: string | null;
}

interface JobStages {
  tenantId: string;
  jobId: string;
  /** The stages a state must cover, by name. */
  stages: string[];
}

/** Which final outcomes to read: a tenant's, of one job or every one, of some items or all. */
interface OutcomeFilter {
  tenantId: string;
  jobId?: string;
  itemIds?: number[];
}

/**
 * Every final outcome of production operations, one row per item-stage, of both formats. Each
 * filter is given inside both halves, so each reaches its own index (by operation, or by item).
 */
function finalOutcomes(sql: postgres.Sql, filter: OutcomeFilter) {
  const ofJob = filter.jobId ? sql`and o.job_id = ${filter.jobId}::uuid` : sql``;
  const ofItems = (column: string) =>
    filter.itemIds ? sql`and ${sql(column)} = any(${filter.itemIds}::int8[])` : sql``;
  return sql`(
    select s.item_id::int8 as item_id, o.job_id, o.job_name,
      o.definition->'stages'->s.stage_index->>'name' as stage, s.status, o.id as operation_id,
      s.finished_at, o.created_at
    from operations o join item_stages s on s.operation_id = o.id
    where o.tenant_id = ${filter.tenantId}::uuid ${ofJob} and o.mode = 'production'
      and o.ledger = 1 and s.status in ('done', 'failed', 'skipped') ${ofItems('s.item_id')}
    union all
    select oc.item_id, o.job_id, o.job_name, o.definition->'stages'->oc.stage->>'name',
      oc.status, o.id, oc.finished_at, o.created_at
    from operations o join outcomes oc on oc.operation_key = o.key
    where o.tenant_id = ${filter.tenantId}::uuid ${ofJob} and o.mode = 'production'
      and o.ledger = 2 ${ofItems('oc.item_id')}
  )`;
}

/**
 * The latest final outcome per item, job and stage name, of the items `where` picks from
 * `items i`, in the stages named (all when none are).
 */
function latestStates(
  sql: postgres.Sql,
  filter: OutcomeFilter & { stages?: string[] },
  where: postgres.PendingQuery<postgres.Row[]>,
) {
  return sql`(
    select distinct on (x.item_id, x.job_id, x.stage) x.item_id, x.job_name, x.stage, x.status,
      x.operation_id, x.finished_at
    from ${finalOutcomes(sql, filter)} x
    join items i on i.id = x.item_id
    where ${where} ${filter.stages ? sql`and x.stage = any(${filter.stages}::text[])` : sql``}
    order by x.item_id, x.job_id, x.stage, x.finished_at desc nulls last, x.created_at desc
  )`;
}

/** Per item of the collection: how many of the stages are final, and whether one failed. */
function collectionTally(sql: postgres.Sql, job: JobStages, collectionId: string) {
  return sql`(
    select st.item_id, count(*)::int as final, bool_or(st.status = 'failed') as failed
    from ${latestStates(sql, job, sql`i.collection_id = ${collectionId}::uuid`)} st
    group by st.item_id
  )`;
}

/** The condition on `t` (a tally, null for an item no run reached) that the filter keeps. */
function filterCondition(sql: postgres.Sql, filter: ItemStateFilter, stageCount: number) {
  if (filter === 'failed') return sql`coalesce(t.failed, false)`;
  if (filter === 'unprocessed') return sql`coalesce(t.final, 0) < ${stageCount}`;
  return sql`coalesce(t.final, 0) >= ${stageCount} and not coalesce(t.failed, false)`;
}

/**
 * The collection's items a start with `only` takes, in id order: `unprocessed`, those without a
 * final outcome in one of the stages (never reached, or cut short by a cancel); `failed`, those
 * whose latest outcome in one of them failed.
 */
export async function itemIdsInState(
  sql: postgres.Sql,
  job: JobStages,
  collectionId: string,
  selection: StateSelection,
): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select i.id::int8 as id
    from items i left join ${collectionTally(sql, job, collectionId)} t on t.item_id = i.id
    where i.collection_id = ${collectionId}::uuid
      and ${filterCondition(sql, selection, job.stages.length)}
    order by i.id`;
  return rows.map((row) => row.id);
}

/**
 * A page of the collection's item ids in the filter's state under the job, after `afterId`: the
 * item list's `job` and `state` filter.
 */
export async function itemIdPageInState(
  sql: postgres.Sql,
  job: JobStages,
  collectionId: string,
  filter: ItemStateFilter,
  page: { afterId: number; limit: number; keyPrefix?: string },
): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select i.id::int8 as id
    from items i left join ${collectionTally(sql, job, collectionId)} t on t.item_id = i.id
    where i.collection_id = ${collectionId}::uuid and i.id > ${page.afterId}
      ${keyPrefixCondition(sql, 'i.key', page.keyPrefix)}
      and ${filterCondition(sql, filter, job.stages.length)}
    order by i.id
    limit ${page.limit}`;
  return rows.map((row) => row.id);
}

/** One item's states under every job that ran over it, by job name and stage. */
export async function statesOfItem(
  sql: postgres.Sql,
  tenantId: string,
  itemId: number,
): Promise<ItemStageState[]> {
  return sql<ItemStageState[]>`
    select st.job_name as job, st.stage, st.status, st.operation_id as "operationId",
      ${isoTime(sql, 'st.finished_at')} as "finishedAt"
    from ${latestStates(sql, { tenantId, itemIds: [itemId] }, sql`true`)} st
    order by st.job_name, st.stage`;
}

/** The states of these items under the job, by item id; an item no run reached has none. */
export async function statesOfItems(
  sql: postgres.Sql,
  job: JobStages,
  itemIds: number[],
): Promise<Map<number, ItemStageState[]>> {
  const states = new Map<number, ItemStageState[]>();
  if (itemIds.length === 0) return states;
  const rows = await sql<(ItemStageState & { itemId: number })[]>`
    select st.item_id::int8 as "itemId", st.job_name as job, st.stage, st.status,
      st.operation_id as "operationId", ${isoTime(sql, 'st.finished_at')} as "finishedAt"
    from ${latestStates(sql, { ...job, itemIds }, sql`true`)} st
    order by st.item_id, array_position(${job.stages}::text[], st.stage)`;
  for (const { itemId, ...state } of rows) {
    const list = states.get(itemId) ?? [];
    list.push(state);
    states.set(itemId, list);
  }
  return states;
}
