import type postgres from 'postgres';
import { type QuotaName, type Quotas, quotasOf } from '../common/quotas';
import { finishedOperation } from './predicates';

/** The quotas whose count is rows of a table, checked in the transaction that adds one. */
export type CountedQuota = Extract<QuotaName, 'operationsInFlight' | 'schedules' | 'webhooks'>;
/** The quotas whose count is what API processes hold open: leases. */
export type LeasedQuota = Extract<QuotaName, 'openStreams' | 'exportsAtOnce'>;

/** The tenant's quotas: its overrides over the defaults; the defaults for an unknown tenant. */
export async function findTenantQuotas(sql: postgres.Sql, tenantId: string): Promise<Quotas> {
  const [row] = await sql<{ quotas: Record<string, unknown> }[]>`
    select quotas from tenants where id = ${tenantId}::uuid`;
  return quotasOf(row?.quotas);
}

/**
 * Holds the tenant's lock on one quota until the transaction ends, so that concurrent checks of
 * it (in any API process) run one after the other and each counts what the previous one added.
 */
export async function lockTenantQuota(
  sql: postgres.Sql,
  tenantId: string,
  quota: QuotaName,
): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`quota:${tenantId}:${quota}`}, 0))`;
}

/** The tenant's rows counted by `quota`, counted no further than `atMost`. */
export async function countTowardsQuota(
  sql: postgres.Sql,
  tenantId: string,
  quota: CountedQuota,
  atMost: number,
): Promise<number> {
  const rows = {
    operationsInFlight: sql`
      select 1 from operations
      where tenant_id = ${tenantId}::uuid and status <> all(${finishedOperation}::text[])`,
    schedules: sql`select 1 from schedules where tenant_id = ${tenantId}::uuid`,
    webhooks: sql`select 1 from webhooks where tenant_id = ${tenantId}::uuid`,
  }[quota];
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from (${rows} limit ${atMost}) as counted`;
  return row?.count ?? 0;
}

/**
 * Takes a lease on one unit of `quota` for the tenant when it holds fewer than `limit` live ones;
 * its id, or null when the quota is full. Leases past their time are deleted on the way.
 */
export async function takeQuotaLease(
  sql: postgres.Sql,
  tenantId: string,
  quota: LeasedQuota,
  limit: number,
  ttlSeconds: number,
): Promise<string | null> {
  return sql.begin(async (tx) => {
    const transaction = tx as unknown as postgres.Sql;
    await lockTenantQuota(transaction, tenantId, quota);
    await transaction`
      delete from quota_leases
      where tenant_id = ${tenantId}::uuid and quota = ${quota} and expires_at <= now()`;
    const [held] = await transaction<{ count: number }[]>`
      select count(*)::int as count from quota_leases
      where tenant_id = ${tenantId}::uuid and quota = ${quota}`;
    if ((held?.count ?? 0) >= limit) return null;
    const [lease] = await transaction<{ id: string }[]>`
      insert into quota_leases (tenant_id, quota, expires_at)
      values (${tenantId}::uuid, ${quota}, now() + make_interval(secs => ${ttlSeconds}))
      returning id`;
    return lease?.id ?? null;
  }) as Promise<string | null>;
}

/** The collection's item count as its writers keep it (in a transaction: as it wrote it). */
export async function collectionItemCount(
  sql: postgres.Sql,
  collectionId: string,
): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select item_count as count from collections where id = ${collectionId}::uuid`;
  return row?.count ?? 0;
}

export async function renewQuotaLease(
  sql: postgres.Sql,
  id: string,
  ttlSeconds: number,
): Promise<void> {
  await sql`
    update quota_leases set expires_at = now() + make_interval(secs => ${ttlSeconds})
    where id = ${id}::uuid`;
}

export async function releaseQuotaLease(sql: postgres.Sql, id: string): Promise<void> {
  await sql`delete from quota_leases where id = ${id}::uuid`;
}
