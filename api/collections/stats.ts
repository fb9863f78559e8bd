import { createRoute, z } from '@hono/zod-openapi';
import { OPERATION_STATUSES } from '../../common/domain';
import { operationsByStatus } from '../../db/operations';
import { resultStats } from '../../db/results';
import { currentVersions, type HandlerRegistry } from '../../handlers/registry';
import { loadCollection } from '../loaders';
import { jsonResponse } from '../openapi';
import { errorResponses } from '../problems';
import { openApiRouter, uuidPath } from '../validation';

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
    stale: count(
      'Stale results over every handler; POST /v1/operations with `only: "stale"` reprocesses them.',
    ),
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

/** A collection's statistics; reprocessing stale results is a start with `only: "stale"`. */
export function collectionStatsRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();
  // Read per request: a handler's version is whatever the deployed code says now.

  app.openapi(stats, async (c) => {
    const collection = await loadCollection(c, c.req.valid('param').id);
    const { sql } = c.get('deps').database;
    const [results, byStatus] = await Promise.all([
      resultStats(sql, collection.id, currentVersions(handlers)),
      operationsByStatus(sql, collection.tenantId, collection.id),
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

  return app;
}
