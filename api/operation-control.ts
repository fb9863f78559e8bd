import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Hono } from 'hono';
import type { HandlerRegistry } from '../activities/handlers/registry';
import { FINISHED_STATUSES } from '../common/domain';
import { inTransaction } from '../db/client';
import { appendEvent } from '../db/events';
import { type Operation, setOperationStatus } from '../db/operations';
import { pauseUpdate, resumeUpdate } from '../workflows/definitions';
import type { AppEnv } from './env';
import { loadOperation } from './loaders';
import { startOperation } from './operation-starter';
import { operationSummary } from './operation-view';
import { problems } from './problems';

function refuseIfFinished(operation: Operation, action: string) {
  if (FINISHED_STATUSES.includes(operation.status)) {
    throw problems.conflict(
      `Operation ${operation.id} is already ${operation.status}; there is nothing to ${action}.`,
    );
  }
}

/** Cancel, pause, resume and retry-failed: the routes that steer a running or finished operation. */
export function operationControlRoutes(handlers: HandlerRegistry) {
  const app = new Hono<AppEnv>();

  app.post('/:id/cancel', async (c) => {
    const operation = await loadOperation(c);
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
    return c.json({ id: operation.id, status: 'cancelling' }, 202);
  });

  for (const [action, update] of [
    ['pause', pauseUpdate],
    ['resume', resumeUpdate],
  ] as const) {
    app.post(`/:id/${action}`, async (c) => {
      const operation = await loadOperation(c);
      refuseIfFinished(operation, action);
      try {
        const progress = await c
          .get('deps')
          .temporal.workflow.getHandle(operation.id)
          .executeUpdate(update);
        return c.json({ id: operation.id, ...progress });
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

  app.post('/:id/retry', async (c) => {
    const operation = await loadOperation(c);
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
