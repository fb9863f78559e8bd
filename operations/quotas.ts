import { QuotaExceeded } from '../common/domain-errors';
import type { Quotas } from '../common/quotas';
import type { Tx } from '../db/client';
import {
  type CountedQuota,
  countTowardsQuota,
  findTenantQuotas,
  lockTenantQuota,
} from '../db/quotas';

/**
 * Counts kept in Postgres (operations in flight, schedules, webhooks) are checked in the
 * transaction that adds the row, under a per-tenant advisory lock for that quota, so concurrent
 * requests in any number of API processes are admitted one at a time and never overshoot.
 */

/**
 * Refuses an operation more urgent than the tenant may start (a lower number is more urgent);
 * no wait makes it allowed.
 */
export function refuseAbovePriority(quotas: Quotas, priority: number): void {
  const highest = quotas.highestPriority;
  if (priority < highest) {
    throw new QuotaExceeded(
      'highestPriority',
      highest,
      `Priority ${priority} is more urgent than this tenant may use; ask for ${highest} or a larger number`,
    );
  }
}

const COUNTED: Record<CountedQuota, string> = {
  operationsInFlight: 'unfinished operations',
  schedules: 'schedules',
  webhooks: 'webhooks',
};

/**
 * In the transaction that adds one row counted by `quota`: waits for the tenant's lock on it, then
 * refuses when the tenant already has as many as its quota allows.
 */
export async function admitOneMore(tx: Tx, tenantId: string, quota: CountedQuota): Promise<void> {
  await lockTenantQuota(tx.sql, tenantId, quota);
  const limit = (await findTenantQuotas(tx.sql, tenantId))[quota];
  const count = await countTowardsQuota(tx.sql, tenantId, quota, limit);
  if (count >= limit) {
    throw new QuotaExceeded(quota, limit, `This tenant has ${count} ${COUNTED[quota]}`);
  }
}
