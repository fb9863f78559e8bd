import { logger } from '../common/log';
import type { Database, Tx } from '../db/client';
import {
  collectionItemCount,
  findTenantQuotas,
  type LeasedQuota,
  releaseQuotaLease,
  renewQuotaLease,
  takeQuotaLease,
} from '../db/quotas';
import { problems } from './problems';

/**
 * How the API holds tenants to their quotas (common/quotas.ts).
 *
 * Counts kept in Postgres (operations in flight, schedules, webhooks) are checked under a lock
 * in the transaction that adds the row (operations/quotas.ts). Items are checked after the
 * upsert in its transaction: the collection's row lock, taken by the item_count update, orders
 * concurrent writers one at a time.
 *
 * What is open in an API process (event streams, exports) is counted by leases in Postgres
 * rather than per-process counters: the API is stateless and runs as many processes as a
 * deployment wants, and a per-process counter would let a tenant hold its quota in each of them.
 * A lease is renewed while its stream is open and deleted when it ends; a process that dies
 * leaves leases that stop counting when they expire, LEASE_SECONDS later at most.
 */

/** How long a lease counts without renewal: what a crashed process's streams hold at most. */
const LEASE_SECONDS = 60;
/** A third of the lease: two renewals may fail (a slow Postgres) before a lease lapses. */
const RENEW_EVERY_MS = (LEASE_SECONDS / 3) * 1000;

/**
 * In the transaction that upserted a collection's items, after the upsert: refuses with 429 when
 * the collection now holds more than the tenant's quota, and so rolls the upsert back.
 */
export async function refuseOverfullCollection(
  tx: Tx,
  tenantId: string,
  collectionId: string,
): Promise<void> {
  const limit = (await findTenantQuotas(tx.sql, tenantId)).itemsPerCollection;
  const count = await collectionItemCount(tx.sql, collectionId);
  if (count > limit) {
    throw problems.quotaExceeded(
      'itemsPerCollection',
      limit,
      `These items would bring the collection to ${count} items; nothing was written`,
    );
  }
}

/**
 * Takes one of the tenant's `quota` (an open stream, an export) for as long as the caller holds
 * it, or refuses with 429 and `Retry-After`. The returned function gives it back (once, however
 * often it is called), resolving when its place is free for the next request.
 */
export async function holdQuotaLease(
  database: Database,
  tenantId: string,
  quota: LeasedQuota,
): Promise<() => Promise<void>> {
  const limit = (await findTenantQuotas(database.sql, tenantId))[quota];
  const id = await takeQuotaLease(database.sql, tenantId, quota, limit, LEASE_SECONDS);
  if (!id) {
    throw problems.quotaExceeded(
      quota,
      limit,
      `This tenant already has ${limit} ${quota === 'openStreams' ? 'event streams open' : 'exports streaming'}; close one or wait`,
    );
  }
  // A failed renewal or release is logged and left: the lease lapses on its own.
  const forget = (error: unknown) =>
    logger().warn(`quota lease ${id} (${quota}): ${(error as Error).message}`);
  const renewal = setInterval(() => {
    renewQuotaLease(database.sql, id, LEASE_SECONDS).catch(forget);
  }, RENEW_EVERY_MS);
  renewal.unref();
  let released: Promise<void> | undefined;
  return () => {
    clearInterval(renewal);
    released ??= releaseQuotaLease(database.sql, id).catch(forget);
    return released;
  };
}
