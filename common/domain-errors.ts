import type { z } from 'zod';
import type { QuotaName } from './quotas';

/**
 * What the use cases refuse with. They say what went wrong in the domain's terms; `api/`
 * answers each with its problem (api/domain-errors.ts), an activity reacts to each its own way.
 */

/** One field of a request and what is wrong with it, named by its path in the request. */
export interface Field {
  name: string;
  reason: string;
}

export abstract class DomainError extends Error {}

/** A request that is not well-formed in a way its schema could not say. */
export class InvalidInput extends DomainError {
  constructor(readonly fields: Field[]) {
    super(fields.map((field) => `${field.name}: ${field.reason}`).join('; '));
  }
}

/** A well-formed request naming something this tenant does not have (a job, a collection). */
export class NotFound extends DomainError {
  constructor(
    readonly fields: Field[],
    /** What is missing when the request named it by its own id (a path's id), not by a field. */
    readonly resource?: { kind: string; id: string },
  ) {
    super(
      resource
        ? `No ${resource.kind} with id "${resource.id}"`
        : fields.map((field) => `${field.name}: ${field.reason}`).join('; '),
    );
  }

  /** No `kind` with this id in the tenant, as for `/webhooks/{id}`. */
  static resource(kind: string, id: string): NotFound {
    return new NotFound([], { kind, id });
  }
}

/**
 * A valid request at odds with the state of what it names (nothing to reprocess) or with what
 * it names itself (a discovery job over given items), then naming the fields.
 */
export class Conflict extends DomainError {
  constructor(
    readonly reason: string,
    readonly fields?: Field[],
  ) {
    super(reason);
  }

  static over(fields: Field[]): Conflict {
    return new Conflict(fields.map((field) => `${field.name}: ${field.reason}`).join('; '), fields);
  }
}

/** Over one of the tenant's quotas (common/quotas.ts). */
export class QuotaExceeded extends DomainError {
  constructor(
    readonly quota: QuotaName,
    readonly limit: number,
    readonly reason: string,
  ) {
    super(
      `${reason} (quota ${quota}: ${limit}; a system key can change it with PATCH /v1/tenants/{id}).`,
    );
  }
}

/** A dependency (Temporal) did not do its part; trying again later may succeed. */
export class Unavailable extends DomainError {
  constructor(
    readonly reason: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(reason);
  }
}

/** A zod error's issues as fields, each path under `prefix` when one is given. */
export function zodFields(error: z.ZodError, prefix?: string): Field[] {
  const nameOf = (path: PropertyKey[]) =>
    [prefix, ...path.map(String)].filter(Boolean).join('.') || '(body)';
  return error.issues.flatMap((issue) =>
    // A field the object does not have: named itself, not the object that holds it.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          name: nameOf([...issue.path, key]),
          reason: 'is not a field here; remove it (or check its spelling)',
        }))
      : [{ name: nameOf(issue.path), reason: issue.message }],
  );
}
