import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Conflict } from '../common/domain-errors';
import type { OperationProgress } from '../common/engine';
import type { Operation } from '../db/operations';
import { pauseUpdate, resumeUpdate } from '../workflows/definitions';
import { type ControlContext, refuseUnlessAllowed } from './actions';

/**
 * Pauses or resumes the operation's workflow and answers the progress it reports. The workflow
 * decides: one that cannot take the update now (it is closing, or has no run) is a Conflict.
 */
export async function steerOperation(
  context: Pick<ControlContext, 'temporal'>,
  operation: Operation,
  action: 'pause' | 'resume',
): Promise<OperationProgress> {
  refuseUnlessAllowed(operation, action);
  try {
    return await context.temporal.workflow
      .getHandle(operation.id)
      .executeUpdate(action === 'pause' ? pauseUpdate : resumeUpdate);
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError) {
      throw new Conflict(`Operation ${operation.id} cannot ${action} now: ${error.message}`);
    }
    throw error;
  }
}
