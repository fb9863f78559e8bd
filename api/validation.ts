import { type Hook, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { unstorableInputReason } from '../db/pg-errors';
import type { AppEnv } from './env';
import { badText, costlyJsonParam, hostileJsonParams } from './json-checks';
import { type InvalidParam, Problem, problems, zodInvalidParams } from './problems';

/** Largest JSON body the API reads; item upserts are the big ones. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Most invalid fields one problem lists. */
const MAX_INVALID_PARAMS = 100;

/** How a validation problem's title names the part of the request that failed. */
const TARGET_NAMES: Record<string, string> = { json: 'body', query: 'query', header: 'headers' };

/**
 * The singular noun of the resource a route's `:id` names ("collection" for
 * `/v1/collections/:id/items`), for a 404 that reads like the one for a missing id.
 */
function resourceNoun(routePath: string): string {
  const segments = routePath.split('/');
  const before = segments[segments.indexOf(':id') - 1];
  return before ? before.replace(/s$/, '') : 'resource';
}

/**
 * Every route's zod validation ends here: a path id that cannot exist is a 404, like an id
 * that does not; anything else is our 400 problem naming each invalid field.
 */
export const validationHook: Hook<unknown, AppEnv, string, undefined> = (result, c) => {
  if (result.success) return;
  if (result.target === 'param') {
    throw problems.notFound(resourceNoun(c.req.routePath), c.req.param('id') ?? '');
  }
  // A body of thousands of invalid elements is answered with the first ones, not a list as long.
  throw problems.validation(
    zodInvalidParams(result.error).slice(0, MAX_INVALID_PARAMS),
    TARGET_NAMES[result.target] ?? result.target,
  );
};

/** A router whose routes validate with `validationHook`; one per resource, mounted under /v1. */
export function openApiRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses a JSON body or query string holding what Postgres cannot store or Node cannot
 * serialise, or a body costly to parse (see `costlyJsonParam`, `hostileJsonParams`), with a 400
 * naming each field, before any route's schema runs. Malformed JSON is left to the route's
 * validator, which answers it as before. The body is parsed once, here.
 */
async function refuseHostileInput(c: Context<AppEnv>, next: Next): Promise<void> {
  const queryParams: InvalidParam[] = [];
  for (const [name, values] of Object.entries(c.req.queries())) {
    for (const value of values) {
      const reason = badText(value) ?? badText(name);
      if (reason) queryParams.push({ name: badText(name) ? '(query)' : name, reason });
    }
  }
  if (queryParams.length > 0) throw problems.validation(queryParams, 'query');
  const type = c.req.header('content-type') ?? '';
  if (BODY_METHODS.has(c.req.method) && /^application\/([a-z0-9.+-]*\+)?json/i.test(type)) {
    // A body over the limit throws our 413 problem here.
    const text = await c.req.text();
    const costly = costlyJsonParam(text);
    if (costly) throw problems.validation([costly], 'body');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      // Malformed JSON: the route's validator answers it in the usual shape.
      if (error instanceof SyntaxError) return next();
      throw error;
    }
    const bodyParams = hostileJsonParams(body);
    if (bodyParams.length > 0) throw problems.validation(bodyParams, 'body');
    // Hono parses the cached text again on each `json()`; the route's validator gets this one.
    c.req.json = <T>() => Promise.resolve(body as T);
  }
  await next();
}

/**
 * Hono's body limit, answered with our 413 problem. It counts what arrives, so a chunked body
 * without content-length is cut off at the limit too. Within the limit, the body and query are
 * then checked for text Postgres cannot store and hostile nesting (`refuseHostileInput`).
 */
export function limitBody(maxSize = MAX_BODY_BYTES): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize,
    onError: (c) => {
      // The rest of the body is not read, and the server drops a connection with a large unread
      // body after answering; saying so keeps clients from sending the next request on it.
      c.header('Connection', 'close');
      throw problems.payloadTooLarge(
        `Send at most ${maxSize} bytes per request; split the items into several requests.`,
      );
    },
  });
  return (c, next) => limit(c, () => refuseHostileInput(c, next));
}

/** The problem for an `HTTPException` Hono or a validator threw, in our shape. */
export function httpExceptionProblem(status: number, message: string): Problem {
  if (status === 400) {
    return problems.validation([{ name: '(body)', reason: 'must be valid JSON' }], 'JSON body');
  }
  if (status === 413) {
    return problems.payloadTooLarge(`Send at most ${MAX_BODY_BYTES} bytes per request.`);
  }
  if (status === 415) {
    return problems.unsupportedMediaType(
      'Send the body as JSON with "Content-Type: application/json".',
    );
  }
  return new Problem(status as ContentfulStatusCode, 'http-error', message);
}

/**
 * A 400 for input Postgres refused for good (see `unstorableInputReason`), when it got past
 * validation: the request is wrong, not the server; undefined for any other error.
 */
