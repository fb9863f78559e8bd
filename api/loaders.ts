import type { Context } from 'hono';
import { type CollectionSummary, getCollection } from '../db/collections';
import { getOperation, type Operation } from '../db/operations';
import type { AppEnv } from './env';
import { problems } from './problems';
import { uuidParam } from './validation';

/** The collection named by the `:id` path parameter, in the caller's tenant, or a 404. */
export async function loadCollection(c: Context<AppEnv, string>): Promise<CollectionSummary> {
  const id = uuidParam(c, 'id', 'collection');
  const collection = await getCollection(
    c.get('deps').database.db,
    c.get('principal').tenantId,
    id,
  );
  if (!collection) throw problems.notFound('collection', id);
  return collection;
}

/** The operation named by the `:id` path parameter, in the caller's tenant, or a 404. */
export async function loadOperation(c: Context<AppEnv, string>): Promise<Operation> {
  const id = c.req.param('id') ?? '';
  const operation = await getOperation(c.get('deps').database.db, c.get('principal').tenantId, id);
  if (!operation) throw problems.notFound('operation', id);
  return operation;
}
