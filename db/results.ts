import type postgres from 'postgres';

export interface HandlerVersion {
  handler: string;
  version: string;
}

export interface HandlerResultStats {
  handler: string;
  currentVersion: string | null;
  results: number;
  stale: number;
  versions: Record<string, number>;
}

/** Result counts per handler and version in a collection, from the (collection, handler, version) index. */
export async function resultStats(
  sql: postgres.Sql,
  collectionId: string,
  current: HandlerVersion[],
): Promise<HandlerResultStats[]> {
  const rows = await sql<{ handler: string; version: string; count: number }[]>`
    select handler, handler_version as version, count(*)::int as count
    from results where collection_id = ${collectionId}::uuid
    group by handler, handler_version order by handler, handler_version`;
  const currentOf = new Map(current.map((entry) => [entry.handler, entry.version]));
  const byHandler = new Map<string, HandlerResultStats>();
  for (const row of rows) {
    const currentVersion = currentOf.get(row.handler) ?? null;
    const stats = byHandler.get(row.handler) ?? {
      handler: row.handler,
      currentVersion,
      results: 0,
      stale: 0,
      versions: {},
    };
    stats.results += row.count;
    stats.versions[row.version] = row.count;
    if (currentVersion !== null && row.version !== currentVersion) stats.stale += row.count;
    byHandler.set(row.handler, stats);
  }
  return [...byHandler.values()];
}

/** Items of the collection with a result older than its handler's current version. */
export async function staleItemIds(
  sql: postgres.Sql,
  collectionId: string,
  current: HandlerVersion[],
): Promise<number[]> {
  if (current.length === 0) return [];
  const rows = await sql<{ id: number }[]>`
    select distinct r.item_id as id
    from results r
    join unnest(${current.map((c) => c.handler)}::text[], ${current.map((c) => c.version)}::text[]) as h(handler, version)
      on h.handler = r.handler
    where r.collection_id = ${collectionId}::uuid and r.handler_version <> h.version
    order by r.item_id`;
  return rows.map((row) => row.id);
}
