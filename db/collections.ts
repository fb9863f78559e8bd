import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Db } from './client';
import { translatePostgresError } from './pg-errors';
import { unfinishedOperation } from './predicates';
import { collections } from './schema';

export type Collection = typeof collections.$inferSelect;

export interface CollectionSummary extends Collection {
  operationCount: number;
  lastOperation: { id: string; status: string; createdAt: Date } | null;
}

export async function createCollection(
  db: Db,
  tenantId: string,
  input: { name: string; description?: string; metadata?: Record<string, unknown> },
): Promise<Collection> {
  try {
    const [row] = await db
      .insert(collections)
      .values({ tenantId, ...input })
      .returning();
    if (!row) throw new Error('collection insert returned nothing');
    return row;
  } catch (error) {
    throw translatePostgresError(error, `a collection named "${input.name}"`);
  }
}

/**
 * Operation count and last operation come from the (tenant, collection, created) index. The
 * columns are written out qualified: Drizzle would print them bare, and inside the subquery a
 * bare `id` means the operation's.
 */
const summaryColumns = {
  operationCount: sql<number>`(select count(*)::int from operations o where o.tenant_id = collections.tenant_id and o.collection_id = collections.id)`,
  lastOperation: sql<CollectionSummary['lastOperation']>`(
    select json_build_object('id', o.id, 'status', o.status, 'createdAt', o.created_at)
    from operations o where o.tenant_id = collections.tenant_id and o.collection_id = collections.id
    order by o.created_at desc limit 1)`,
};

export async function getCollection(
  db: Db,
  tenantId: string,
  id: string,
): Promise<CollectionSummary | undefined> {
  const [row] = await db
    .select({ collection: collections, ...summaryColumns })
    .from(collections)
    .where(and(eq(collections.tenantId, tenantId), eq(collections.id, id)));
  return (
    row && {
      ...row.collection,
      operationCount: row.operationCount,
      lastOperation: row.lastOperation,
    }
  );
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export async function listCollections(
  db: Db,
  tenantId: string,
  options: { limit: number; cursor?: { createdAt: Date; id: string } },
): Promise<{ rows: CollectionSummary[]; hasMore: boolean }> {
  const { cursor } = options;
  const rows = await db
    .select({ collection: collections, ...summaryColumns })
    .from(collections)
    .where(
      and(
        eq(collections.tenantId, tenantId),
        cursor
          ? or(
              lt(collections.createdAt, cursor.createdAt),
              and(eq(collections.createdAt, cursor.createdAt), lt(collections.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(collections.createdAt), desc(collections.id))
    .limit(options.limit + 1);
  return {
    rows: rows.slice(0, options.limit).map((row) => ({
      ...row.collection,
      operationCount: row.operationCount,
      lastOperation: row.lastOperation,
    })),
    hasMore: rows.length > options.limit,
  };
}

export async function updateCollection(
  db: Db,
  tenantId: string,
  id: string,
  input: { name?: string; description?: string; metadata?: Record<string, unknown> },
): Promise<Collection | undefined> {
  try {
    const [row] = await db
      .update(collections)
      .set({ ...input, updatedAt: new Date() })
      .where(and(eq(collections.tenantId, tenantId), eq(collections.id, id)))
      .returning();
    return row;
  } catch (error) {
    throw translatePostgresError(error, `a collection named "${input.name}"`);
  }
}

/**
 * Locks the tenant's collection for a delete, and names an unfinished operation over it (its
 * whole collection, or items of it given by id), if one runs: a delete would leave its batches
 * empty data. False when there is no such collection. The lock waits for a start that is
 * recording an operation over it (its foreign key holds the row), so none slips past.
 */
export async function lockIdleCollection(
  tx: postgres.Sql,
  tenantId: string,
  id: string,
): Promise<false | { busyWith?: string }> {
  const [found] = await tx`
    select id from collections where tenant_id = ${tenantId}::uuid and id = ${id}::uuid for update`;
  if (!found) return false;
  const [busy] = await tx<{ id: string }[]>`
    select o.id from operations o
    where o.tenant_id = ${tenantId}::uuid and o.status = any(${unfinishedOperation}::text[])
      and (o.collection_id = ${id}::uuid or (o.scope = 'items' and exists (
        select 1 from items i where i.collection_id = ${id}::uuid and i.id = any(o.item_ids))))
    order by o.created_at limit 1`;
  return busy ? { busyWith: busy.id } : {};
}

export async function deleteCollection(db: Db, tenantId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(collections)
    .where(and(eq(collections.tenantId, tenantId), eq(collections.id, id)))
    .returning({ id: collections.id });
  return rows.length > 0;
}
