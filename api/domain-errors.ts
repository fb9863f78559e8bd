import {
  Conflict,
  DomainError,
  InvalidInput,
  NotFound,
  QuotaExceeded,
  Unavailable,
} from '../common/domain-errors';
import { Problem, problems } from './problems';

/**
 * The problem that answers a use case's refusal, or what was thrown when it is a problem
 * already; undefined for anything else (a failure of ours). The app's error handler answers
 * every route with it, so a use case needs to know nothing of HTTP.
 */
export function problemOf(thrown: unknown): Problem | undefined {
  if (thrown instanceof Problem) return thrown;
  if (!(thrown instanceof DomainError)) return undefined;
  if (thrown instanceof InvalidInput) return problems.validation(thrown.fields);
  if (thrown instanceof NotFound) {
    return thrown.record
      ? problems.notFound(thrown.record.kind, thrown.record.id)
      : problems.missing(thrown.fields);
  }
  if (thrown instanceof Conflict) {
    return thrown.fields ? problems.contradiction(thrown.fields) : problems.conflict(thrown.reason);
  }
  if (thrown instanceof QuotaExceeded) {
    return problems.quotaExceeded(thrown.quota, thrown.limit, thrown.reason);
  }
  if (thrown instanceof Unavailable) {
    return problems.unavailable(thrown.reason, thrown.retryAfterSeconds);
  }
  return undefined;
}
