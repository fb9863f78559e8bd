import { createRoute, z } from '@hono/zod-openapi';
import { operationCosts } from '../../db/costs';
import { eventsAfter } from '../../db/events';
import { listOperationItems } from '../../db/operation-items';
import { listOperations } from '../../db/operations';
import { operationStageCounts, withLiveCounters, withStageCounters } from '../../db/stage-counts';
import type { HandlerRegistry } from '../../handlers/registry';
import { requesterOf, startOperation } from '../../operations/start';
import type { EventStreams } from '../events/events';
import { eventSchema, eventsQuery } from '../events/schemas';
import { loadOperation } from '../loaders';
import { jsonBody, jsonResponse, listOf, pageOf } from '../openapi';
import { errorResponses, problems } from '../problems';
import { startContext } from '../use-cases';
import { decodeCursor, encodeCursor, openApiRouter } from '../validation';
import { operationBulkRoutes } from './bulk';
import { operationControlRoutes } from './control';
import { operationLogRoutes } from './logs';
import {
  dryRunSchema,
  operationDetailSchema,
  operationIdPath,
  operationItemSchema,
  operationItemsQuery,
  operationListQuery,
  operationSummarySchema,
  startOperationInput,
} from './schemas';
import { operationStreamRoutes } from './stream';
import { operationDetail, operationSummary } from './view';

const tags = ['operations'];

const start = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Start an operation (or plan one with mode dry_run)',
  description:
    'Records the operation and its `operation.created` event, then starts its workflow. With an `idempotencyKey`, a repeated request returns the recorded operation (and starts it if an earlier attempt was cut short). With `only: "stale"` it runs only the collection’s items whose results are stale for the job’s handlers (409 when none is). A job that begins with a discovery stage runs it over a whole collection; over given items it runs the later stages only.',
  request: { body: jsonBody(startOperationInput.openapi('OperationStart')) },
  responses: {
    202: jsonResponse(operationSummarySchema, 'Started.'),
    200: jsonResponse(
      z.union([operationSummarySchema, dryRunSchema]),
      'The operation already recorded for this idempotency key, or the plan of a dry run.',
    ),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 500, 503),
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'List operations, newest first',
  request: { query: operationListQuery },
  responses: {
    200: jsonResponse(pageOf(operationSummarySchema), 'A page of operations.'),
    ...errorResponses(400, 401, 500, 503),
  },
});

const get = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'Get an operation with per-stage progress, costs and its Web UI link',
  request: { params: operationIdPath },
  responses: {
    200: jsonResponse(operationDetailSchema, 'The operation.'),
    ...errorResponses(401, 404, 500, 503),
  },
});

const items = createRoute({
  method: 'get',
  path: '/{id}/items',
  tags,
  summary: 'Items of an operation with their state in every stage',
  request: { params: operationIdPath, query: operationItemsQuery },
  responses: {
    200: jsonResponse(pageOf(operationItemSchema), 'A page of items, by item id.'),
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

const events = createRoute({
  method: 'get',
  path: '/{id}/events',
  tags,
  summary: 'Events of an operation, oldest first',
  request: { params: operationIdPath, query: eventsQuery },
  responses: {
    200: jsonResponse(listOf(eventSchema), 'Events after `after`.'),
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

/** `/v1/operations`: start, list and inspect operations; control and stream them. */
export function operationRoutes(handlers: HandlerRegistry, streams: EventStreams) {
  const app = openApiRouter();
  // First, so that no `/{id}` route can ever read `cancel` or `retry` as an operation id.
  app.route('/', operationBulkRoutes(handlers));

  app.openapi(start, async (c) => {
    const input = c.req.valid('json');
    const result = await startOperation(
      startContext(c.get('deps'), handlers),
      requesterOf(c.get('principal')),
      input,
    );
    if (result.plan) {
      return c.json({ mode: 'dry_run' as const, job: input.job, plan: result.plan }, 200);
    }
    c.set('operationId', result.operation.id);
    return c.json(operationSummary(c.get('deps'), result.operation), result.created ? 202 : 200);
  });

  app.openapi(list, async (c) => {
    const { limit, cursor, ...filters } = c.req.valid('query');
    const { database } = c.get('deps');
    const page = await listOperations(database.db, c.get('principal').tenantId, filters, {
      limit,
      cursor: decodeCursor(cursor),
    });
    const rows = await withLiveCounters(database.sql, page.rows);
    const last = rows.at(-1);
    const hasMore = page.hasMore;
    return c.json(
      {
        data: rows.map((row) => operationSummary(c.get('deps'), row)),
        nextCursor: hasMore && last ? encodeCursor(last) : null,
      },
      200,
    );
  });

  app.openapi(get, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    const { sql } = c.get('deps').database;
    const [stages, costs] = await Promise.all([
      operationStageCounts(sql, operation, operation.definition.stages.length),
      operationCosts(sql, operation.id),
    ]);
    const counted = withStageCounters(operation, stages);
    return c.json({ ...operationDetail(c.get('deps'), counted, stages), costs }, 200);
  });

  app.openapi(items, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    const query = c.req.valid('query');
    const stageIndex = query.stage
      ? operation.definition.stages.findIndex((stage) => stage.name === query.stage)
      : undefined;
    if (stageIndex === -1) {
      throw problems.missing([
        { name: 'stage', reason: `operation has no stage "${query.stage}"` },
      ]);
    }
    const rows = await listOperationItems(
      c.get('deps').database.sql,
      operation,
      operation.definition.stages,
      { stageIndex, status: query.status, afterItemId: query.cursor, limit: query.limit },
    );
    const last = rows.at(-1);
    return c.json(
      {
        data: rows,
        nextCursor: rows.length === query.limit && last ? String(last.itemId) : null,
      },
      200,
    );
  });

  app.openapi(events, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    const query = c.req.valid('query');
    const rows = await eventsAfter(
      c.get('deps').database.db,
      operation.tenantId,
      query.after ?? 0,
      query.limit,
      { operationId: operation.id },
    );
    return c.json({ data: rows }, 200);
  });

  app.route('/', operationControlRoutes(handlers));
  app.route('/', operationStreamRoutes(streams));
  app.route('/', operationLogRoutes());
  return app;
}
