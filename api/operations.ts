import { Hono } from 'hono';
import { z } from 'zod';
import type { HandlerRegistry } from '../activities/handlers/registry';
import { ITEM_STAGE_STATUSES, OPERATION_STATUSES, SCOPE_KINDS } from '../common/domain';
import { operationCosts } from '../db/costs';
import { listOperationEvents } from '../db/events';
import { listOperationItems, stageCounts } from '../db/item-stages';
import { listOperations } from '../db/operations';
import type { AppEnv } from './env';
import { loadOperation } from './loaders';
import { operationControlRoutes } from './operation-control';
import { startOperation, startOperationInput } from './operation-starter';
import { operationStreamRoutes } from './operation-stream';
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

export function operationRoutes(handlers: HandlerRegistry) {
  const app = new Hono<AppEnv>();

  app.post('/', async (c) => {
    const input = await readBody(c, startOperationInput);
    const result = await startOperation(c.get('deps'), handlers, c.get('principal'), input);
    if (result.plan) return c.json({ mode: 'dry_run', job: input.job, plan: result.plan }, 200);
    return c.json(operationSummary(c.get('deps'), result.operation), result.created ? 202 : 200);
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
    const operation = await loadOperation(c);
    const { sql } = c.get('deps').database;
    const [stages, costs] = await Promise.all([
      stageCounts(sql, operation.id, operation.definition.stages.length),
      operationCosts(sql, operation.id),
    ]);
    return c.json({ ...operationDetail(c.get('deps'), operation, stages), costs });
  });

  app.get('/:id/items', async (c) => {
    const operation = await loadOperation(c);
    const query = readQuery(
      c,
      z.object({
        stage: z.string().optional(),
        status: z.enum(ITEM_STAGE_STATUSES).optional(),
        cursor: z.coerce.number().int().min(-1).optional(),
        limit: z.coerce.number().int().min(1).max(1_000).default(100),
      }),
    );
    const stageIndex = query.stage
      ? operation.definition.stages.findIndex((stage) => stage.name === query.stage)
      : undefined;
    if (stageIndex === -1) {
      throw problems.validation(
        [{ name: 'stage', reason: `operation has no stage "${query.stage}"` }],
        'query',
      );
    }
    const rows = await listOperationItems(
      c.get('deps').database.sql,
      operation.id,
      operation.definition.stages,
      {
        stageIndex,
        status: query.status,
        afterItemId: query.cursor,
        limit: query.limit,
      },
    );
    const last = rows.at(-1);
    return c.json({
      data: rows,
      nextCursor: rows.length === query.limit && last ? String(last.itemId) : null,
    });
  });

  app.get('/:id/events', async (c) => {
    const operation = await loadOperation(c);
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

  app.route('/', operationControlRoutes(handlers));
  app.route('/', operationStreamRoutes());
  return app;
}
