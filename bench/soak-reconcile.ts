import type { Client } from '@temporalio/client';
import type postgres from 'postgres';
import { gatherEvidence } from './soak-evidence';
import type { OpRecord } from './soak-load';

export interface Reconciliation {
  checked: number;
  mismatched: number;
  mismatches: string[];
  byStatus: Record<string, number>;
  temporalByStatus: Record<string, number>;
  workflowsListed: number;
  longestHistory: { workflowId: string; runId: string; length: number };
  events: { type: string; count: number }[];
  itemStages: { done: number; failed: number; skipped: number; total: number };
  /** For the first mismatched operations: what the soak did, their events, their history's tail. */
  evidence: [string, string[]][];
}

interface OperationRow {
  id: string;
  status: string;
  error: string | null;
  stages: number;
  itemsTotal: number;
  itemsDone: number;
  itemsFailed: number;
  itemsSkipped: number;
  rows: number;
  items: number;
  pending: number;
  inProgress: number;
  rowsDone: number;
  rowsFailed: number;
  rowsSkipped: number;
  itemsWithWrongRowCount: number;
}

const TEMPORAL_STATUS: Record<string, string> = {
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
  failed: 'FAILED',
};

async function forEachLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await run(items[next++] as T);
    }),
  );
}

/**
 * Checks every operation in Postgres against its item stages, its events, what the soak asked
 * of it, and its workflow in Temporal. Every disagreement is one line in `mismatches`.
 */
