import { createRoute } from '@hono/zod-openapi';
import { inTransaction } from '../../db/client';
import {
  createCollection,
  deleteCollection,
  listCollections,
  lockIdleCollection,
  updateCollection,
} from '../../db/collections';
import { ConflictError } from '../../db/pg-errors';
import { loadCollection } from '../loaders';
import { jsonBody, jsonResponse, pageOf } from '../openapi';
import { errorResponses, problems } from '../problems';
import { decodeCursor, encodeCursor, openApiRouter, uuidPath } from '../validation';
import {
  collectionInput,
  collectionListQuery,
  collectionPatch,
  collectionSchema,
  collectionSummarySchema,
} from './schemas';

const tags = ['collections'];
const idParams = uuidPath('collection');

function rethrowConflict(error: unknown): never {
  if (error instanceof ConflictError)
    throw problems.conflict(`${error.message}; choose another name.`);
  throw error;
}

const create = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Create a collection',
  request: { body: jsonBody(collectionInput) },
  responses: {
    201: jsonResponse(collectionSummarySchema, 'The new collection.'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503),
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'List collections with item and operation counts, newest first',
  request: { query: collectionListQuery },
  responses: {
    200: jsonResponse(pageOf(collectionSummarySchema), 'A page of collections.'),
    ...errorResponses(400, 401, 500, 503),
  },
});

const get = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'Get a collection with its item count and last operation',
  request: { params: idParams },
  responses: {
    200: jsonResponse(collectionSummarySchema, 'The collection.'),
    ...errorResponses(401, 404, 500, 503),
  },
});

const update = createRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  summary: 'Update a collection’s name, description or metadata',
  request: { params: idParams, body: jsonBody(collectionPatch) },
  responses: {
    200: jsonResponse(collectionSchema, 'The updated collection.'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 500, 503),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete a collection and its items',
  description:
    'Refused with 409, naming the operation, while an unfinished operation runs over the collection or over items of it.',
  request: { params: idParams },
  responses: {
    204: { description: 'Deleted.' },
    ...errorResponses(401, 403, 404, 409, 500, 503),
  },
});

/** `/v1/collections`: create, list, get, update and delete collections. */
export function collectionRoutes() {
  const app = openApiRouter();

  app.openapi(create, async (c) => {
    const collection = await createCollection(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      c.req.valid('json'),
    ).catch(rethrowConflict);
    return c.json({ ...collection, operationCount: 0, lastOperation: null }, 201);
  });

  app.openapi(list, async (c) => {
    const query = c.req.valid('query');
    const { rows, hasMore } = await listCollections(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      { limit: query.limit, cursor: decodeCursor(query.cursor) },
    );
    const last = rows.at(-1);
    return c.json({ data: rows, nextCursor: hasMore && last ? encodeCursor(last) : null }, 200);
  });

  app.openapi(get, async (c) => c.json(await loadCollection(c, c.req.valid('param').id), 200));

  app.openapi(update, async (c) => {
    const { id } = c.req.valid('param');
    const updated = await updateCollection(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      id,
      c.req.valid('json'),
    ).catch(rethrowConflict);
    if (!updated) throw problems.notFound('collection', id);
    return c.json(updated, 200);
  });

  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    const tenantId = c.get('principal').tenantId;
    const outcome = await inTransaction(c.get('deps').database, async (tx) => {
      const idle = await lockIdleCollection(tx.sql, tenantId, id);
      if (!idle || idle.busyWith) return idle;
      await deleteCollection(tx.db, tenantId, id);
      return idle;
    });
    if (!outcome) throw problems.notFound('collection', id);
    if (outcome.busyWith) {
      throw problems.conflict(
        `Operation ${outcome.busyWith} runs over collection ${id}; deleting it would leave that operation's batches without their items. Cancel the operation (POST /v1/operations/${outcome.busyWith}/cancel) or wait for it to finish, then delete again.`,
      );
    }
    return c.body(null, 204);
  });

  return app;
}
