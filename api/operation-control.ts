import { createRoute } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { FINISHED_STATUSES } from '../common/domain';
import { inTransaction } from '../db/client';
import { appendEvent } from '../db/events';
import { cancelUnfinishedOperation, failedItemIds, type Operation } from '../db/operations';
import type { Principal } from '../db/tenants';
import type { HandlerRegistry } from '../handlers/registry';
import { requesterOf, type StartResult, startOperation } from '../operations/start';
import { pauseUpdate, resumeUpdate } from '../workflows/definitions';
import type { ApiDeps } from './env';
import { loadOperation } from './loaders';
import { jsonResponse } from './openapi';
import {
  cancelResultSchema,
  controlResultSchema,
  operationIdPath,
  operationSummarySchema,
} from './operation-schemas';
import { operationSummary } from './operation-view';
import { errorResponses, problems } from './problems';
import { startContext } from './use-cases';
import { openApiRouter } from './validation';

function refuseIfFinished(operation: Operation, action: string) {
  if (FINISHED_STATUSES.includes(operation.status)) {
    throw problems.conflict(
      `Operation ${operation.id} is already ${operation.status}; there is nothing to ${action}.`,
    );
  }
}

/** Who asked, for the events a cancel or a retry leaves on the operation. */
export interface Requester {
  principal: Principal;
  /** True when a bulk action by filter asked. */
  bulk: boolean;
}

const requestedBy = ({ principal, bulk }: Requester) => ({
  requestedBy: principal.keyName,
  ...(bulk ? { bulk: true } : {}),
});

/**
 * Asks the operation's workflow to cancel, with an `operation.cancel_requested` event; the
 * workflow records `cancelled` once its batches stop. An operation with no workflow is recorded
 * `cancelled` here. A 409 when it is (or meanwhile became) final.
 */
export async function cancelOperation(
  deps: ApiDeps,
  operation: Operation,
  requester: Requester,
): Promise<'cancelling' | 'cancelled'> {
  refuseIfFinished(operation, 'cancel');
  const event = { tenantId: operation.tenantId, operationId: operation.id };
  // Before the request, so the log reads requested → cancelled even when the workflow is quick.
  await appendEvent(deps.database.db, {
    ...event,
    type: 'operation.cancel_requested',
    data: requestedBy(requester),
  });
  try {
    await deps.temporal.workflow.getHandle(operation.id).cancel();
    return 'cancelling';
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  // No workflow to tell (or it has just closed): the record alone decides, guarded against a
  // completion that landed after the operation was read.
  const cancelled = await inTransaction(deps.database, async (tx) => {
    if (!(await cancelUnfinishedOperation(tx.db, operation.id))) return false;
    await appendEvent(tx.db, {
      ...event,
      type: 'operation.cancelled',
      data: { reason: 'its workflow was not found' },
    });
    return true;
  });
  if (!cancelled) {
    throw problems.conflict(`Operation ${operation.id} finished before the cancel reached it.`);
  }
  return 'cancelled';
}

/**
 * Starts a new operation (scope `items`, linked by `retryOf`) over the items that failed in a
 * finished one, with the definition it ran; the retried operation gets an `operation.retried`
 * event in the same transaction. A 409 while it runs or when nothing failed.
 */
export async function retryFailedItems(
  deps: ApiDeps,
  handlers: HandlerRegistry,
  operation: Operation,
  requester: Requester,
  idempotencyKey?: string,
): Promise<StartResult> {
  if (!FINISHED_STATUSES.includes(operation.status)) {
    throw problems.conflict(
      `Operation ${operation.id} is ${operation.status}; retry its failures once it has finished.`,
    );
  }
  const failed = await failedItemIds(deps.database.sql, operation.id);
  if (failed.length === 0)
    throw problems.conflict(`Operation ${operation.id} has no failed items to retry.`);
  const global = operation.scope === 'global';
  return startOperation(
    startContext(deps, handlers),
    requesterOf(requester.principal),
    {
      job: operation.jobId ?? operation.jobName,
      scope: global ? 'global' : 'items',
      itemIds: global ? undefined : failed,
      params: {},
      mode: operation.mode,
      idempotencyKey,
    },
    {
      retryOf: operation.id,
      definition: operation.definition,
      alsoRecord: (tx, retry) =>
        appendEvent(tx.db, {
          tenantId: operation.tenantId,
          operationId: operation.id,
          type: 'operation.retried',
          data: { retryId: retry.id, items: failed.length, ...requestedBy(requester) },
        }),
    },
  );
}

const tags = ['operations'];
const controlErrors = errorResponses(401, 403, 404, 409, 500, 503);

const cancel = createRoute({
  method: 'post',
  path: '/{id}/cancel',
  tags,
  summary: 'Cancel an operation',
  description:
    'Asks its workflow to cancel: running batches abort their handlers, and the operation becomes `cancelled` once they stop. Nothing done is lost. An operation already completed, failed or cancelled answers 409.',
  request: { params: operationIdPath },
  responses: {
    202: jsonResponse(cancelResultSchema, 'Cancellation requested (`status: cancelling`).'),
    200: jsonResponse(
      cancelResultSchema,
      'It had no workflow left to ask; its record is now `cancelled`.',
    ),
    ...controlErrors,
  },
});

const controls = (['pause', 'resume'] as const).map((action) => ({
  action,
  update: action === 'pause' ? pauseUpdate : resumeUpdate,
  route: createRoute({
    method: 'post',
    path: `/{id}/${action}`,
    tags,
    summary:
      action === 'pause'
        ? 'Pause an operation: batches in flight finish, then it waits'
        : 'Resume a paused operation where it stopped',
    request: { params: operationIdPath },
    responses: {
      200: jsonResponse(controlResultSchema, 'The operation’s status as its workflow reports it.'),
      ...controlErrors,
    },
  }),
}));

const retry = createRoute({
  method: 'post',
  path: '/{id}/retry',
  tags,
  summary: 'Start a new operation over the items that failed in this finished one',
  description:
    'Runs the failed items through the stages of the definition the operation ran. For a job that begins with a discovery stage the retry runs the later stages on the discovered items; discovery does not run again.',
  request: { params: operationIdPath },
  responses: {
    202: jsonResponse(operationSummarySchema, 'The retry, linked by `retryOf`.'),
    ...errorResponses(400, 401, 403, 404, 409, 429, 500, 503),
  },
});

/** Cancel, pause, resume and retry-failed: the routes that steer a running or finished operation. */
export function operationControlRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();

  app.openapi(cancel, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    const requester = { principal: c.get('principal'), bulk: false };
    const status = await cancelOperation(c.get('deps'), operation, requester);
    return status === 'cancelling'
      ? c.json({ id: operation.id, status }, 202)
      : c.json({ id: operation.id, status }, 200);
  });

  for (const { action, update, route } of controls) {
    app.openapi(route, async (c) => {
      const operation = await loadOperation(c, c.req.valid('param').id);
      refuseIfFinished(operation, action);
      try {
        const progress = await c
          .get('deps')
          .temporal.workflow.getHandle(operation.id)
          .executeUpdate(update);
        return c.json({ id: operation.id, ...progress }, 200);
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError) {
          throw problems.conflict(
            `Operation ${operation.id} cannot ${action} now: ${error.message}`,
          );
        }
        throw error;
      }
    });
  }

  app.openapi(retry, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    const requester = { principal: c.get('principal'), bulk: false };
    const result = await retryFailedItems(c.get('deps'), handlers, operation, requester);
    if (!result.operation) throw new Error('retry produced no operation');
    return c.json(operationSummary(c.get('deps'), result.operation), 202);
  });

  return app;
}
