import type { Client } from '@temporalio/client';
import { WORKFLOW_TYPES } from '../common/constants';
import type { OperationInput } from '../common/engine';
import {
  type OperationHeadline,
  operationDetails,
  operationSummary,
} from '../common/operation-summary';
import type { ScheduledOperation } from '../common/schedules';
import { typedSearchAttributes } from '../common/search-attributes';
import type { Operation } from '../db/operations';
import type { Principal } from '../db/tenants';

/** What starting an operation's workflow needs of its tenant. */
export type TenantOfStart = Pick<Principal, 'tenantName' | 'fairnessWeight' | 'parallelism'>;

export const headlineOf = (operation: Operation): OperationHeadline => ({
  jobName: operation.jobName,
  jobVersion: operation.jobVersion,
  scope: operation.scope,
  collectionId: operation.collectionId,
  itemCount: operation.itemCount,
  mode: operation.mode,
  requestedBy: operation.requestedBy,
});

/**
 * Everything an operation's workflow is started with besides its task queue, whether the API
 * starts it or a schedule's run starts it as a child (which is why it is plain data: it crosses
 * the activity that records a scheduled operation).
 *
 * The priority is Temporal's task-queue priority, inherited by its chunks and batches: its
 * priority first, then fair shares between tenants by their weights, so one tenant's backlog
 * does not hold back another's work. The memo is what the Web UI lists beside a run.
 */
export function operationWorkflowStart(
  operation: Operation,
  tenant: TenantOfStart,
  input: OperationInput,
): ScheduledOperation {
  return {
    operationId: operation.id,
    // The ledger is the record's, fixed at its creation; version 1's input names none.
    input: operation.ledger === 2 ? { ...input, ledger: 2 } : input,
    summary: operationSummary(headlineOf(operation)),
    details: operationDetails(headlineOf(operation)),
    memo: { tenant: tenant.tenantName, tenantId: operation.tenantId, job: operation.jobName },
    priority: {
      priorityKey: operation.priority,
      fairnessKey: operation.tenantId,
      fairnessWeight: tenant.fairnessWeight,
    },
    searchAttributes: {
      tenant: operation.tenantId,
      job: operation.jobName,
      collection: operation.collectionId ?? '',
      mode: operation.mode,
    },
  };
}

/**
 * Starts the operation's workflow, or finds it running: the workflow id is the operation id,
 * and USE_EXISTING makes a second start of a live run a no-op.
 */
export function startOperationWorkflow(
  temporal: Client,
  start: ScheduledOperation,
  taskQueue: string,
) {
  return temporal.workflow.start(WORKFLOW_TYPES.operation, {
    workflowId: start.operationId,
    taskQueue,
    args: [start.input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: start.summary,
    staticDetails: start.details,
    memo: start.memo,
    priority: start.priority,
    typedSearchAttributes: typedSearchAttributes(start.searchAttributes),
  });
}
