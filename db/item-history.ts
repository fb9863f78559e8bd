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
 * The item's stages across the tenant's operations of both ledger formats, newest operation first
 * and, within one, the last stage first; at most `limit`. Reached through each format's item
 * index. A version-2 item-stage shows its outcome, or, while it has none, its last failed
 * attempt as a pending stage, as version 1 keeps it (found per operation of the tenant: those
 * rows are indexed by operation, then item); its other pending stages are not shown (the scope's
 * arrays have no index by item).
 */
export async function itemHistory(
  sql: postgres.Sql,
  tenantId: string,
  itemId: number,
  limit: number,
): Promise<ItemHistoryEntry[]> {
  return sql<ItemHistoryEntry[]>`
    select h.operation_id as "operationId", o.job_name as "jobName",
      coalesce(o.definition->'stages'->h.stage_index->>'name', h.stage_index::text) as stage,
      h.status, h.attempts, h.handler_version as "handlerVersion", h.error,
      ${isoTime(sql, 'h.started_at')} as "startedAt", ${isoTime(sql, 'h.finished_at')} as "finishedAt",
      h.duration_ms as "durationMs"
    from (
      select s.operation_id, s.stage_index, s.status, s.attempts, s.handler_version, s.error,
        s.started_at, s.finished_at, s.duration_ms
      from item_stages s where s.item_id = ${itemId}
      union all
      -- A stage skipped for an earlier failure (handler version '') ran nothing: no attempt and
      -- no handler version, as version 1 shows it.
      select op.id, oc.stage, oc.status, case when oc.handler_version = '' then 0 else oc.attempt end,
        nullif(oc.handler_version, ''), oc.error,
        oc.finished_at - oc.duration_ms * interval '1 millisecond', oc.finished_at, oc.duration_ms
      from outcomes oc join operations op on op.key = oc.operation_key
      where oc.item_id = ${itemId}
      union all
      select op.id, e.stage, 'pending', max(e.attempt), null, (array_agg(e.error order by e.attempt desc))[1],
        null, null, null
      from operations op join item_attempt_errors e on e.operation_key = op.key
      where op.tenant_id = ${tenantId}::uuid and op.ledger = 2 and e.item_id = ${itemId}
        and not exists (
        select 1 from outcomes oc
        where oc.operation_key = e.operation_key and oc.item_id = e.item_id and oc.stage = e.stage)
      group by op.id, e.stage
    ) h
    join operations o on o.id = h.operation_id
    where o.tenant_id = ${tenantId}::uuid
    order by o.created_at desc, h.operation_id desc, h.stage_index desc
    limit ${limit}`;
}
