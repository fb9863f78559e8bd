import { createRoute, z } from '@hono/zod-openapi';
import type { HandlerRegistry } from '../activities/handlers/registry';
import { OPERATION_STATUSES } from '../common/domain';
import { findJob } from '../db/jobs';
import { resultStats, staleItemIds } from '../db/results';
import { loadCollection } from './loaders';
import { jsonBody, jsonResponse } from './openapi';
import { operationSummarySchema } from './operation-schemas';
import { startOperation } from './operation-starter';
import { operationSummary } from './operation-view';
import { errorResponses, problems } from './problems';
import { openApiRouter, uuidPath } from './validation';

const tags = ['collections'];
const idParams = uuidPath('collection');
const count = (description: string) => z.number().int().openapi({ description });

const statsSchema = z
  .object({
    collectionId: z.uuid(),
    items: count('Items in the collection.'),
    operations: z.object({
      total: count('Operations ever run over the collection.'),
      byStatus: z.record(z.string(), z.number().int()).openapi({
        description: `Operations per status (${OPERATION_STATUSES.join(', ')}); absent statuses have none.`,
        example: { completed: 3, running: 1 },
      }),
    }),
    handlers: z.array(
      z.object({
        handler: z.string(),
        currentVersion: z
          .string()
          .nullable()
          .openapi({ description: 'The version the workers run now; null if none offers it.' }),
        results: count('Results stored for items of the collection.'),
        stale: count('Results from an older version than the current one.'),
        versions: z
          .record(z.string(), z.number().int())
          .openapi({ description: 'Results per handler version.', example: { '1': 10, '2': 90 } }),
      }),
    ),
    stale: count('Stale results over every handler.'),
  })
  .openapi('CollectionStats');

const stats = createRoute({
  method: 'get',
  path: '/{id}/stats',
  tags,
  summary: 'Result counts and stale results per handler',
  request: { params: idParams },
  responses: {
    200: jsonResponse(statsSchema, 'The collection’s statistics.'),
    ...errorResponses(401, 404, 500, 503),
  },
});

const reprocessResult = z
  .object({
    staleItems: count('Items whose result is older than their handler’s current version.'),
    operation: operationSummarySchema
      .nullable()
      .openapi({ description: 'The operation started over them; null when none is stale.' }),
  })
  .openapi('ReprocessStale');

const reprocessStale = createRoute({
  method: 'post',
  path: '/{id}/reprocess-stale',
  tags,
  summary: 'Start an operation over the items with stale results',
  request: {
    params: idParams,
    body: jsonBody(
      z.object({
        job: z.string().min(1).openapi({
          description: 'Name or id of the job to run; only its handlers’ results count.',
        }),
      }),
    ),
  },
  responses: {
    202: jsonResponse(reprocessResult, 'An operation started over the stale items.'),
    200: jsonResponse(reprocessResult, 'Nothing is stale; no operation was started.'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 500, 503),
  },
});

/** A collection's statistics and the stale-result reprocessing that reads them. */
export function collectionStatsRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();
  // Read per request: a handler's version is whatever the deployed code says now.
  const currentVersions = () =>
    [...handlers.values()].map((handler) => ({ handler: handler.name, version: handler.version }));

  app.openapi(stats, async (c) => {
    const collection = await loadCollection(c, c.req.valid('param').id);
    const { sql } = c.get('deps').database;
    const [results, byStatus] = await Promise.all([
      resultStats(sql, collection.id, currentVersions()),
      sql<{ status: string; count: number }[]>`
        select status, count(*)::int as count from operations
        where tenant_id = ${collection.tenantId}::uuid and collection_id = ${collection.id}::uuid
        group by status`,
    ]);
    return c.json(
      {
        collectionId: collection.id,
        items: collection.itemCount,
        operations: {
          total: collection.operationCount,
          byStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.count])),
        },
        handlers: results,
        stale: results.reduce((sum, row) => sum + row.stale, 0),
      },
      200,
    );
  });

  app.openapi(reprocessStale, async (c) => {
    const collection = await loadCollection(c, c.req.valid('param').id);
    const input = c.req.valid('json');
    const { db, sql } = c.get('deps').database;
    const job = await findJob(db, collection.tenantId, input.job);
    if (!job)
      throw problems.validation([{ name: 'job', reason: `no job "${input.job}" in this tenant` }]);
    const jobHandlers = new Set(job.definition.stages.map((stage) => stage.handler));
    const ids = await staleItemIds(
      sql,
      collection.id,
      currentVersions().filter((entry) => jobHandlers.has(entry.handler)),
    );
    if (ids.length === 0) return c.json({ staleItems: 0, operation: null }, 200);
    const result = await startOperation(c.get('deps'), handlers, c.get('principal'), {
      job: job.id,
      scope: 'items',
      itemIds: ids,
      params: {},
      mode: 'production',
    });
    if (!result.operation) throw new Error('reprocess-stale produced no operation');
    return c.json(
      { staleItems: ids.length, operation: operationSummary(c.get('deps'), result.operation) },
      202,
    );
  });

  return app;
}
