import { readFileSync } from 'node:fs';
import type postgres from 'postgres';

/** What `migrateDatabase` would still apply, from drizzle's own bookkeeping table. */
export interface MigrationState {
  /** Migrations the code ships (`db/migrations/meta/_journal.json`). */
  expected: number;
  /** Rows in `drizzle.__drizzle_migrations`. */
  applied: number;
  /** Tags of shipped migrations newer than the last one applied, oldest first. */
  pending: string[];
}

interface JournalEntry {
  when: number;
  tag: string;
}

const journalPath = new URL('./migrations/meta/_journal.json', import.meta.url);

function journal(): JournalEntry[] {
  return (JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: JournalEntry[] }).entries;
}

/**
 * Drizzle applies a migration when its journal time is later than the newest applied row's
 * `created_at`, so the same comparison says what is pending. A database never migrated has
 * no bookkeeping table: everything is pending.
 */
export async function migrationState(sql: postgres.Sql): Promise<MigrationState> {
  const entries = journal();
  const [table] = await sql<{ exists: boolean }[]>`
    select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
  const [row] = table?.exists
    ? await sql<{ applied: number; latest: string | null }[]>`
        select count(*)::int as applied, max(created_at)::text as latest
        from drizzle.__drizzle_migrations`
    : [{ applied: 0, latest: null }];
  const latest = row?.latest ? Number(row.latest) : -1;
  return {
    expected: entries.length,
    applied: row?.applied ?? 0,
    pending: entries.filter((entry) => entry.when > latest).map((entry) => entry.tag),
  };
}

/**
 * The database clock minus this process's, in ms: the database's `clock_timestamp()` against
 * the midpoint of the round trip that read it.
 */
export async function databaseClockSkewMs(sql: postgres.Sql): Promise<number> {
  const sent = Date.now();
  const [row] = await sql<{ now: string }[]>`
    select (extract(epoch from clock_timestamp()) * 1000)::float8::text as now`;
  const received = Date.now();
  return Math.round(Number(row?.now) - (sent + received) / 2);
}
