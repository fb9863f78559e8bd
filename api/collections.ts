import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_ITEM_DATA_BYTES, MAX_ITEMS_PER_UPSERT } from '../common/constants';
import {
  createCollection,
  deleteCollection,
  listCollections,
  updateCollection,
} from '../db/collections';
import { deleteItems, listItems, upsertItems } from '../db/items';
import { ConflictError } from '../db/pg-errors';
import type { AppEnv } from './env';
import { loadCollection } from './loaders';
import { problems } from './problems';
import { decodeCursor, encodeCursor, readBody, readQuery, uuidParam } from './validation';

const collectionInput = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2_000).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

const itemInput = z.object({
  key: z.string().min(1).max(2_048),
  data: z
    .unknown()
    .default({})
    .refine((data) => JSON.stringify(data ?? {}).length <= MAX_ITEM_DATA_BYTES, {
      message: `must serialise to at most ${MAX_ITEM_DATA_BYTES} bytes of JSON; keep large payloads elsewhere and store a reference`,
    }),
});

const upsertInput = z.object({
  items: z.array(itemInput).min(1).max(MAX_ITEMS_PER_UPSERT),
});

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});

function rethrowConflict(error: unknown): never {
  if (error instanceof ConflictError)
    throw problems.conflict(`${error.message}; choose another name.`);
  throw error;
}

export function collectionRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/', async (c) => {
    const input = await readBody(c, collectionInput);
    const collection = await createCollection(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      input,
    ).catch(rethrowConflict);
    return c.json({ ...collection, operationCount: 0, lastOperation: null }, 201);
  });

  app.get('/', async (c) => {
    const query = readQuery(c, pageQuery);
    const { rows, hasMore } = await listCollections(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      {
        limit: query.limit,
        cursor: decodeCursor(query.cursor),
      },
    );
    const last = rows.at(-1);
    return c.json({ data: rows, nextCursor: hasMore && last ? encodeCursor(last) : null });
  });

  app.get('/:id', async (c) => c.json(await loadCollection(c)));

  app.patch('/:id', async (c) => {
    const id = uuidParam(c, 'id', 'collection');
    const input = await readBody(c, collectionInput.partial());
    const updated = await updateCollection(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      id,
      input,
    ).catch(rethrowConflict);
    if (!updated) throw problems.notFound('collection', id);
    return c.json(updated);
  });

  app.delete('/:id', async (c) => {
    const id = uuidParam(c, 'id', 'collection');
    if (!(await deleteCollection(c.get('deps').database.db, c.get('principal').tenantId, id))) {
      throw problems.notFound('collection', id);
    }
    return c.body(null, 204);
  });

  app.post('/:id/items', async (c) => {
    const collection = await loadCollection(c);
    const { items } = await readBody(c, upsertInput);
    const summary = await upsertItems(
      c.get('deps').database.sql,
      collection.tenantId,
      collection.id,
      items,
    );
    return c.json({ ...summary, received: items.length }, 200);
  });

  app.get('/:id/items', async (c) => {
    const collection = await loadCollection(c);
    const query = readQuery(
      c,
      z.object({
        limit: z.coerce.number().int().min(1).max(1_000).default(100),
        cursor: z.coerce.number().int().min(0).optional(),
        keyPrefix: z.string().max(2_048).optional(),
      }),
    );
    const rows = await listItems(c.get('deps').database.sql, collection.id, {
      limit: query.limit,
      afterId: query.cursor,
      keyPrefix: query.keyPrefix,
    });
    const last = rows.at(-1);
    return c.json({
      data: rows,
      nextCursor: rows.length === query.limit && last ? String(last.id) : null,
    });
  });

  app.delete('/:id/items', async (c) => {
    const collection = await loadCollection(c);
    const { keys } = await readBody(
      c,
      z.object({ keys: z.array(z.string().min(1)).min(1).max(MAX_ITEMS_PER_UPSERT) }),
    );
    return c.json({ deleted: await deleteItems(c.get('deps').database.sql, collection.id, keys) });
  });

  return app;
}
