import { PoolBusyError } from './pool-gate';

/**
 * Translates Postgres error codes into errors a caller can act on. Every module that catches a
 * database error asks here rather than matching codes itself.
 */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

interface PostgresLikeError {
  code?: string;
  constraint_name?: string;
  constraint?: string;
  detail?: string;
}

/** Drizzle wraps the driver's error in its own, with the original as `cause`. */
function asPostgresError(error: unknown): PostgresLikeError | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return undefined;
    if ('code' in current && typeof current.code === 'string') return current as PostgresLikeError;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Unique violations become a ConflictError with `what` in the message; others pass through. */
export function translatePostgresError(error: unknown, what: string): unknown {
  const pg = asPostgresError(error);
  if (pg?.code === '23505') {
    return new ConflictError(`${what} already exists`, { cause: error });
  }
  if (pg?.code === '53300') {
    return new Error(
      'Postgres has no free connections; lower the pool size or raise max_connections',
      {
        cause: error,
      },
    );
  }
  return error;
}

export function isUniqueViolation(error: unknown): boolean {
  return asPostgresError(error)?.code === '23505';
}

/**
 * Codes for input Postgres refuses to store or parse however often it is retried: a NUL byte in
 * text (22021), a `\u0000` escape in jsonb (22P05), nesting deeper than its stack (54001).
 * The API validates bodies against these up front; this catches what reaches Postgres by
 * another way (a path segment, a field added later).
 */
const UNSTORABLE_INPUT_CODES: Record<string, string> = {
  '22021': 'contains a character Postgres cannot store (a NUL byte?)',
  '22P05': 'contains a character Postgres cannot store in JSON (\\u0000?)',
  '54001': 'nests too deeply for Postgres',
};

/** Why Postgres refused this input for good, or undefined when the error is something else. */
export function unstorableInputReason(error: unknown): string | undefined {
  const code = asPostgresError(error)?.code;
  return code ? UNSTORABLE_INPUT_CODES[code] : undefined;
}

/** Socket-level codes (Node) and postgres.js connection codes: the server is not reachable. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/**
 * True when Postgres is down, restarting or out of connections rather than refusing this
 * request: connection exceptions (class 08), shutdowns (57P01-57P03) and `too many
 * connections` (53300). The API answers these with 503, since retrying later will work.
 */
export function isPostgresUnavailable(error: unknown): boolean {
  const code = asPostgresError(error)?.code;
  if (!code) return false;
  return (
    UNREACHABLE_CODES.has(code) ||
    code.startsWith('08') ||
    ['57P01', '57P02', '57P03', '53300'].includes(code)
  );
}

/** A name that does not resolve yet: a container or service whose DNS entry comes with it. */
const UNRESOLVED_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/**
 * Another process applies the same migration at this moment: the objects it creates appear
 * under this one's `create` (duplicate catalog rows, an existing relation or object).
 */
const MIGRATION_CLASH_CODES = new Set(['23505', '42P07', '42710']);

/**
 * True when a start's connect or migration failed in a way waiting cures: Postgres is not
 * reachable yet (or its name does not resolve yet), or another process migrates it right now.
 * Anything else (a refused password, a missing database, a failing migration) never passes.
 */
export function isPostgresNotReadyYet(error: unknown): boolean {
  const code = asPostgresError(error)?.code;
  if (!code) return false;
  return (
    isPostgresUnavailable(error) || UNRESOLVED_CODES.has(code) || MIGRATION_CLASH_CODES.has(code)
  );
}

/** Why the database refused to go on with a request for now, when a limit of ours stopped it. */
export type DatabaseOverload =
  | { kind: 'pool-wait'; pool: string; waitMs: number }
  | { kind: 'statement-timeout' }
  | { kind: 'lock-timeout' };

/**
 * A statement cut by `statement_timeout` (57014, told apart from a cancel asked for by its
 * message), a lock wait cut by `lock_timeout` (55P03), or no pool connection within the wait:
 * the API answers these 503 with `Retry-After`, never 500.
 */
export function databaseOverload(error: unknown): DatabaseOverload | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof PoolBusyError) {
      return { kind: 'pool-wait', pool: current.pool, waitMs: current.waitMs };
    }
    current = (current as { cause?: unknown }).cause;
  }
  const pg = asPostgresError(error) as (PostgresLikeError & { message?: string }) | undefined;
  if (pg?.code === '57014' && /statement timeout/.test(pg.message ?? '')) {
    return { kind: 'statement-timeout' };
  }
  if (pg?.code === '55P03') return { kind: 'lock-timeout' };
  return undefined;
}
