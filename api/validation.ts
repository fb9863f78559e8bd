import { type Hook, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { unstorableInputReason } from '../db/pg-errors';
import type { AppEnv } from './env';
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

/**
 * Deepest nesting of arrays and objects a JSON body may have. Much deeper values overflow
 * `JSON.stringify` (and Postgres' jsonb parser) long before any size limit is reached.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * Most values (array elements, object members and the body itself) a JSON body may hold.
 * Parsing is what costs: each array or object takes tens of bytes of heap, so a 10 MiB body of
 * empty ones (3.4 million) would hold over 200 MB for seconds. A million values parse in a
 * fraction of a second into at most about 60 MB.
 */
export const MAX_JSON_VALUES = 1_000_000;

/**
 * Most object members (keys) a JSON body may hold, among its values. Keys cost more than
 * elements: each distinct key is interned, and objects of distinct keys each get a shape of
 * their own, so a million of them take seconds and 200 MB to parse. An upsert of 5,000 items
 * with data of 30 fields each stays within it.
 */
export const MAX_JSON_MEMBERS = 200_000;

/** How many leading segments of its path name a value nested too deeply. */
const NAMED_LEVELS = 3;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Characters Postgres cannot store: NUL (text and jsonb refuse it) and unpaired surrogates. */
function badText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/** A key as the body spells it (in its quotes), decoded and cut short to read in a problem. */
function keyName(quoted: string): string {
  let key: string;
  try {
    key = JSON.parse(quoted);
  } catch {
    key = quoted.slice(1, -1);
  }
  return key.length > 100 ? `${key.slice(0, 100)}…` : key;
}

/**
 * What would make a JSON text costly to parse: nesting deeper than `MAX_JSON_DEPTH` (named by
 * the first segments of its path), more than `MAX_JSON_VALUES` values or `MAX_JSON_MEMBERS`
 * object members. One pass over the
 * characters, holding nothing but the open brackets, so it runs before `JSON.parse` allocates
 * anything. Malformed text is not its concern: whatever it finds there is refused anyway.
 */
export function costlyJsonParam(text: string): InvalidParam | undefined {
  const open: number[] = [];
  // Where each of the first few open levels is, to name a value nested too deeply: an array's
  // index, or an object's key as the offsets of its quoted text (copying every key would cost).
  const at: number[] = [];
  const keyEnd: number[] = [];
  let values = 1;
  let members = 0;
  let firstPending = false;
  let expectingKey = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isSpace(code)) continue;
    if (firstPending) {
      firstPending = false;
      if (code !== CLOSE_ARRAY && code !== CLOSE_OBJECT) values++;
    }
    if (code === QUOTE) {
      const start = index;
      for (index++; index < text.length; index++) {
        const inner = text.charCodeAt(index);
        if (inner === BACKSLASH) index++;
        else if (inner === QUOTE) break;
      }
      if (expectingKey) {
        members++;
        if (open.length <= NAMED_LEVELS) {
          at[open.length - 1] = start;
          keyEnd[open.length - 1] = index + 1;
        }
      }
      expectingKey = false;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (open.length >= MAX_JSON_DEPTH) {
        return {
          name:
            open
              .slice(0, NAMED_LEVELS)
              .map((kind, level) =>
                kind === OPEN_ARRAY
                  ? String(at[level])
                  : keyName(text.slice(at[level], keyEnd[level])),
              )
              .join('.') || '(body)',
          reason: `must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep`,
        };
      }
      open.push(code);
      if (open.length <= NAMED_LEVELS) {
        at[open.length - 1] = 0;
        keyEnd[open.length - 1] = 0;
      }
      firstPending = true;
      expectingKey = code === OPEN_OBJECT;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      open.pop();
      expectingKey = false;
    } else if (code === COMMA) {
      values++;
      const level = open.length;
      if (open[level - 1] === OPEN_OBJECT) expectingKey = true;
      else if (level > 0 && level <= NAMED_LEVELS) {
        at[level - 1] = (at[level - 1] as number) + 1;
      }
    } else if (code === COLON) {
      expectingKey = false;
    }
    if (values > MAX_JSON_VALUES || members > MAX_JSON_MEMBERS) {
      return {
        name: '(body)',
        reason: `must hold at most ${MAX_JSON_VALUES} values (array elements and object members), at most ${MAX_JSON_MEMBERS} of them object members; split it into several requests`,
      };
    }
  }
  return undefined;
}

/** An array or object being walked: where its next child is, and how it was reached. */
interface Level {
  container: unknown[] | Record<string, unknown>;
  keys: string[] | undefined;
  next: number;
  parent: Level | undefined;
  key: string | number;
}

/** The dot-separated path to `key` in `level`, built only when a finding names it. */
function pathName(level: Level | undefined, key?: string | number): string {
  const segments = key === undefined ? [] : [String(key)];
  for (let at = level; at?.parent; at = at.parent) segments.push(String(at.key));
  return segments.reverse().join('.') || '(body)';
}

/**
 * Every string and key of a parsed JSON value that Postgres would refuse or mangle, as invalid
 * params named by path (at most `limit`). Linear in the value: each level keeps a link to its
 * parent and a cursor, so nothing is copied per node, the path is spelled only for a finding,
 * and the stack holds only the open levels. Nesting and size are `costlyJsonParam`'s concern.
 */
export function hostileJsonParams(value: unknown, limit = 20): InvalidParam[] {
  const found: InvalidParam[] = [];
  const enter = (child: unknown, parent: Level | undefined, key: string | number) => {
    if (typeof child === 'string') {
      const reason = badText(child);
      if (reason) found.push({ name: pathName(parent, key), reason });
      return undefined;
    }
    if (child === null || typeof child !== 'object') return undefined;
    const container = child as unknown[] | Record<string, unknown>;
    const keys = Array.isArray(container) ? undefined : Object.keys(container);
    return { container, keys, next: 0, parent, key };
  };
  let level = enter(value, undefined, '');
  while (level && found.length < limit) {
    const { container, keys } = level;
    const size = keys ? keys.length : (container as unknown[]).length;
    if (level.next >= size) {
      level = level.parent;
      continue;
    }
    const index = level.next++;
    let child: unknown;
    let key: string | number = index;
    if (keys) {
      key = keys[index] as string;
      const reason = badText(key);
      if (reason) {
        found.push({ name: pathName(level), reason: `has a key that ${reason}` });
        continue;
      }
      child = (container as Record<string, unknown>)[key];
    } else {
      child = (container as unknown[])[index];
    }
    level = enter(child, level, key) ?? level;
  }
  return found;
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
