import { Conflict } from '../common/domain-errors';
import {
  FINISHED_STATUSES,
  type OperationStatus,
  PAUSABLE_STATUSES,
} from '../common/operation-statuses';
import type { Requester, StartContext } from './start';

/**
 * What may be done to an operation once it exists, and when. Cancelling, pausing and resuming
 * steer a run, so they apply until it finishes; a retry starts a new operation over the failed
 * items, so it waits until the run has finished and its failures are known.
 */
export type OperationAction = 'cancel' | 'pause' | 'resume' | 'retry';

/** What steering an existing operation works with: its record and its workflow. */
export type ControlContext = Pick<StartContext, 'database' | 'temporal'>;

/** How an action was asked for, as the events it leaves on the operation say. */
export interface Asked {
  /** True when a bulk action by filter asked. */
  bulk?: boolean;
}

/** Who asked, for an event's data. */
export const askedBy = (requester: Pick<Requester, 'requestedBy'>, { bulk }: Asked = {}) => ({
  requestedBy: requester.requestedBy,
  ...(bulk ? { bulk: true } : {}),
});

/** Why `action` does not apply to an operation in `status`, or undefined when it does. */
export function refusal(
  operation: { id: string; status: OperationStatus },
  action: OperationAction,
): string | undefined {
  const finished = FINISHED_STATUSES.includes(operation.status);
  if (action === 'retry') {
    return finished
      ? undefined
      : `Operation ${operation.id} is ${operation.status}; retry its failures once it has finished.`;
  }
  return finished
    ? `Operation ${operation.id} is already ${operation.status}; there is nothing to ${action}.`
    : undefined;
}

/** Throws the Conflict that `refusal` names, if any. */
export function refuseUnlessAllowed(
  operation: { id: string; status: OperationStatus },
  action: OperationAction,
): void {
  const reason = refusal(operation, action);
  if (reason) throw new Conflict(reason);
}

/**
 * The statuses of a job's operations that pausing or resuming the job steers: a pause reaches
 * the queued and running ones, a resume the paused ones.
 */
export const statusesSteeredBy = (action: 'pause' | 'resume'): OperationStatus[] =>
  action === 'pause' ? [...PAUSABLE_STATUSES] : ['paused'];
