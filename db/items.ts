import type postgres from 'postgres';

export interface ItemInput {
  key: string;
  data: unknown;
}

export interface UpsertSummary {
  inserted: number;
  updated: number;
}

/** An item an upsert inserted, or whose data it changed (unchanged items are not returned). */
export interface UpsertedItem {
  id: number;
  inserted: boolean;
}

/**
 * Upserts items by key in one statement (`jsonb_to_recordset` keeps it to one parameter however
 * many items) and keeps the collection's item_count in step within the same statement; returns
 * the items it inserted or changed. A key given twice in one call: the last one wins, as the API
 * says.
 */
export async function upsertItemsReturning(
  sql: postgres.Sql,
  tenantId: string,
  collectionId: string,
  items: ItemInput[],
): Promise<UpsertedItem[]> {
  if (items.length === 0) return [];
  return sql<UpsertedItem[]>`
    with input as (
      select distinct on (key) key, data
      from rows from (jsonb_to_recordset(${JSON.stringify(items)}::jsonb) as (key text, data jsonb))
        with ordinality as i(key, data, n)
      order by key, n desc
    ), upserted as (
      insert into items (tenant_id, collection_id, key, data)
      select ${tenantId}::uuid, ${collectionId}::uuid, key, coalesce(data, '{}'::jsonb) from input
      on conflict (collection_id, key) do update
        set data = excluded.data, updated_at = now()
        where items.data is distinct from excluded.data
      returning id, (xmax = 0) as inserted
    ), counted as (
      update collections
      set item_count = item_count + (select count(*) from upserted where inserted), updated_at = now()
      where id = ${collectionId}::uuid
      returning 1
    )
    select id::int8 as id, inserted from upserted`;
}

export async function upsertItems(
  sql: postgres.Sql,
  tenantId: string,
  collectionId: string,
  items: ItemInput[],
): Promise<UpsertSummary> {
  const upserted = await upsertItemsReturning(sql, tenantId, collectionId, items);
  const inserted = upserted.filter((item) => item.inserted).length;
  return { inserted, updated: upserted.length - inserted };
}

/** The ids of a collection's items with these keys. */
export async function findItemIdsByKey(
  sql: postgres.Sql,
  collectionId: string,
  keys: string[],
): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select id from items where collection_id = ${collectionId}::uuid and key = any(${keys}::text[])`;
  return rows.map((row) => row.id);
}

/**
 * A timestamptz column in ISO 8601 (UTC, milliseconds), as `Date.toISOString` writes the times
 * Drizzle returns. Raw queries need it: Drizzle turns this client's timestamp parser off, so a
 * bare column arrives as Postgres' text form (`2025-01-31 09:30:00.123456+00`).
 */
export function isoTime(sql: postgres.Sql, column: string) {
  return sql`to_char(${sql(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export interface ItemRow {
  id: number;
  key: string;
  data: unknown;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
}

const itemColumns = (sql: postgres.Sql) =>
  sql`id::int8 as id, key, data, ${isoTime(sql, 'created_at')} as "createdAt", ${isoTime(sql, 'updated_at')} as "updatedAt"`;

/** The item with this id, if it belongs to the collection of the tenant. */
export async function getItem(
  sql: postgres.Sql,
  tenantId: string,
  collectionId: string,
  itemId: number,
): Promise<ItemRow | undefined> {
  const [row] = await sql<ItemRow[]>`
    select ${itemColumns(sql)} from items
    where id = ${itemId} and collection_id = ${collectionId}::uuid and tenant_id = ${tenantId}::uuid`;
  return row;
}

/** `and <column> like '<prefix>%'`, the prefix's own wildcards escaped; nothing without one. */
export function keyPrefixCondition(sql: postgres.Sql, column: string, prefix: string | undefined) {
  return prefix ? sql`and ${sql(column)} like ${`${prefix.replace(/[\\%_]/g, '\\$&')}%`}` : sql``;
}

export async function listItems(
  sql: postgres.Sql,
  collectionId: string,
  options: { limit: number; afterId?: number; keyPrefix?: string },
): Promise<ItemRow[]> {
  return sql<ItemRow[]>`
    select ${itemColumns(sql)}
    from items
    where collection_id = ${collectionId}::uuid
      and id > ${options.afterId ?? 0}
      ${keyPrefixCondition(sql, 'key', options.keyPrefix)}
    order by id
    limit ${options.limit}`;
}

/** The collection's items of these ids, in id order. */
export async function listItemsByIds(
  sql: postgres.Sql,
  collectionId: string,
  ids: number[],
): Promise<ItemRow[]> {
  return sql<ItemRow[]>`
    select ${itemColumns(sql)}
    from items
    where collection_id = ${collectionId}::uuid and id = any(${ids}::int8[])
    order by id`;
}

export async function deleteItems(
  sql: postgres.Sql,
  collectionId: string,
  keys: string[],
): Promise<number> {
  const [row] = await sql<{ deleted: number }[]>`
    with deleted as (
      delete from items where collection_id = ${collectionId}::uuid and key = any(${keys}::text[])
      returning 1
    ), counted as (
      update collections set item_count = item_count - (select count(*) from deleted), updated_at = now()
      where id = ${collectionId}::uuid
      returning 1
    )
    select (select count(*) from deleted)::int as deleted, (select count(*) from counted)::int as touched`;
  return row?.deleted ?? 0;
}

/** Of `ids`, those that exist and belong to the tenant. */
export async function findTenantItemIds(
  sql: postgres.Sql,
  tenantId: string,
  ids: number[],
): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select id::int8 as id from items where tenant_id = ${tenantId}::uuid and id = any(${ids}::int8[])`;
  return rows.map((row) => Number(row.id));
}

export interface ItemSelection {
  limit?: number;
  itemKeys?: string[];
}

/** The ids an operation over a collection or an item list covers, narrowed by key and limit. */
export async function selectItemIds(
  sql: postgres.Sql,
  source: { collectionId: string } | { itemIds: number[] },
  selection: ItemSelection,
): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select id from items
    where ${'collectionId' in source ? sql`collection_id = ${source.collectionId}::uuid` : sql`id = any(${source.itemIds}::int8[])`}
      ${selection.itemKeys ? sql`and key = any(${selection.itemKeys}::text[])` : sql``}
    order by id
    ${selection.limit ? sql`limit ${selection.limit}` : sql``}`;
  return rows.map((row) => row.id);
}

/** How many items a collection holds, and the first few keys, for a dry run's plan. */
export async function sampleItems(
  sql: postgres.Sql,
  source: { collectionId: string } | { itemIds: number[] },
  sample: number,
): Promise<{ count: number; keys: string[] }> {
  const where =
    'collectionId' in source
      ? sql`collection_id = ${source.collectionId}::uuid`
      : sql`id = any(${source.itemIds}::int8[])`;
  const [counted] = await sql<
    { count: number }[]
  >`select count(*)::int as count from items where ${where}`;
  const keys = await sql<
    { key: string }[]
  >`select key from items where ${where} order by id limit ${sample}`;
  return { count: counted?.count ?? 0, keys: keys.map((row) => row.key) };
}
