import { createRoute } from '@hono/zod-openapi';
import { itemHistory } from '../../db/item-history';
import { statesOfItem } from '../../db/item-states';
import { getItem } from '../../db/items';
import { itemResults } from '../../db/results';
import { currentVersions, type HandlerRegistry } from '../../handlers/registry';
import { loadCollection } from '../loaders';
import { jsonResponse } from '../openapi';
import { ITEM_HISTORY_LIMIT, itemDetailSchema, itemPath } from '../operations/result-schemas';
import { errorResponses, problems } from '../problems';
import { openApiRouter } from '../validation';

/** Item ids are positive bigserials; longer digit strings could not be exact as numbers. */
const ITEM_ID = /^[1-9]\d{0,14}$/;

const get = createRoute({
  method: 'get',
  path: '/{id}/items/{itemId}',
  tags: ['collections'],
  summary:
    'An item with its latest result per stage, its history across operations and its state per job',
  request: { params: itemPath },
  responses: {
    200: jsonResponse(itemDetailSchema, 'The item.'),
    ...errorResponses(401, 404, 500, 503),
  },
});

/** `/v1/collections/{id}/items/{itemId}`: one item, its results and its history. */
export function collectionItemDetailRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();

  app.openapi(get, async (c) => {
    const { id, itemId } = c.req.valid('param');
    const collection = await loadCollection(c, id);
    const { sql } = c.get('deps').database;
    const item = ITEM_ID.test(itemId)
      ? await getItem(sql, collection.tenantId, collection.id, Number(itemId))
      : undefined;
    if (!item) throw problems.notFound('item', itemId);
    const [results, history, states] = await Promise.all([
      itemResults(sql, collection.tenantId, item.id, currentVersions(handlers)),
      itemHistory(sql, collection.tenantId, item.id, ITEM_HISTORY_LIMIT),
      statesOfItem(sql, collection.tenantId, item.id),
    ]);
    return c.json({ ...item, results, history, states }, 200);
  });

  return app;
}
