import { WorkflowNotFoundError } from '@temporalio/client';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { FINISHED_STATUSES, OPERATION_STATUSES, SCOPE_KINDS } from '../common/domain';
import { listOperationEvents } from '../db/events';
import { stageCounts } from '../db/item-stages';
import { getOperation, listOperations, setOperationStatus } from '../db/operations';
import type { AppEnv } from './env';
import { startOperation, startOperationInput } from './operation-starter';
import { operationDetail, operationSummary } from './operation-view';
import { problems } from './problems';
import { decodeCursor, encodeCursor, readBody, readQuery } from './validation';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
  status: z
    .string()
    .transform((value) => value.split(','))
    .pipe(z.array(z.enum(OPERATION_STATUSES)))
    .optional(),
  job: z.string().optional(),
  collectionId: z.uuid().optional(),
  scope: z.enum(SCOPE_KINDS).optional(),
  requestedBy: z.string().optional(),
  createdAfter: z.coerce.date().optional(),
  createdBefore: z.coerce.date().optional(),
});

export function operationRoutes() {
  const app = new Hono<AppEnv>();

  const load = async (c: Context<AppEnv, string>, id: string) => {
    const operation = await getOperation(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      id,
    );
    if (!operation) throw problems.notFound('operation', id);
    return operation;
  };

  app.post('/', async (c) => {
    const input = await readBody(c, startOperationInput);
    const { operation, created } = await startOperation(c.get('deps'), c.get('principal'), input);
    return c.json(operationSummary(c.get('deps'), operation), created ? 202 : 200);
  });

  app.get('/', async (c) => {
    const { limit, cursor, ...filters } = readQuery(c, listQuery);
    const { rows, hasMore } = await listOperations(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      filters,
      {
        limit,
        cursor: decodeCursor(cursor),
      },
    );
    const last = rows.at(-1);
    return c.json({
      data: rows.map((row) => operationSummary(c.get('deps'), row)),
      nextCursor: hasMore && last ? encodeCursor(last) : null,
    });
  });

  app.get('/:id', async (c) => {
    const operation = await load(c, c.req.param('id'));
    const stages = await stageCounts(
      c.get('deps').database.sql,
      operation.id,
      operation.definition.stages.length,
    );
    return c.json(operationDetail(c.get('deps'), operation, stages));
  });

  app.post('/:id/cancel', async (c) => {
    const operation = await load(c, c.req.param('id'));
    if (FINISHED_STATUSES.includes(operation.status)) {
      throw problems.conflict(
        `Operation ${operation.id} is already ${operation.status}; there is nothing to cancel.`,
      );
    }
    try {
      await c.get('deps').temporal.workflow.getHandle(operation.id).cancel();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      // No workflow to tell: the record is all there is, so it is cancelled here.
      await setOperationStatus(c.get('deps').database.db, operation.id, 'cancelled', {
        finishedAt: new Date(),
      });
    }
    return c.json({ id: operation.id, status: 'cancelling' }, 202);
  });

  app.get('/:id/events', async (c) => {
    const operation = await load(c, c.req.param('id'));
    const query = readQuery(
      c,
      z.object({
        after: z.coerce.number().int().min(0).optional(),
        limit: z.coerce.number().int().min(1).max(1_000).default(200),
      }),
    );
    const rows = await listOperationEvents(
      c.get('deps').database.db,
      operation.tenantId,
      operation.id,
      {
        afterId: query.after,
        limit: query.limit,
      },
    );
    return c.json({ data: rows });
  });

  return app;
}
