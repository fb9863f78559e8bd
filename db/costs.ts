import type postgres from 'postgres';

export interface CostEntry {
  /** Null for a cost of the operation as a whole (a discovery run). */
  itemId: number | null;
  amount: number;
  unit: string;
}

export async function insertCosts(
  sql: postgres.Sql,
  context: { tenantId: string; operationId: string; jobName: string; stageName: string },
  entries: CostEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const payload = entries.map((entry) => ({
    item_id: entry.itemId,
    amount: entry.amount,
    unit: entry.unit,
  }));
  // The day's totals grow in the same statement (and so the same transaction) as the costs,
  // units in one order so that concurrent batches lock the day rows without deadlocking.
  await sql`
    with inserted as (
      insert into costs (tenant_id, operation_id, job_name, stage_name, item_id, amount, unit)
      select ${context.tenantId}::uuid, ${context.operationId}, ${context.jobName}, ${context.stageName}, c.item_id, c.amount, c.unit
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as c(item_id int8, amount float8, unit text)
      returning created_at, amount, unit
    )
    insert into cost_days (tenant_id, day, job_name, stage_name, unit, amount, entries)
    select ${context.tenantId}::uuid, (created_at at time zone 'UTC')::date, ${context.jobName},
      ${context.stageName}, unit, sum(amount), count(*)
    from inserted
    group by 2, 5
    order by 5
    on conflict (tenant_id, day, job_name, stage_name, unit) do update
      set amount = cost_days.amount + excluded.amount, entries = cost_days.entries + excluded.entries`;
}

export interface CostTotal {
  stageName: string;
  unit: string;
  amount: number;
  items: number;
}

export async function operationCosts(sql: postgres.Sql, operationId: string): Promise<CostTotal[]> {
  return sql<CostTotal[]>`
    select stage_name as "stageName", unit, sum(amount)::float8 as amount, count(*)::int as items
    from costs where operation_id = ${operationId}
    group by stage_name, unit order by stage_name, unit`;
}
