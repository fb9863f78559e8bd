import { createRoute, z } from '@hono/zod-openapi';
import { inTransaction } from '../../db/client';
import { deleteItems, listItems, upsertItems } from '../../db/items';
import { loadCollection } from '../loaders';
import { jsonBody, jsonResponse, pageOf } from '../openapi';
import { errorResponses } from '../problems';
import { refuseOverfullCollection } from '../quotas';
import { openApiRouter, uuidPath } from '../validation';
import { itemDeleteInput, itemListQuery, itemSchema, upsertInput, upsertResult } from './schemas';

const tags = ['collections'];
const idParams = uuidPath('collection');

const upsert = createRoute({
  method: 'post',
  path: '/{id}/items',
  tags,
  summary: 'Upsert items by key',
  request: { params: idParams, body: jsonBody(upsertInput) },
  responses: {
    200: jsonResponse(upsertResult, 'How many items were inserted and updated.'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429, 500, 503),
  },
});

const list = createRoute({
  method: 'get',
  path: '/{id}/items',
  tags,
  summary: 'List a collection’s items by id',
  request: { params: idParams, query: itemListQuery },
  responses: {
    200: jsonResponse(pageOf(itemSchema), 'A page of items.'),
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/{id}/items',
  tags,
  summary: 'Delete items by key',
  request: { params: idParams, body: jsonBody(itemDeleteInput) },
  responses: {
    200: jsonResponse(
      z.object({ deleted: z.number().int().openapi({ description: 'Items deleted.' }) }),
      'How many items were deleted.',
    ),
    ...errorResponses(400, 401, 403, 404, 413, 415, 500, 503),
  },
});

/** `/v1/collections/{id}/items`: upsert, list and delete a collection's items. */
export function collectionItemRoutes() {
  const app = openApiRouter();

  app.openapi(upsert, async (c) => {
    const collection = await loadCollection(c, c.req.valid('param').id);
    const { items } = c.req.valid('json');
    const summary = await inTransaction(c.get('deps').database, async (tx) => {
      const upserted = await upsertItems(tx.sql, collection.tenantId, collection.id, items);
      await refuseOverfullCollection(tx, collection.tenantId, collection.id);
      return upserted;
    });
    return c.json({ ...summary, received: items.length }, 200);
  });

  app.openapi(list, async (c) => {
    const collection = await loadCollection(c, c.req.valid('param').id);
    const query = c.req.valid('query');
    const rows = await listItems(c.get('deps').database.sql, collection.id, {
      limit: query.limit,
      afterId: query.cursor,
      keyPrefix: query.keyPrefix,
    });
    const last = rows.at(-1);
    return c.json(
      { data: rows, nextCursor: rows.length === query.limit && last ? String(last.id) : null },
      200,
    );
  });

  app.openapi(remove, async (c) => {
    const collection = await loadCollection(c, c.req.valid('param').id);
    const { keys } = c.req.valid('json');
    return c.json(
      { deleted: await deleteItems(c.get('deps').database.sql, collection.id, keys) },
      200,
    );
  });

  return app;
}
