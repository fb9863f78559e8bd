import { DomainError, Unavailable } from '../common/domain-errors';
import { coerceError } from '../common/errors';
import {
  type BulkAction,
  bulkCandidates,
  type Operation,
  type OperationFilters,
} from '../db/operations';
import { cancelOperation } from './cancel';
import { retryItems } from './retry';
import type { Requester, StartContext } from './start';

/** Operations acted on at once: each is a Temporal call or a start, not worth more parallelism. */
const PARALLEL_ACTIONS = 8;

/** What a bulk action can do to one operation. */
export const BULK_OUTCOMES = [
  'cancelling',
  'cancelled',
  'retried',
  'already_retried',
  'skipped',
  'error',
] as const;

/** What a bulk action did to one operation. */
export interface BulkOutcome {
  outcome: (typeof BULK_OUTCOMES)[number];
  retryId?: string;
  detail?: string;
}

export interface BulkResult {
  /** Operations matching the filters that the action applies to. */
  matched: number;
  /** The newest `limit` of them, each with what happened to it (none on a dry run). */
  operations: { operation: Operation; outcome?: BulkOutcome }[];
}

/** Acts on one operation, answering what came of it rather than throwing. */
async function act(
  context: StartContext,
  action: BulkAction,
  operation: Operation,
  requester: Requester,
): Promise<BulkOutcome> {
  try {
    if (action === 'cancel') {
      return { outcome: await cancelOperation(context, operation, requester, { bulk: true }) };
    }
    // Keyed by the retried operation, so a repeated bulk retry finds its earlier retry.
    const result = await retryItems(context, operation, requester, {
      bulk: true,
      idempotencyKey: `retry-of:${operation.id}`,
    });
    return {
      outcome: result.operation && !result.created ? 'already_retried' : 'retried',
      retryId: result.operation?.id,
    };
  } catch (thrown) {
    return outcomeOfFailure(thrown);
  }
}

/**
 * A refusal in the domain's terms (it finished meanwhile, nothing failed, over a quota) skips
 * the operation; anything else, Temporal's absence included, is an error worth repeating the
 * request for.
 */
export function outcomeOfFailure(thrown: unknown): BulkOutcome {
  if (thrown instanceof DomainError && !(thrown instanceof Unavailable)) {
    return { outcome: 'skipped', detail: thrown.message };
  }
  return { outcome: 'error', detail: coerceError(thrown).message };
}

/** Runs `work` over `items`, a few at a time, keeping their order in the answer. */
async function mapBounded<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_ACTIONS, items.length) }, lane));
  return results;
}

/**
 * Cancels, or retries the failures of, the newest `limit` of the requester's operations that
 * match `filters` and the action applies to; a dry run only finds them.
 */
export async function actInBulk(
  context: StartContext,
  requester: Requester,
  action: BulkAction,
  filters: OperationFilters,
  { limit, dryRun }: { limit: number; dryRun: boolean },
): Promise<BulkResult> {
  const { matched, rows } = await bulkCandidates(
    context.database.db,
    requester.tenantId,
    filters,
    action,
    limit,
  );
  if (dryRun) return { matched, operations: rows.map((operation) => ({ operation })) };
  const outcomes = await mapBounded(rows, (row) => act(context, action, row, requester));
  return {
    matched,
    operations: rows.map((operation, index) => ({ operation, outcome: outcomes[index] })),
  };
}
