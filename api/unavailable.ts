import { isGrpcServiceError } from '@temporalio/client';
import { type DatabaseOverload, databaseOverload, isPostgresUnavailable } from '../db/pg-errors';
import { type Problem, problems } from './problems';

/** gRPC codes that mean "Temporal is not answering now", not "this request is wrong". */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

function isTemporalUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (isGrpcServiceError(current)) {
      return current.code === GRPC_UNAVAILABLE || current.code === GRPC_DEADLINE_EXCEEDED;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The 503 for an error that says a dependency is down (Postgres restarting, Temporal
 * unreachable), so clients see "try again" instead of a 500; undefined for anything else.
 */
export function unavailableProblem(error: unknown): Problem | undefined {
  const overload = databaseOverload(error);
  if (overload) return databaseBusyProblem(overload);
  if (isPostgresUnavailable(error)) {
    return problems.unavailable(
      'Postgres is not reachable right now (restarting or down); nothing was lost. Retry in a few seconds.',
    );
  }
  if (isTemporalUnavailable(error)) {
    return problems.unavailable(
      'Temporal is not reachable right now (restarting or down). Retry in a few seconds.',
    );
  }
  return undefined;
}

/** Seconds a refused client should wait: about as long as a turn at the pool takes to come. */
const BUSY_RETRY_AFTER_SECONDS = 2;

function databaseBusyProblem(overload: DatabaseOverload): Problem {
  switch (overload.kind) {
    case 'pool-wait':
      return problems.databaseBusy(
        `The database is busy: no ${overload.pool} connection came free within ${overload.waitMs / 1000} s. Retry after a few seconds.`,
        BUSY_RETRY_AFTER_SECONDS,
      );
    case 'statement-timeout':
      return problems.databaseBusy(
        'The database stopped this request: it ran past the statement timeout. Narrow it (filters, a smaller page) or retry later.',
        BUSY_RETRY_AFTER_SECONDS,
      );
    case 'lock-timeout':
      return problems.databaseBusy(
        'The database stopped this request: it waited too long for a row another request holds. Retry after a few seconds.',
        BUSY_RETRY_AFTER_SECONDS,
      );
  }
}
