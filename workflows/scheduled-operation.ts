import {
  ChildWorkflowCancellationType,
  executeChild,
  ParentClosePolicy,
  proxyActivities,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ScheduledRunInput } from '../common/schedules';
import { typedSearchAttributes } from '../common/search-attributes';
import { operationWorkflow } from './operation';

const { recordScheduledOperation } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: ['ScheduledRequestRefused'] },
});

/**
 * One run of a schedule: records the operation as `POST /v1/operations` would, then runs it as
 * a child and lasts as long as it does, so the schedule's overlap policy (skip, buffer, cancel
 * the other) applies to operations; cancelling the run cancels the operation.
 */
export async function scheduledOperationWorkflow(input: ScheduledRunInput): Promise<string | null> {
  const recorded = await recordScheduledOperation(input);
  if (!recorded) return null;
  await executeChild(operationWorkflow, {
    workflowId: recorded.operationId,
    args: [recorded.input],
    cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    staticSummary: recorded.summary,
    staticDetails: recorded.details,
    memo: recorded.memo,
    priority: recorded.priority,
    typedSearchAttributes: typedSearchAttributes(recorded.searchAttributes),
  });
  return recorded.operationId;
}
