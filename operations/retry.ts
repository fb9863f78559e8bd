import { Conflict } from '../common/domain-errors';
import { appendEvent } from '../db/events';
import { failedItemIds, type Operation } from '../db/operations';
import { type Asked, askedBy, refuseUnlessAllowed } from './actions';
import { type Requester, type StartContext, type StartResult, startOperation } from './start';

export interface RetryOptions extends Asked {
  /** Makes repeating the retry return the first one instead of starting another. */
  idempotencyKey?: string;
}

/**
 * Starts a new operation (scope `items`, linked by `retryOf`) over the items that failed in a
 * finished one, with the definition it ran; the retried operation gets an `operation.retried`
 * event in the same transaction. A Conflict while it runs or when nothing failed.
 */
export async function retryFailedItems(
  context: StartContext,
  operation: Operation,
  requester: Requester,
  options: RetryOptions = {},
): Promise<StartResult> {
  refuseUnlessAllowed(operation, 'retry');
  const failed = await failedItemIds(context.database.sql, operation);
  if (failed.length === 0) {
    throw new Conflict(`Operation ${operation.id} has no failed items to retry.`);
  }
  const global = operation.scope === 'global';
  return startOperation(
    context,
    requester,
    {
      job: operation.jobId ?? operation.jobName,
      scope: global ? 'global' : 'items',
      itemIds: global ? undefined : failed,
      params: {},
      mode: operation.mode,
      idempotencyKey: options.idempotencyKey,
    },
    {
      retryOf: operation.id,
      definition: operation.definition,
      alsoRecord: (tx, retry) =>
        appendEvent(tx.db, {
          tenantId: operation.tenantId,
          operationId: operation.id,
          type: 'operation.retried',
          data: { retryId: retry.id, items: failed.length, ...askedBy(requester, options) },
        }),
    },
  );
}
