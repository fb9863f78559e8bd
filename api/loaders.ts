import type { Context } from 'hono';
import { type CollectionSummary, getCollection } from '../db/collections';
import { getOperation, type Operation } from '../db/operations';
import type { AppEnv } from './env';
import { problems } from './problems';

/** The collection with this id, in the caller's tenant, or a 404. */
export async function loadCollection(
  c: Context<AppEnv, string>,
  id: string,
): Promise<CollectionSummary> {
  const collection = await getCollection(
    c.get('deps').database.db,
    c.get('principal').tenantId,
    id,
  );
  if (!collection) throw problems.notFound('collection', id);
  return collection;
}

/** The operation with this id, in the caller's tenant, or a 404. */
export async function loadOperation(c: Context<AppEnv, string>, id: string): Promise<Operation> {
  const operation = await getOperation(c.get('deps').database.db, c.get('principal').tenantId, id);
  if (!operation) throw problems.notFound('operation', id);
  return operation;
}
