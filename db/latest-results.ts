import type postgres from 'postgres';

/**
 * Whose results to read: one item of a tenant, a list of items, a collection, or the item whose
 * id is in a column of the enclosing query (a lateral subquery per item).
 */
export type ResultScope =
  | { itemId: number; tenantId: string }
  | { itemIds: number[] }
  | { collectionId: string }
  | { itemOf: string };

function scopeConditions(sql: postgres.Sql, scope: ResultScope) {
  if ('itemOf' in scope) {
    return {
      results: sql`r.item_id = ${sql(scope.itemOf)}`,
      items: sql`ri.id = ${sql(scope.itemOf)}`,
    };
  }
  if ('itemIds' in scope) {
    return {
      results: sql`r.item_id = any(${scope.itemIds}::int8[])`,
      items: sql`ri.id = any(${scope.itemIds}::int8[])`,
    };
  }
  if ('collectionId' in scope) {
    return {
      results: sql`r.collection_id = ${scope.collectionId}::uuid`,
      items: sql`ri.collection_id = ${scope.collectionId}::uuid`,
    };
  }
  return {
    results: sql`r.item_id = ${scope.itemId} and r.tenant_id = ${scope.tenantId}::uuid`,
    items: sql`ri.id = ${scope.itemId} and ri.tenant_id = ${scope.tenantId}::uuid`,
  };
}

/**
 * The latest result per (item, handler) over both ledger formats, as a relation with the columns
 * of `results`: the row version 1 upserts there, or the newest done outcome of a production
 * version-2 operation (docs/ledger.md: the outcome row is the result), whichever is newer (the
 * row, on a tie). An outcome's handler and stage name are its operation's definition's. Each
 * half keeps the rows the other has nothing newer for, through the results primary key and
 * `outcomes_item_idx`, rather than sorting both halves together: a collection's results would
 * all be sorted even where no version-2 operation ran. Reached through `items`, so the global
 * item, which has none, has no result in either format.
 */
export function latestResults(sql: postgres.Sql, scope: ResultScope) {
  const where = scopeConditions(sql, scope);
  return sql`(
    select r.item_id, r.handler, r.tenant_id, r.collection_id, r.handler_version, r.output,
      r.operation_id, r.stage_name, r.updated_at
    from results r
    where ${where.results} and not exists (
      select 1 from outcomes oc
      join operations op on op.key = oc.operation_key and op.ledger = 2 and op.mode = 'production'
      where oc.item_id = r.item_id and oc.status = 'done' and oc.finished_at > r.updated_at
        and op.definition->'stages'->oc.stage->>'handler' = r.handler)
    union all
    select v.* from (
      select distinct on (oc.item_id, handler) oc.item_id,
        op.definition->'stages'->oc.stage->>'handler' as handler, op.tenant_id,
        ri.collection_id, oc.handler_version, oc.output, op.id as operation_id,
        op.definition->'stages'->oc.stage->>'name' as stage_name, oc.finished_at as updated_at
      from items ri
      join outcomes oc on oc.item_id = ri.id and oc.status = 'done'
      join operations op on op.key = oc.operation_key and op.ledger = 2 and op.mode = 'production'
      where ${where.items}
      order by oc.item_id, handler, oc.finished_at desc
    ) v
    where not exists (
      select 1 from results r
      where r.item_id = v.item_id and r.handler = v.handler and r.updated_at >= v.updated_at)
  )`;
}
