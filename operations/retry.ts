import type { RetrySelection } from '../common/domain';
import { Conflict } from '../common/domain-errors';
import { appendEvent } from '../db/events';
import { failedItemIds, type Operation, unfinishedItemIds } from '../db/operations';
import { type Asked, askedBy, refuseUnlessAllowed } from './actions';
import { type Requester, type StartContext, type StartResult, startOperation } from './start';

export interface RetryOptions extends Asked {
  /** Makes repeating the retry return the first one instead of starting another. */
  idempotencyKey?: string;
  /** The items to run again; `failed` unless given. */
  items?: RetrySelection;
}

/** The operation's items a retry of this selection takes, in id order. */
async function itemsToRetry(
  context: StartContext,
  operation: Operation,
  selection: RetrySelection,
): Promise<number[]> {
  const { sql } = context.database;
  const stageCount = operation.definition.stages.length;
  const failed = selection === 'unfinished' ? [] : await failedItemIds(sql, operation);
  const unfinished =
    selection === 'failed' ? [] : await unfinishedItemIds(sql, operation, stageCount);
  return [...new Set([...failed, ...unfinished])].sort((a, b) => a - b);
}

const NOTHING: Record<RetrySelection, string> = {
  failed: 'no failed items to retry',
  unfinished: 'no unfinished items to run (every item has a final outcome in each stage)',
  all: 'no failed or unfinished items to run again',
};

/**
 * Starts a new operation (scope `items`, linked by `retryOf`) over the items that failed in a
 * finished one, or that it left unfinished, with the definition it ran; the retried operation
 * gets an `operation.retried` event in the same transaction. A Conflict while it runs or when
 * the selection is empty. Unfinished items run every stage again, the ones they finished too.
 */
export async function retryItems(
  context: StartContext,
  operation: Operation,
  requester: Requester,
  options: RetryOptions = {},
): Promise<StartResult> {
  refuseUnlessAllowed(operation, 'retry');
  const selection = options.items ?? 'failed';
  const global = operation.scope === 'global';
  const items = global
    ? await failedItemIds(context.database.sql, operation)
    : await itemsToRetry(context, operation, selection);
  if (items.length === 0) {
    throw new Conflict(`Operation ${operation.id} has ${NOTHING[selection]}.`);
  }
  return startOperation(
    context,
    requester,
    {
      job: operation.jobId ?? operation.jobName,
      scope: global ? 'global' : 'items',
      itemIds: global ? undefined : items,
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
          data: {
            retryId: retry.id,
            items: items.length,
            selection,
            ...askedBy(requester, options),
          },
        }),
    },
  );
}
