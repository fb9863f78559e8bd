import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;

/**
 * A Drizzle database with the raw `postgres` client beside it, for bulk statements and close.
 * Drizzle turns the client's json serializers off, so bulk statements send JSON as text and
 * cast it (`${JSON.stringify(rows)}::jsonb`) rather than using `sql.json`.
 */
export interface Database {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/**
 * How long a connection waits before trying Postgres again, by failures in a row across the
 * pool. The driver's default grows to 20 s because every connection's failure counts, so after
 * a short outage the pool idled for up to 20 s while Postgres was already back; 2 s at most
 * keeps recovery prompt and is still no storm against a server that is down.
 */
export function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.1 * 2 ** failures, 2);
}

export function connectDatabase(url: string, options: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Bulk statements send large arrays; prepared statements keep them cheap to re-run.
    prepare: true,
    backoff: reconnectDelaySeconds,
    types: {
      // Item ids are bigserial; as numbers they stay exact far past any realistic item count.
      bigint: {
        to: 20,
        from: [20],
        parse: (value: string) => Number(value),
        serialize: (value: number) => String(value),
      },
    },
  });
  return {
    db: drizzle(sql, { schema }),
    sql,
    close: () => sql.end({ timeout: 5 }),
  };
}

/** The Drizzle and raw views of one transaction, so query functions of either kind can share it. */
export interface Tx {
  db: Db;
  /**
   * Typed as the pool so every query function (which takes `postgres.Sql`) accepts it; a
   * transaction runs the same tagged-template queries, and nothing here ends or reserves it.
   */
  sql: postgres.Sql;
}

/**
 * Runs `work` in one transaction: writes that must agree (a status and its event, a batch's
 * outcomes and its costs) commit together or not at all. Drizzle is layered over the
 * transaction's own connection, so both query styles see the same uncommitted rows; Drizzle
 * reads the pool's parser options, which a transaction object lacks, so they are lent to it.
 */
export function inTransaction<T>(database: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  return database.sql.begin((transaction) => {
    const sql = Object.assign(transaction, {
      options: database.sql.options,
    }) as unknown as postgres.Sql;
    return work({ db: drizzle(sql, { schema }), sql });
  }) as Promise<T>;
}

const migrationsFolder = new URL('./migrations', import.meta.url).pathname;

/** Applies the committed drizzle-kit migrations; safe to run at every start. */
export async function migrateDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
