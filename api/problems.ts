import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { zodFields } from '../common/domain-errors';
import { QUOTA_NAMES, QUOTAS, type QuotaName } from '../common/quotas';

/** One invalid field: its path in the request and what is wrong with it. */
export interface InvalidParam {
  name: string;
  reason: string;
}

/**
 * An RFC 9457 problem. `type` is stable for clients to branch on; `detail` tells a person what
 * to do next.
 */
export class Problem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly invalidParams?: InvalidParam[],
    /** Seconds after which trying again may succeed, sent as `Retry-After`. */
    readonly retryAfterSeconds?: number,
    /** The tenant's quota the request is over, named in the body. */
    readonly quota?: { name: QuotaName; limit: number },
  ) {
    super(detail ?? title);
  }
}

const TYPE_BASE = 'https://conveyor.dev/problems/';

export const problems = {
  validation: (invalidParams: InvalidParam[], where = 'request') =>
    new Problem(
      400,
      'validation',
      `Invalid ${where}`,
      `Fix the fields listed in invalid_params: ${invalidParams.map((p) => p.name).join(', ')}`,
      invalidParams,
    ),
  notFound: (what: string, id: string) =>
    new Problem(
      404,
      'not-found',
      `${what} not found`,
      `No ${what} with id "${id}" in this tenant.`,
    ),
  /**
   * A well-formed request naming something that does not exist (a job, a collection, a stage):
   * 404, with the field named as a 400 would name it.
   */
  missing: (params: InvalidParam[]) =>
    new Problem(
      404,
      'not-found',
      'Not found',
      params.map((param) => `${param.name}: ${param.reason}`).join('; '),
      params,
    ),
  /**
   * A well-formed request that contradicts what it names or holds (a discovery job over given
   * items, two stages of one name): 409, naming the fields. Rules a schema cannot state.
   */
  contradiction: (params: InvalidParam[]) =>
    new Problem(
      409,
      'conflict',
      'Conflict',
      params.map((param) => `${param.name}: ${param.reason}`).join('; '),
      params,
    ),
  unauthorized: (detail: string) => new Problem(401, 'unauthorized', 'Unauthorized', detail),
  forbidden: (detail: string) => new Problem(403, 'forbidden', 'Forbidden', detail),
  conflict: (detail: string) => new Problem(409, 'conflict', 'Conflict', detail),
  payloadTooLarge: (detail: string) =>
    new Problem(413, 'payload-too-large', 'Payload too large', detail),
  unsupportedMediaType: (detail: string) =>
    new Problem(415, 'unsupported-media-type', 'Unsupported media type', detail),
  unavailable: (detail: string, retryAfterSeconds?: number) =>
    new Problem(503, 'unavailable', 'Service unavailable', detail, undefined, retryAfterSeconds),
  /** A limit that guards the database's connections stopped this request; others go on. */
  databaseBusy: (detail: string, retryAfterSeconds: number) =>
    new Problem(503, 'database-busy', 'Database busy', detail, undefined, retryAfterSeconds),
  /**
   * Over one of the tenant's quotas: 429 (with `Retry-After` when the quota frees up by waiting),
   * or 409 for the highest priority, which no wait makes allowed.
   */
  quotaExceeded: (name: QuotaName, limit: number, detail: string) =>
    new Problem(
      name === 'highestPriority' ? 409 : 429,
      'quota-exceeded',
      'Quota exceeded',
      `${detail} (quota ${name}: ${limit}; a system key can change it with PATCH /v1/tenants/{id}).`,
      undefined,
      retryAfterOf(name),
      { name, limit },
    ),
};

/** A zod error's issues as invalid params, named as the use cases name fields. */
export const zodInvalidParams: (error: z.ZodError, prefix?: string) => InvalidParam[] = zodFields;

export function problemResponse(c: Context, problem: Problem): Response {
  return c.body(
    JSON.stringify({
      type: `${TYPE_BASE}${problem.type}`,
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      ...(problem.invalidParams ? { invalid_params: problem.invalidParams } : {}),
      ...(problem.quota ? { quota: problem.quota.name, limit: problem.quota.limit } : {}),
      instance: c.req.path,
    }),
    problem.status,
    {
      'content-type': 'application/problem+json',
      ...(problem.retryAfterSeconds === undefined
        ? {}
        : { 'retry-after': String(problem.retryAfterSeconds) }),
    },
  );
}

const retryAfterOf = (name: QuotaName): number | undefined =>
  (QUOTAS[name] as { retryAfterSeconds?: number }).retryAfterSeconds;

/** The body of every error response, as `problemResponse` writes it. */
export const problemSchema = z
  .object({
    type: z.url().openapi({
      description: `Stable identifier of the kind of problem, under ${TYPE_BASE}; branch on it.`,
      example: `${TYPE_BASE}validation`,
    }),
    title: z.string().openapi({ description: 'Short summary of the kind of problem.' }),
    status: z.number().int().openapi({ description: 'The HTTP status code.', example: 400 }),
    detail: z
      .string()
      .optional()
      .openapi({ description: 'What happened here, and what to do next.' }),
    invalid_params: z
      .array(
        z.object({
          name: z.string().openapi({
            description: 'Path of the field in the request, dot-separated; `(body)` for all of it.',
            example: 'items.1.key',
          }),
          reason: z.string().openapi({ description: 'What is wrong with it.' }),
        }),
      )
      .optional()
      .openapi({ description: 'For validation problems: each invalid field.' }),
    quota: z.enum(QUOTA_NAMES).optional().openapi({
      description: 'For `quota-exceeded`: the tenant’s quota the request is over.',
      example: 'operationsInFlight',
    }),
    limit: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'For `quota-exceeded`: that quota’s value.', example: 1000 }),
    instance: z.string().openapi({ description: 'The request path.', example: '/v1/collections' }),
  })
  .openapi('Problem', { description: 'An RFC 9457 problem (application/problem+json).' });

const ERROR_DESCRIPTIONS = {
  400: 'Invalid input; `invalid_params` names each invalid field.',
  401: 'Missing, unknown or revoked API key.',
  403: "The key's role may not do this.",
  404: 'No such resource in this tenant.',
  409: 'Not possible in the resource’s current state.',
  413: 'The body is larger than the API reads.',
  415: 'The body is not `application/json`.',
  429: 'Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room.',
  500: 'Something failed on our side; the problem names a request id.',
  503: 'Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few.',
} as const;
export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

const problemContent = { 'application/problem+json': { schema: problemSchema } };

/** OpenAPI responses for the given error statuses, each a `Problem`. */
export function errorResponses<S extends ErrorStatus>(
  ...statuses: S[]
): { [K in S]: { description: string; content: typeof problemContent } } {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status], content: problemContent },
    ]),
  ) as unknown as { [K in S]: { description: string; content: typeof problemContent } };
}
