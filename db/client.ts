import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Config } from '../common/config';
import { PoolGate } from './pool-gate';
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
  /** The bounded wait for a connection, when the pool has one (see `PoolOptions.waitMs`). */
  gate?: PoolGate;
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

/**
 * What Postgres itself cuts, per connection: a statement running past `statementTimeoutMs`, a
 * lock waited for past `lockTimeoutMs`, a transaction left idle past
 * `idleInTransactionTimeoutMs` (which ends its session). Without them one slow request holds a
 * connection, and whatever waits behind it, for as long as it likes.
 */
export interface StatementLimits {
  statementTimeoutMs: number;
  lockTimeoutMs?: number;
  idleInTransactionTimeoutMs: number;
}

/**
 * The engine's limits (the worker's pool): no lock timeout, since its batches wait on each
 * other's rows by design and every holder is itself bounded by the other two.
 */
export function engineStatementLimits(
  settings: Pick<Config, 'DB_STATEMENT_TIMEOUT_MS' | 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'>,
): StatementLimits {
  return {
    statementTimeoutMs: settings.DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: settings.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
}

export interface PoolOptions {
  max?: number;
  /** None for a pool whose statements may run as long as they need (migrations). */
  limits?: StatementLimits;
  /**
   * How long a query or transaction waits for a connection before it fails with a
   * PoolBusyError; without it the driver's queue is unbounded (the worker's activities wait).
   */
  waitMs?: number;
  /** Closes connections idle this long; a pool used now and then holds none in between. */
  idleTimeoutSeconds?: number;
  /** Named in a PoolBusyError: `request`, `export`. */
  name?: string;
}

export function connectDatabase(url: string, options: PoolOptions = {}): Database {
  const max = options.max ?? 10;
  const limits = options.limits;
  const pool = postgres(url, {
    max,
    onnotice: () => {},
    // Bulk statements send large arrays; prepared statements keep them cheap to re-run.
    prepare: true,
    backoff: reconnectDelaySeconds,
    idle_timeout: options.idleTimeoutSeconds,
    connection: limits
      ? {
          statement_timeout: limits.statementTimeoutMs,
          idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
          ...(limits.lockTimeoutMs === undefined ? {} : { lock_timeout: limits.lockTimeoutMs }),
        }
      : {},
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
  const gate =
    options.waitMs === undefined
      ? undefined
      : new PoolGate(options.name ?? 'database', max, options.waitMs);
  const sql = gate ? gated(pool, gate) : pool;
  return {
    db: drizzle(sql, { schema }),
    sql,
    gate,
    close: () => pool.end({ timeout: 5 }),
  };
}

/** The driver's query as the gate sees it: run by `handler` once, settled by resolve/reject. */
interface DriverQuery {
  handler: ((query: DriverQuery) => void) & { debug?: unknown };
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  cancelled: unknown;
  cursorFn?: unknown;
}

const isDriverQuery = (value: unknown): value is DriverQuery =>
  value instanceof Promise && typeof (value as Partial<DriverQuery>).handler === 'function';

/**
 * The pool behind `gate`: each query takes a turn when the driver would run it and gives it back
 * when it settles; a transaction holds one turn throughout. Fragments (`sql\`and …\``) are
 * never run, so they take none. A cursor keeps its connection until read to its end, so it is
 * let through: its caller takes a turn for it (the export does).
 */
function gated(pool: postgres.Sql, gate: PoolGate): postgres.Sql {
  const admit = <T>(query: T): T => {
    if (!isDriverQuery(query)) return query;
    const run = query.handler;
    const handler = (q: DriverQuery) => {
      if (q.cursorFn) return run(q);
      gate.acquire().then(
        (release) => {
          // Cancelled while it waited: the driver would park a connection on it.
          if (q.cancelled) return release();
          const { resolve, reject } = q;
          q.resolve = (value) => {
            release();
            resolve(value);
          };
          q.reject = (error) => {
            release();
            reject(error);
          };
          run(q);
        },
        (error) => q.reject(error),
      );
    };
    handler.debug = run.debug;
    query.handler = handler;
    return query;
  };
  return new Proxy(pool, {
    apply: (target, self, args) => admit(Reflect.apply(target, self, args)),
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (...args: Parameters<postgres.Sql['unsafe']>) => admit(target.unsafe(...args));
      }
      if (property === 'begin') {
        return (...args: unknown[]) =>
          gate.run(() => (target.begin as (...a: unknown[]) => Promise<unknown>)(...args));
      }
      return Reflect.get(target, property, receiver);
    },
  });
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
