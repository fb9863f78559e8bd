import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { HandlerRegistry } from '../activities/handlers/registry';
import { FINISHED_STATUSES } from '../common/domain';
import { inTransaction } from '../db/client';
import { appendEvent } from '../db/events';
import { type Operation, setOperationStatus } from '../db/operations';
import { pauseUpdate, resumeUpdate } from '../workflows/definitions';
import { loadOperation } from './loaders';
import { jsonResponse } from './openapi';
import { controlResultSchema, operationIdPath, operationSummarySchema } from './operation-schemas';
import { startOperation } from './operation-starter';
import { operationSummary } from './operation-view';
import { errorResponses, problems } from './problems';
import { openApiRouter } from './validation';

function refuseIfFinished(operation: Operation, action: string) {
  if (FINISHED_STATUSES.includes(operation.status)) {
    throw problems.conflict(
      `Operation ${operation.id} is already ${operation.status}; there is nothing to ${action}.`,
    );
  }
}

const tags = ['operations'];
const controlErrors = errorResponses(401, 403, 404, 409, 500, 503);

const cancel = createRoute({
  method: 'post',
  path: '/{id}/cancel',
  tags,
  summary: 'Cancel an operation',
  description:
    'Asks its workflow to cancel: running batches abort their handlers, and the operation becomes `cancelled` once they stop. Nothing done is lost.',
  request: { params: operationIdPath },
  responses: {
    202: jsonResponse(
      z.object({
        id: z.string(),
        status: z.literal('cancelling').openapi({
          description: 'Follow GET /v1/operations/{id} until it says `cancelled`.',
        }),
      }),
      'Cancellation requested.',
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
  request: { params: operationIdPath },
  responses: {
    202: jsonResponse(operationSummarySchema, 'The retry, linked by `retryOf`.'),
    ...errorResponses(400, 401, 403, 404, 409, 500, 503),
  },
});

/** Cancel, pause, resume and retry-failed: the routes that steer a running or finished operation. */
export function operationControlRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();

  app.openapi(cancel, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    refuseIfFinished(operation, 'cancel');
    try {
      await c.get('deps').temporal.workflow.getHandle(operation.id).cancel();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      // No workflow to tell: the record is all there is, so it is cancelled here, with its event.
      await inTransaction(c.get('deps').database, async (tx) => {
        await setOperationStatus(tx.db, operation.id, 'cancelled', { finishedAt: new Date() });
        await appendEvent(tx.db, {
          tenantId: operation.tenantId,
          operationId: operation.id,
          type: 'operation.cancelled',
          data: { reason: 'its workflow was not found' },
        });
      });
    }
    return c.json({ id: operation.id, status: 'cancelling' as const }, 202);
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
    if (!FINISHED_STATUSES.includes(operation.status)) {
      throw problems.conflict(
        `Operation ${operation.id} is ${operation.status}; retry its failures once it has finished.`,
      );
    }
    const { sql } = c.get('deps').database;
    const failed = await sql<{ id: number }[]>`
      select distinct item_id as id from item_stages
      where operation_id = ${operation.id} and status = 'failed' order by item_id`;
    if (failed.length === 0)
      throw problems.conflict(`Operation ${operation.id} has no failed items to retry.`);
    const global = operation.scope === 'global';
    const result = await startOperation(
      c.get('deps'),
      handlers,
      c.get('principal'),
      {
        job: operation.jobId ?? operation.jobName,
        scope: global ? 'global' : 'items',
        itemIds: global ? undefined : failed.map((row) => row.id),
        params: {},
        mode: operation.mode,
      },
      { retryOf: operation.id, definition: operation.definition },
    );
    if (!result.operation) throw new Error('retry produced no operation');
    return c.json(operationSummary(c.get('deps'), result.operation), 202);
  });

  return app;
}
