import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

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
  unauthorized: (detail: string) => new Problem(401, 'unauthorized', 'Unauthorized', detail),
  forbidden: (detail: string) => new Problem(403, 'forbidden', 'Forbidden', detail),
  conflict: (detail: string) => new Problem(409, 'conflict', 'Conflict', detail),
  unavailable: (detail: string) => new Problem(503, 'unavailable', 'Service unavailable', detail),
};

export function zodInvalidParams(error: z.ZodError, prefix?: string): InvalidParam[] {
  return error.issues.map((issue) => ({
    name: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    reason: issue.message,
  }));
}

export function problemResponse(c: Context, problem: Problem): Response {
  return c.body(
    JSON.stringify({
      type: `${TYPE_BASE}${problem.type}`,
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      ...(problem.invalidParams ? { invalid_params: problem.invalidParams } : {}),
      instance: c.req.path,
    }),
    problem.status,
    { 'content-type': 'application/problem+json' },
  );
}
