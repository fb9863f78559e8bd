import type postgres from 'postgres';
import type { ItemStageStatus } from '../common/domain';
import { isoTime } from './items';

/** One item stage of an item, with the operation and stage it belongs to. */
export interface ItemHistoryEntry {
  operationId: string;
  jobName: string;
  stage: string;
  status: ItemStageStatus;
  attempts: number;
  handlerVersion: string | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

/**
 * The item's stages across the tenant's operations, newest operation first and, within one,
 * the last stage first; at most `limit`. Reached through the item-stage item index.
 */
export async function itemHistory(
  sql: postgres.Sql,
  tenantId: string,
  itemId: number,
  limit: number,
): Promise<ItemHistoryEntry[]> {
  return sql<ItemHistoryEntry[]>`
    select s.operation_id as "operationId", o.job_name as "jobName",
      coalesce(o.definition->'stages'->s.stage_index->>'name', s.stage_index::text) as stage,
      s.status, s.attempts, s.handler_version as "handlerVersion", s.error,
      ${isoTime(sql, 's.started_at')} as "startedAt", ${isoTime(sql, 's.finished_at')} as "finishedAt",
      s.duration_ms as "durationMs"
    from item_stages s
    join operations o on o.id = s.operation_id
    where s.item_id = ${itemId} and o.tenant_id = ${tenantId}::uuid
    order by o.created_at desc, s.operation_id desc, s.stage_index desc
    limit ${limit}`;
}
