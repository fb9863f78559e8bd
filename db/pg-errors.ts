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
