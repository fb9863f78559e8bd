import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './env';
import { constrainRequestsToStorableText } from './openapi-storable';

/** A JSON response of `schema`, for a route's `responses`. */
export function jsonResponse<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A required JSON request body of `schema`; an empty body is validated as `{}`. */
export function jsonBody<S extends z.ZodType>(schema: S, description?: string) {
  return {
    required: true,
    ...(description ? { description } : {}),
    content: { 'application/json': { schema } },
  };
}

/** A time in a response: ISO 8601, with an offset when Postgres wrote it. */
export const timestamp = (description: string) =>
  z.iso.datetime({ offset: true }).openapi({ description, example: '2025-01-31T09:30:00.000Z' });

/** Free-form JSON object (handler params, item data, event data). */
export const jsonObject = (description: string) =>
  z.record(z.string(), z.unknown()).openapi({ description });

/** `{ data: [...] }` lists, and the cursor-paged ones. */
export const listOf = <S extends z.ZodType>(item: S) => z.object({ data: z.array(item) });
export const pageOf = <S extends z.ZodType>(item: S) =>
  z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().openapi({
      description: 'Pass as `cursor` for the next page; null on the last page.',
    }),
  });

export const SECURITY_SCHEME = 'apiKey';

/** The OpenAPI 3.1 description of every route registered on `app`. */
export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', SECURITY_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API key: `Authorization: Bearer <key>`. Viewer keys read; operator and admin keys also write.',
  });
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Conveyor API',
      version: '1',
      description:
        'Collections, jobs and operations of the Conveyor job engine. Errors are `application/problem+json` (RFC 9457) with a stable `type`.',
    },
    security: [{ [SECURITY_SCHEME]: [] }],
    tags: [
      { name: 'collections', description: 'Named sets of items, and their statistics.' },
      { name: 'jobs', description: 'Job definitions: ordered stages, each naming a handler.' },
      {
        name: 'operations',
        description: 'Runs of a job over a scope; one Temporal workflow each.',
      },
      { name: 'handlers', description: 'What the workers can run.' },
      { name: 'health', description: 'Reachability of Postgres and Temporal.' },
    ],
  });
  nameOperations(document.paths ?? {});
  return constrainRequestsToStorableText(document);
}

const pascal = (word: string) =>
  word
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * An `operationId` for every route, from its method and path (`POST /v1/operations/{id}/cancel`
 * is `postOperationsByIdCancel`): what generated clients name their methods by, stable as long
 * as the route is.
 */
function nameOperations(paths: object): void {
  for (const [path, methods] of Object.entries(paths as Record<string, object>)) {
    const words = path
      .split('/')
      .filter((segment) => segment && segment !== 'v1')
      .map((segment) => {
        const parameter = /^\{(\w+)\}$/.exec(segment)?.[1];
        return parameter ? `By${pascal(parameter)}` : pascal(segment);
      })
      .join('');
    for (const [method, operation] of Object.entries(methods)) {
      const described = operation as { operationId?: string };
      described.operationId ??= `${method}${words}`;
    }
  }
}
