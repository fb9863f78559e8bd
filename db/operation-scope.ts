import type postgres from 'postgres';

/**
 * Version 2's scope as a relation `(item_id)`: the ids frozen in the operation's chunks. Chunks
 * hold sorted ids, each chunk's below the next's, so a chunk whose last id is at or below
 * `afterItemId` holds none of a later page and is not unnested.
 */
export function scopeItems(sql: postgres.Sql, operationKey: number, afterItemId = -1) {
  return sql`(
    select u.id as item_id
    from operation_chunks c cross join lateral unnest(c.item_ids) as u(id)
    where c.operation_key = ${operationKey} and c.item_ids[cardinality(c.item_ids)] > ${afterItemId}
      and u.id > ${afterItemId}
  )`;
}

/**
 * Version 2's last failed attempt of an item-stage still without an outcome, as a lateral
 * relation `(attempts, error)` for the item and stage in columns `itemColumn` and `stageColumn`:
 * what version 1 keeps on a pending row after a retryable failure.
 */
export function lastAttemptError(
  sql: postgres.Sql,
  operationKey: number,
  itemColumn: string,
  stageColumn: string,
) {
  return sql`(
    select e.attempt::int as attempts, e.error from item_attempt_errors e
    where e.operation_key = ${operationKey} and e.item_id = ${sql(itemColumn)}
      and e.stage = ${sql(stageColumn)}
    order by e.attempt desc limit 1
  )`;
}
