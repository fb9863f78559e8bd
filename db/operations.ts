import {
  and,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  lt,
  lte,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type postgres from 'postgres';
import { FINISHED_STATUSES, type OperationStatus } from '../common/domain';
import type { Db } from './client';
import { isJobId } from './jobs';
import { scopeItems } from './operation-scope';
import { operations } from './schema';

type OperationColumns = typeof operations.$inferSelect;

/**
 * An operation as the engine and the views read it: without its explicit item ids (up to a
 * million per row), with their count instead. Only seeding its item stages needs the ids, and
 * that reads them inside Postgres (`seedItemStages` with `itemsOf`).
 */
export type Operation = Omit<OperationColumns, 'itemIds'> & { itemCount: number | null };

/** An operation as lists show it: without its job snapshot either. */
export type OperationListing = Omit<Operation, 'definition'>;

/** What every view of an operation reads: all but its snapshot and explicit item ids. */
export type OperationFields = Omit<OperationListing, 'itemCount'>;

const { itemIds: _itemIds, ...recordColumns } = getTableColumns(operations);
const { definition: _definition, ...listingColumns } = recordColumns;
/** The count of an operation's explicit item ids (null for a collection or global scope). */
const itemCount = sql<number | null>`cardinality(${operations.itemIds})`;
const operationColumns = { ...recordColumns, itemCount };
export type NewOperation = typeof operations.$inferInsert;

export async function insertOperation(db: Db, values: NewOperation): Promise<Operation> {
  const [row] = await db.insert(operations).values(values).returning(operationColumns);
  if (!row) throw new Error('operation insert returned nothing');
  return row;
}

export async function getOperation(
  db: Db,
  tenantId: string,
  id: string,
): Promise<Operation | undefined> {
  const [row] = await db
    .select(operationColumns)
    .from(operations)
    .where(and(eq(operations.tenantId, tenantId), eq(operations.id, id)));
  return row;
}

/** For the engine, which acts on an operation id it was handed by its own workflow. */
export async function getOperationById(db: Db, id: string): Promise<Operation | undefined> {
  const [row] = await db.select(operationColumns).from(operations).where(eq(operations.id, id));
  return row;
}

export async function findOperationByIdempotencyKey(
  db: Db,
  tenantId: string,
  key: string,
): Promise<Operation | undefined> {
  const [row] = await db
    .select(operationColumns)
    .from(operations)
    .where(and(eq(operations.tenantId, tenantId), eq(operations.idempotencyKey, key)));
  return row;
}

export interface OperationFilters {
  status?: OperationStatus[];
  job?: string;
  collectionId?: string;
  scope?: Operation['scope'];
  requestedBy?: string;
  requestedFor?: string;
  scheduleId?: string;
  priority?: number;
  createdAfter?: Date;
  createdBefore?: Date;
}

function filterConditions(tenantId: string, filters: OperationFilters): (SQL | undefined)[] {
  return [
    eq(operations.tenantId, tenantId),
    filters.status?.length ? inArray(operations.status, filters.status) : undefined,
    filters.job
      ? isJobId(filters.job)
        ? eq(operations.jobId, filters.job)
        : eq(operations.jobName, filters.job)
      : undefined,
    filters.collectionId ? eq(operations.collectionId, filters.collectionId) : undefined,
    filters.scope ? eq(operations.scope, filters.scope) : undefined,
    filters.requestedBy ? eq(operations.requestedBy, filters.requestedBy) : undefined,
    filters.requestedFor ? eq(operations.requestedFor, filters.requestedFor) : undefined,
    filters.scheduleId ? eq(operations.scheduleId, filters.scheduleId) : undefined,
    filters.priority ? eq(operations.priority, filters.priority) : undefined,
    filters.createdAfter ? gte(operations.createdAt, filters.createdAfter) : undefined,
    filters.createdBefore ? lte(operations.createdAt, filters.createdBefore) : undefined,
  ];
}

export async function listOperations(
  db: Db,
  tenantId: string,
  filters: OperationFilters,
  page: { limit: number; cursor?: { createdAt: Date; id: string } },
): Promise<{ rows: OperationListing[]; hasMore: boolean }> {
  const conditions: (SQL | undefined)[] = [
    ...filterConditions(tenantId, filters),
    page.cursor
      ? or(
          lt(operations.createdAt, page.cursor.createdAt),
          and(eq(operations.createdAt, page.cursor.createdAt), lt(operations.id, page.cursor.id)),
        )
      : undefined,
  ];
  const rows = await db
    .select({ ...listingColumns, itemCount })
    .from(operations)
    .where(and(...conditions))
    .orderBy(desc(operations.createdAt), desc(operations.id))
    .limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

/** What a bulk action applies to: cancel the unfinished, retry the finished that have failures. */
export type BulkAction = 'cancel' | 'retry';

const bulkCondition = (action: BulkAction) =>
  action === 'cancel'
    ? notInArray(operations.status, [...FINISHED_STATUSES])
    : and(inArray(operations.status, [...FINISHED_STATUSES]), gt(operations.itemsFailed, 0));

/**
 * The operations matching `filters` that `action` applies to: how many there are, and the
 * newest `limit` of them, which a bulk action acts on.
 */
export async function bulkCandidates(
  db: Db,
  tenantId: string,
  filters: OperationFilters,
  action: BulkAction,
  limit: number,
): Promise<{ matched: number; rows: Operation[] }> {
  const where = and(...filterConditions(tenantId, filters), bulkCondition(action));
  const [total, rows] = await Promise.all([
    db.select({ count: count() }).from(operations).where(where),
    db
      .select(operationColumns)
      .from(operations)
      .where(where)
      .orderBy(desc(operations.createdAt), desc(operations.id))
      .limit(limit),
  ]);
  return { matched: total[0]?.count ?? 0, rows };
}

/** How many operations over a collection are in each status, from the collection index. */
export async function operationsByStatus(
  sql: postgres.Sql,
  tenantId: string,
  collectionId: string,
): Promise<{ status: string; count: number }[]> {
  return sql<{ status: string; count: number }[]>`
    select status, count(*)::int as count from operations
    where tenant_id = ${tenantId}::uuid and collection_id = ${collectionId}::uuid
    group by status`;
}

/**
 * The items that failed any stage of the operation, in either ledger format: what a retry runs
 * again. Each format's half reads its own primary key's operation prefix and finds nothing in
 * the other's.
 */
export async function failedItemIds(sql: postgres.Sql, operation: LedgerOf): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select item_id::int8 as id from item_stages
    where operation_id = ${operation.id} and status = 'failed'
    union
    select item_id from outcomes
    where operation_key = ${operation.key} and status = 'failed'
    order by id`;
  return rows.map((row) => row.id);
}

/**
 * Items of the operation's scope left without a final outcome in one of its `stageCount` stages
 * (a cancel or a failure cut them short), in either format, in id order.
 */
export async function unfinishedItemIds(
  sql: postgres.Sql,
  operation: LedgerOf,
  stageCount: number,
): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select distinct item_id::int8 as id from item_stages
    where operation_id = ${operation.id} and status in ('pending', 'in_progress')
    union
    select s.item_id from ${scopeItems(sql, operation.key)} s
    where ${operation.ledger === 2} and (
      select count(*) from outcomes oc
      where oc.operation_key = ${operation.key} and oc.item_id = s.item_id) < ${stageCount}
    order by id`;
  return rows.map((row) => row.id);
}

/**
 * Records an operation `cancelled` unless it is already final; false when it was. Guarded so a
 * cancel racing the operation's own completion never overwrites a `completed` record.
 */
export async function cancelUnfinishedOperation(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .update(operations)
    .set({ status: 'cancelled', finishedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(operations.id, id), notInArray(operations.status, [...FINISHED_STATUSES])))
    .returning({ id: operations.id });
  return rows.length > 0;
}

export async function setOperationStatus(
  db: Db,
  id: string,
  status: OperationStatus,
  extra: Partial<Pick<Operation, 'error' | 'startedAt' | 'finishedAt' | 'runId'>> = {},
): Promise<void> {
  await db
    .update(operations)
    .set({ status, ...extra, updatedAt: new Date() })
    .where(eq(operations.id, id));
}

/**
 * Notes on a queued operation why its workflow did not start, or clears the note (null) before
 * another try; an operation that has left `queued` is not touched.
 */
export async function setStartError(db: Db, id: string, error: string | null): Promise<void> {
  await db
    .update(operations)
    .set({ error, updatedAt: new Date() })
    .where(and(eq(operations.id, id), eq(operations.status, 'queued')));
}

/** After discovery: the operation covers as many items as its first item stage has rows. */
export async function setItemsTotalFromStage(
  sql: postgres.Sql,
  operationId: string,
  stageIndex: number,
): Promise<number | undefined> {
  const [row] = await sql<{ total: number }[]>`
    update operations set items_total = (
      select count(*) from item_stages where operation_id = ${operationId} and stage_index = ${stageIndex}
    ), updated_at = now()
    where id = ${operationId}
    returning items_total as total`;
  return row?.total;
}

/** queued → running, once: false when the operation had already left `queued`. */
export async function markOperationRunning(
  sql: postgres.Sql,
  operationId: string,
  itemsTotal: number,
  runId: string | null,
): Promise<boolean> {
  const started = await sql`
    update operations set status = 'running', items_total = ${itemsTotal},
      started_at = coalesce(started_at, now()), run_id = ${runId}, updated_at = now()
    where id = ${operationId} and status = 'queued'`;
  return started.count > 0;
}

/** running ⇄ paused; returns the tenant when the status changed, nothing once finished. */
export async function setPausedStatus(
  sql: postgres.Sql,
  operationId: string,
  paused: boolean,
): Promise<string | undefined> {
  const [row] = await sql<{ tenantId: string }[]>`
    update operations set status = ${paused ? 'paused' : 'running'}, updated_at = now()
    where id = ${operationId} and status in ('running', 'paused')
    returning tenant_id as "tenantId"`;
  return row?.tenantId;
}

/** Ids of a job's operations in these statuses (the ones a job's pause or resume steers). */
export async function operationIdsOfJob(
  db: Db,
  tenantId: string,
  jobName: string,
  statuses: OperationStatus[],
): Promise<string[]> {
  const rows = await db
    .select({ id: operations.id })
    .from(operations)
    .where(
      and(
        eq(operations.tenantId, tenantId),
        eq(operations.jobName, jobName),
        inArray(operations.status, statuses),
      ),
    )
    .limit(10_000);
  return rows.map((row) => row.id);
}

/** What a reader needs to know where an operation's ledger rows are (docs/ledger.md). */
export type LedgerOf = Pick<OperationFields, 'id' | 'key' | 'ledger'>;