export async function reconcile(
  sql: postgres.Sql,
  temporal: Client,
  driven: Map<string, OpRecord>,
  log: (line: string) => void,
): Promise<Reconciliation> {
  const operations = await sql<OperationRow[]>`
    with ops as (
      select id, status, error, items_total, items_done, items_failed, items_skipped,
        jsonb_array_length(definition -> 'stages') as stages
      from operations
    ), per_item as (
      select s.operation_id, s.item_id, count(*)::int as rows,
        count(*) filter (where s.status = 'pending')::int as pending,
        count(*) filter (where s.status = 'in_progress')::int as in_progress,
        bool_or(s.status = 'failed') as failed,
        bool_or(s.stage_index = o.stages - 1 and s.status = 'done') as last_done,
        bool_or(s.stage_index = o.stages - 1 and s.status = 'skipped') as last_skipped
      from item_stages s join ops o on o.id = s.operation_id
      group by s.operation_id, s.item_id
    )
    select o.id, o.status, o.error, o.stages::int as stages,
      o.items_total as "itemsTotal", o.items_done as "itemsDone",
      o.items_failed as "itemsFailed", o.items_skipped as "itemsSkipped",
      coalesce(sum(p.rows), 0)::int as rows,
      count(p.item_id)::int as items,
      coalesce(sum(p.pending), 0)::int as pending,
      coalesce(sum(p.in_progress), 0)::int as "inProgress",
      count(*) filter (where p.last_done)::int as "rowsDone",
      count(*) filter (where p.failed)::int as "rowsFailed",
      count(*) filter (where p.last_skipped and not p.failed)::int as "rowsSkipped",
      count(*) filter (where p.rows <> o.stages)::int as "itemsWithWrongRowCount"
    from ops o left join per_item p on p.operation_id = o.id
    group by o.id, o.status, o.error, o.stages, o.items_total, o.items_done, o.items_failed,
      o.items_skipped
    order by o.id`;
  log(`reconciling ${operations.length} operations …`);

  const eventRows = await sql<{ operationId: string; type: string; count: number }[]>`
    select operation_id as "operationId", type, count(*)::int as count
    from events where operation_id is not null group by 1, 2`;
  const eventsOf = new Map<string, Map<string, number>>();
  for (const row of eventRows) {
    const types = eventsOf.get(row.operationId) ?? new Map<string, number>();
    types.set(row.type, row.count);
    eventsOf.set(row.operationId, types);
  }

  const mismatches: string[] = [];
  const mismatchedIds = new Set<string>();
  const byStatus: Record<string, number> = {};
  const note = (id: string, what: string) => {
    mismatchedIds.add(id);
    mismatches.push(`${id}: ${what}`);
  };

  for (const op of operations) {
    byStatus[op.status] = (byStatus[op.status] ?? 0) + 1;
    const id = op.id;
    if (!TEMPORAL_STATUS[op.status]) note(id, `status ${op.status} after the drain`);
    if (op.status === 'cancelled') {
      if (op.inProgress > 0) note(id, `cancelled with ${op.inProgress} item stages in_progress`);
    } else if (op.pending + op.inProgress > 0) {
      note(id, `${op.status} with ${op.pending} pending and ${op.inProgress} in_progress`);
    }
    const counters = `done/failed/skipped ${op.itemsDone}/${op.itemsFailed}/${op.itemsSkipped}`;
    const rows = `${op.rowsDone}/${op.rowsFailed}/${op.rowsSkipped}`;
    if (
      op.itemsDone !== op.rowsDone ||
      op.itemsFailed !== op.rowsFailed ||
      op.itemsSkipped !== op.rowsSkipped
    ) {
      note(id, `counters ${counters} but item_stages say ${rows}`);
    }
    if (op.rows !== op.itemsTotal * op.stages || op.items !== op.itemsTotal) {
      note(
        id,
        `${op.rows} item_stages rows over ${op.items} items; items_total ${op.itemsTotal} × ${op.stages} stages = ${op.itemsTotal * op.stages}`,
      );
    }
    if (op.itemsWithWrongRowCount > 0)
      note(id, `${op.itemsWithWrongRowCount} items without exactly one row per stage`);

    const types = eventsOf.get(id) ?? new Map<string, number>();
    const created = types.get('operation.created') ?? 0;
    const startedEvents = types.get('operation.started') ?? 0;
    const terminal = ['completed', 'failed', 'cancelled'].map(
      (status) => [status, types.get(`operation.${status}`) ?? 0] as const,
    );
    const terminalTotal = terminal.reduce((sum, [, count]) => sum + count, 0);
    if (created !== 1 || startedEvents > 1)
      note(id, `${created} operation.created and ${startedEvents} operation.started events`);
    if (terminalTotal !== 1 || (types.get(`operation.${op.status}`) ?? 0) !== 1) {
      note(
        id,
        `status ${op.status} but terminal events ${terminal.map(([s, c]) => `${s}×${c}`).join(', ')}`,
      );
    }

    const record = driven.get(id);
    if (!record) {
      note(id, 'not started by this soak');
      continue;
    }
    const { plan } = record;
    if (op.itemsTotal !== plan.expectedItems)
      note(id, `items_total ${op.itemsTotal}, expected ${plan.expectedItems} (${plan.scope})`);
    if (record.unexpected.length > 0)
      note(id, `unexpected control answers: ${record.unexpected.join(' | ')}`);
    if (record.apiStatus !== op.status)
      note(
        id,
        `the API said ${record.apiStatus} when its workflow closed; Postgres says ${op.status} now`,
      );
    const cancelAccepted = record.actions.includes('cancel');
    const allowed = cancelAccepted ? ['cancelled', 'completed'] : ['completed'];
    if (!allowed.includes(op.status)) {
      note(
        id,
        `ended ${op.status}${op.error ? ` (${op.error})` : ''}; expected ${allowed.join(' or ')} (action ${plan.action}, accepted ${record.actions.join(',') || 'none'})`,
      );
    }
    if (op.status === 'completed') {
      // Exactly the failKeys in scope fail (in stage 0; later stages skip them); flaky keys recover.
      const [expected] = plan.failKeys.length
        ? await sql<{ count: number }[]>`
            select count(*)::int as count from items i
            join item_stages s on s.operation_id = ${id} and s.stage_index = 0 and s.item_id = i.id
            where i.collection_id = ${plan.collection.id} and i.key = any(${plan.failKeys}::text[])`
        : [{ count: 0 }];
      const failed = expected?.count ?? 0;
      if (op.itemsFailed !== failed || op.itemsDone !== op.itemsTotal - failed)
        note(id, `completed with ${counters}; expected ${op.itemsTotal - failed}/${failed}/0`);
    }
  }
  for (const id of driven.keys()) {
    if (!operations.some((op) => op.id === id)) note(id, 'started by the soak but has no record');
  }

  log('describing every operation workflow in Temporal …');
  const temporalByStatus: Record<string, number> = {};
  await forEachLimited(operations, 8, async (op) => {
    try {
      const description = await temporal.workflow.getHandle(op.id).describe();
      const name = description.status.name;
      temporalByStatus[name] = (temporalByStatus[name] ?? 0) + 1;
      if (TEMPORAL_STATUS[op.status] !== name)
        note(op.id, `Postgres says ${op.status}, Temporal says ${name}`);
    } catch (error) {
      note(op.id, `describe failed: ${(error as Error).message}`);
    }
  });

  log('listing every workflow run for the longest history …');
  let workflowsListed = 0;
  const longestHistory = { workflowId: '', runId: '', length: 0 };
  for await (const run of temporal.workflow.list()) {
    workflowsListed++;
    if (run.status.name === 'RUNNING')
      note(run.workflowId, `workflow run ${run.runId} still RUNNING after the drain`);
    if ((run.historyLength ?? 0) > longestHistory.length) {
      Object.assign(longestHistory, {
        workflowId: run.workflowId,
        runId: run.runId,
        length: run.historyLength,
      });
    }
  }

  const evidence: [string, string[]][] = [];
  for (const id of [...mismatchedIds].filter((id) => id.startsWith('op-')).slice(0, 10)) {
    const lines = await gatherEvidence(sql, temporal, id, driven.get(id)).catch((error: Error) => [
      `gathering evidence failed: ${error.message}`,
    ]);
    evidence.push([id, lines]);
  }

  const events = await sql<{ type: string; count: number }[]>`
    select type, count(*)::int as count from events group by type order by count desc, type`;
  const [itemStages] = await sql<Reconciliation['itemStages'][]>`
    select count(*) filter (where status = 'done')::int as done,
      count(*) filter (where status = 'failed')::int as failed,
      count(*) filter (where status = 'skipped')::int as skipped,
      count(*)::int as total
    from item_stages`;
  return {
    checked: operations.length,
    mismatched: mismatchedIds.size,
    mismatches,
    byStatus,
    temporalByStatus,
    workflowsListed,
    longestHistory,
    events,
    itemStages: itemStages ?? { done: 0, failed: 0, skipped: 0, total: 0 },
    evidence,
  };
}

/** What the report shows when the reconciliation itself could not run to its end. */
export function failedReconciliation(error: Error): Reconciliation {
  return {
    checked: 0,
    mismatched: 1,
    mismatches: [`the reconciliation failed: ${error.stack ?? error.message}`],
    byStatus: {},
    temporalByStatus: {},
    workflowsListed: 0,
    longestHistory: { workflowId: '', runId: '', length: 0 },
    events: [],
    itemStages: { done: 0, failed: 0, skipped: 0, total: 0 },
    evidence: [],
  };
}
