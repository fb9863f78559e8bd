import { WorkflowNotFoundError } from '@temporalio/client';
import { Conflict } from '../common/domain-errors';
import { inTransaction } from '../db/client';
import { appendEvent } from '../db/events';
import { cancelUnfinishedOperation, type Operation } from '../db/operations';
import { type Asked, askedBy, type ControlContext, refuseUnlessAllowed } from './actions';
import type { Requester } from './start';

/**
 * Asks the operation's workflow to cancel, with an `operation.cancel_requested` event; the
 * workflow records `cancelled` once its batches stop. An operation with no workflow is recorded
 * `cancelled` here. A Conflict when it is (or meanwhile became) final.
 */
export async function cancelOperation(
  context: ControlContext,
  operation: Operation,
  requester: Pick<Requester, 'requestedBy'>,
  asked: Asked = {},
): Promise<'cancelling' | 'cancelled'> {
  refuseUnlessAllowed(operation, 'cancel');
  const event = { tenantId: operation.tenantId, operationId: operation.id };
  // Before the request, so the log reads requested → cancelled even when the workflow is quick.
  await appendEvent(context.database.db, {
    ...event,
    type: 'operation.cancel_requested',
    data: askedBy(requester, asked),
  });
  try {
    await context.temporal.workflow.getHandle(operation.id).cancel();
    return 'cancelling';
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  // No workflow to tell (or it has just closed): the record alone decides, guarded against a
  // completion that landed after the operation was read.
  const cancelled = await inTransaction(context.database, async (tx) => {
    if (!(await cancelUnfinishedOperation(tx.db, operation.id))) return false;
    await appendEvent(tx.db, {
      ...event,
      type: 'operation.cancelled',
      data: { reason: 'its workflow was not found' },
    });
    return true;
  });
  if (!cancelled) {
    throw new Conflict(`Operation ${operation.id} finished before the cancel reached it.`);
  }
  return 'cancelled';
}