export function unstorableInputProblem(thrown: unknown): Problem | undefined {
  const reason = unstorableInputReason(thrown);
  return reason ? problems.validation([{ name: '(request)', reason }]) : undefined;
}

/** A path parameter that is a uuid; anything else is a 404 (see `validationHook`). */
export const uuidPath = (what: string) =>
  z.object({
    id: z.uuid().openapi({
      param: { name: 'id', in: 'path' },
      description: `The ${what}'s id.`,
      example: '0b5e3f4c-5d0e-4c5a-9a53-2f1f0e7f6d4a',
    }),
  });

/**
 * An integer query parameter. Its OpenAPI schema is written out: the generator would describe
 * a coerced number as nullable and drop the bounds once overridden.
 */
export function queryInteger(options: { min: number; max?: number; description: string }) {
  // Without a stated maximum, the document would promise integers JavaScript cannot hold.
  const { min, max = Number.MAX_SAFE_INTEGER, description } = options;
  return wholeNumber(min, max).openapi({
    type: 'integer',
    minimum: min,
    maximum: max,
    description,
  });
}

/**
 * Query text that is a whole number within bounds. Coercion alone reads `?after=` as 0 and
 * `?limit=1e2` as 100, which the document (an integer) does not allow.
 */
function wholeNumber(min: number, max: number) {
  return z
    .string()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** A page size: `limit` with its bounds and default. */
export function limitQuery(max: number, fallback: number) {
  return wholeNumber(1, max)
    .default(fallback)
    .openapi({
      type: 'integer',
      minimum: 1,
      maximum: max,
      default: fallback,
      description: `Most rows in one page (1–${max}).`,
    });
}

/** The years Postgres timestamps hold; a filter beyond them means "before or after anything". */
const EARLIEST = new Date('0001-01-01T00:00:00.000Z');
const LATEST = new Date('9999-12-31T23:59:59.999Z');

/**
 * A time in a query string: an RFC 3339 date-time (any fraction, `Z` or an offset, either
 * letter case), kept within the years Postgres can compare against.
 */
export const queryDateTime = (description: string) =>
  z
    .preprocess(
      (value) => (typeof value === 'string' ? value.toUpperCase() : value),
      z.iso.datetime({ offset: true }),
    )
    .transform((text) => {
      const time = new Date(text);
      return time < EARLIEST ? EARLIEST : time > LATEST ? LATEST : time;
    })
    .openapi({ type: 'string', format: 'date-time', description });

export interface Cursor {
  createdAt: Date;
  id: string;
}

/**
 * A page cursor is the last row's creation time and id, readable and documented by a pattern,
 * so any cursor the document allows is a position to page from, not an error.
 */
const CURSOR_TIME =
  '(000[1-9]|00[1-9]\\d|0[1-9]\\d{2}|[1-9]\\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d\\.\\d{3}Z';

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return `${row.createdAt.toISOString()}_${row.id}`;
}

export function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  const separator = cursor.indexOf('Z_');
  return {
    createdAt: new Date(cursor.slice(0, separator + 1)),
    id: cursor.slice(separator + 2),
  };
}

function cursorQueryFor(idPattern: string) {
  const pattern = `^${CURSOR_TIME}_${idPattern}$`;
  return z.string().regex(new RegExp(pattern)).optional().openapi({
    pattern,
    description: 'The `nextCursor` of the previous page; omit for the first page.',
  });
}

/** The `cursor` query parameter of a list of rows with text ids (operations). */
export const cursorQuery = cursorQueryFor('[A-Za-z0-9_.:-]{1,200}');

/** The `cursor` query parameter of a list of rows with uuid ids (collections). */
export const uuidCursorQuery = cursorQueryFor(
  '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
);

/** What `String.prototype.trim` removes, spelled out so every regex engine reads it alike. */
const TRIMMED =
  '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/**
 * A name: at most 200 characters as sent, stored trimmed, with something left after trimming.
 * The pattern says the last part in the document (a character trimming keeps).
 */
export function nameText(metadata: { description: string; example: string }) {
  return z
    .string()
    .max(200)
    .trim()
    .min(1, 'must hold more than spaces')
    .openapi({ ...metadata, pattern: `[^${TRIMMED}]` });
}

/**
 * A query parameter holding a comma-separated list of `choices`, read as an array; the
 * document states the list's exact form as a pattern.
 */
export function commaListQuery<const T extends readonly [string, ...string[]]>(
  choices: T,
  what: string,
  example: string,
) {
  const choice = choices.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return z
    .string()
    .transform((value) => value.split(','))
    .pipe(z.array(z.enum(choices)))
    .optional()
    .openapi({
      type: 'string',
      pattern: `^(${choice})(,(${choice}))*$`,
      description: `Comma-separated ${what}: ${choices.join(', ')}.`,
      example,
    });
}
