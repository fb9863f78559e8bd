import type { ItemCounts } from '../../common/domain';
import type { Operation, OperationFields, OperationListing } from '../../db/operations';
import type { ApiDeps } from '../env';

/** Operation-level counts: an item is done once its last stage is, failed once any stage fails. */
export function operationCounts(operation: OperationFields) {
  const {
    itemsTotal: items,
    itemsDone: done,
    itemsFailed: failed,
    itemsSkipped: skipped,
  } = operation;
  return { items, done, failed, skipped, pending: Math.max(0, items - done - failed - skipped) };
}

export function temporalLinks(deps: ApiDeps, operation: OperationFields) {
  const namespace = deps.config.TEMPORAL_NAMESPACE;
  const base = deps.config.temporalUiUrl;
  return {
    workflowId: operation.id,
    runId: operation.runId,
    namespace,
    uiUrl:
      base && operation.runId
        ? `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(operation.id)}/${operation.runId}/history`
        : null,
  };
}

export function operationSummary(deps: ApiDeps, operation: OperationListing) {
  return {
    id: operation.id,
    status: operation.status,
    mode: operation.mode,
    priority: operation.priority,
    job: { id: operation.jobId, name: operation.jobName, version: operation.jobVersion },
    scope: {
      kind: operation.scope,
      collectionId: operation.collectionId,
      itemCount: operation.itemCount ?? undefined,
    },
    params: operation.params,
    counts: operationCounts(operation),
    requestedBy: operation.requestedBy,
    requestedFor: operation.requestedFor,
    retryOf: operation.retryOf,
    scheduleId: operation.scheduleId,
    error: operation.error,
    temporal: temporalLinks(deps, operation),
    createdAt: operation.createdAt,
    startedAt: operation.startedAt,
    finishedAt: operation.finishedAt,
  };
}

export function operationDetail(deps: ApiDeps, operation: Operation, stages: ItemCounts[]) {
  return {
    ...operationSummary(deps, operation),
    stages: operation.definition.stages.map((stage, index) => {
      const counts = stages[index];
      return {
        name: stage.name,
        handler: stage.handler,
        items: counts?.items ?? 0,
        pending: counts?.pending ?? 0,
        inProgress: counts?.inProgress ?? 0,
        done: counts?.done ?? 0,
        failed: counts?.failed ?? 0,
        skipped: counts?.skipped ?? 0,
      };
    }),
  };
}
