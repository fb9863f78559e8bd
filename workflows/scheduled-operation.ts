import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import {
  ChildWorkflowCancellationType,
  executeChild,
  ParentClosePolicy,
  proxyActivities,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SEARCH_ATTRIBUTES } from '../common/constants';
import type { ScheduledRunInput } from '../common/schedules';
import { operationWorkflow } from './operation';

const { recordScheduledOperation } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: ['ScheduledRequestRefused'] },
});

const keyword = (name: string) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);

/**
 * One run of a schedule: records the operation as `POST /v1/operations` would, then runs it as
 * a child and lasts as long as it does, so the schedule's overlap policy (skip, buffer, cancel
 * the other) applies to operations; cancelling the run cancels the operation.
 */
export async function scheduledOperationWorkflow(input: ScheduledRunInput): Promise<string | null> {
  const recorded = await recordScheduledOperation(input);
  if (!recorded) return null;
  const attributes = recorded.searchAttributes;
  await executeChild(operationWorkflow, {
    workflowId: recorded.operationId,
    args: [recorded.input],
    cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    staticSummary: recorded.summary,
    staticDetails: recorded.details,
    memo: recorded.memo,
    priority: recorded.priority,
    typedSearchAttributes: [
      { key: keyword(SEARCH_ATTRIBUTES.tenant), value: attributes.tenant },
      { key: keyword(SEARCH_ATTRIBUTES.job), value: attributes.job },
      { key: keyword(SEARCH_ATTRIBUTES.collection), value: attributes.collection },
      { key: keyword(SEARCH_ATTRIBUTES.mode), value: attributes.mode },
    ],
  });
  return recorded.operationId;
}
