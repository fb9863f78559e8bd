import { createRoute, z } from '@hono/zod-openapi';
import { Conflict, NotFound } from '../../common/domain-errors';
import { inTransaction } from '../../db/client';
import { itemIdPageInState, statesOfItems } from '../../db/item-states';
import { deleteItems, listItems, listItemsByIds, upsertItems } from '../../db/items';
import { findJob } from '../../db/jobs';
import type { HandlerRegistry } from '../../handlers/registry';
import { stagesWithItemStates } from '../../operations/selection';
import { loadCollection } from '../loaders';
import { jsonBody, jsonResponse, pageOf } from '../openapi';
import { errorResponses } from '../problems';
import { refuseOverfullCollection } from '../quotas';
import { openApiRouter, uuidPath } from '../validation';
import {
  itemDeleteInput,
  itemListQuery,
  listedItemSchema,
  upsertInput,
  upsertResult,
} from './schemas';

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
  summary: 'List a collection’s items by id, with their state under a job when one is named',
  request: { params: idParams, query: itemListQuery },
  responses: {
    200: jsonResponse(pageOf(listedItemSchema), 'A page of items.'),
    ...errorResponses(400, 401, 404, 409, 500, 503),
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
export function collectionItemRoutes(handlers: HandlerRegistry) {
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
    const { db, sql } = c.get('deps').database;
    const page = { limit: query.limit, afterId: query.cursor ?? 0, keyPrefix: query.keyPrefix };
    // Well-formed by the document, which cannot tie one parameter to another: a 409 as for
    // other requests whose parts disagree.
    if (query.state && !query.job) {
      throw Conflict.over([
        { name: 'job', reason: 'state is the state under a job: give the job too' },
      ]);
    }
    const job = query.job ? await findJob(db, collection.tenantId, query.job) : undefined;
    if (query.job && !job) {
      throw new NotFound([{ name: 'job', reason: `no job "${query.job}" in this tenant` }]);
    }
    const under = job && {
      tenantId: collection.tenantId,
      jobId: job.id,
      stages: stagesWithItemStates(job.definition, handlers),
    };
    const rows =
      under && query.state
        ? await listItemsByIds(
            sql,
            collection.id,
            await itemIdPageInState(sql, under, collection.id, query.state, page),
          )
        : await listItems(sql, collection.id, page);
    const states = under
      ? await statesOfItems(
          sql,
          under,
          rows.map((row) => row.id),
        )
      : undefined;
    const last = rows.at(-1);
    return c.json(
      {
        data: states ? rows.map((row) => ({ ...row, states: states.get(row.id) ?? [] })) : rows,
        nextCursor: rows.length === query.limit && last ? String(last.id) : null,
      },
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
