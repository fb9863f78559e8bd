import type postgres from 'postgres';
import { latestResults } from './latest-results';

/**
 * What the handlers in `reads` returned for each of `itemIds`, by item and handler name: the
 * output kept by this operation's latest earlier stage that ran the handler (`stageHandlers`
 * lists the earlier stages' handlers in order), else the item's latest result of that handler.
 * The operation's own outputs are looked for in both ledger formats: each half finds nothing
 * in the other's tables.
 */
export async function loadEarlierResults(
  sql: postgres.Sql,
  operationId: string,
  stageHandlers: readonly string[],
  reads: readonly string[],
  itemIds: number[],
): Promise<Map<number, Record<string, unknown>>> {
  const stages = stageHandlers
    .map((handler, stageIndex) => ({ handler, stageIndex }))
    .filter((stage) => reads.includes(stage.handler));
  const rows = await sql<{ itemId: number; handler: string; output: unknown }[]>`
    select distinct on (item_id, handler) item_id::int8 as "itemId", handler, output
    from (
      select s.item_id, e.handler, s.output, e.stage_index as rank
      from unnest(${stages.map((stage) => stage.stageIndex)}::int[],
        ${stages.map((stage) => stage.handler)}::text[]) as e(stage_index, handler)
      join item_stages s on s.operation_id = ${operationId} and s.stage_index = e.stage_index
      where s.item_id = any(${itemIds}::int8[]) and s.status = 'done' and s.output is not null
      union all
      select o.item_id, e.handler, o.output, e.stage_index
      from unnest(${stages.map((stage) => stage.stageIndex)}::int[],
        ${stages.map((stage) => stage.handler)}::text[]) as e(stage_index, handler)
      join operations op on op.id = ${operationId} and op.ledger = 2
      join outcomes o on o.operation_key = op.key and o.stage = e.stage_index
      where o.item_id = any(${itemIds}::int8[]) and o.status = 'done' and o.output is not null
      union all
      select r.item_id, r.handler, r.output, -1
      from ${latestResults(sql, { itemIds })} r
      where r.handler = any(${reads as string[]}::text[])
    ) found
    order by item_id, handler, rank desc`;
  const byItem = new Map<number, Record<string, unknown>>();
  for (const row of rows) {
    const results = byItem.get(row.itemId) ?? {};
    results[row.handler] = row.output;
    byItem.set(row.itemId, results);
  }
  return byItem;
}
