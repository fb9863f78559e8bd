/**
 * Ledger version 2's batches in flight (docs/ledger.md): one row a batch, not one per item, so
 * an operation's view can still say how many items are in progress.
 */
import type postgres from 'postgres';
import type { SliceOf } from './outcomes';

export interface RunningBatch extends SliceOf {
  stages: number[];
  attempt: number;
}

/** A batch starts: its row, taken over by a retry of the same slice and stages. */
export async function startRunningBatch(sql: postgres.Sql, batch: RunningBatch): Promise<void> {
  await sql`
    insert into running_batches (operation_key, chunk_index, from_position, to_position, stages,
      attempt)
    values (${batch.operationKey}, ${batch.chunkIndex}, ${batch.from}, ${batch.to},
      ${batch.stages}::int2[], ${batch.attempt})
    on conflict (operation_key, chunk_index, from_position, stages) do update
      set to_position = excluded.to_position, attempt = excluded.attempt, started_at = now()`;
}

/** A batch ends: its row goes, unless a later attempt of it has taken the row over. */
export async function endRunningBatch(sql: postgres.Sql, batch: RunningBatch): Promise<void> {
  await sql`
    delete from running_batches
    where operation_key = ${batch.operationKey} and chunk_index = ${batch.chunkIndex}
      and from_position = ${batch.from} and stages = ${batch.stages}::int2[]
      and attempt <= ${batch.attempt}`;
}

/** The operation is over: rows left by batches whose workers died go with it. */
export async function clearRunningBatches(sql: postgres.Sql, operationKey: number): Promise<void> {
  await sql`delete from running_batches where operation_key = ${operationKey}`;
}

/**
 * Items in progress by stage: an item of a running batch is in progress in each of the batch's
 * stages where it has no outcome yet. Outcomes are written every heartbeat, so a fused run's
 * items show in progress in all its stages for up to a second after they passed some.
 */
export async function inProgressByStage(
  sql: postgres.Sql,
  operationKey: number,
): Promise<Map<number, number>> {
  const rows = await sql<{ stage: number; count: number }[]>`
    select s.stage, count(*)::int as count
    from running_batches b
    join operation_chunks c on c.operation_key = b.operation_key and c.chunk_index = b.chunk_index
    cross join lateral unnest(c.item_ids[b.from_position:b.to_position]) as i(id)
    cross join lateral unnest(b.stages) as s(stage)
    where b.operation_key = ${operationKey}
      and not exists (select 1 from outcomes o
        where o.operation_key = b.operation_key and o.item_id = i.id and o.stage = s.stage)
    group by s.stage`;
  return new Map(rows.map((row) => [row.stage, row.count]));
}
