import type { Context, MiddlewareHandler } from 'hono';
import type { RouterRoute } from 'hono/types';
import { Problem, problemResponse } from './problems';

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const patterns = new Map<string, RegExp>();

/** A route path (`/v1/collections/:id/items`) as a regular expression over request paths. */
function pathPattern(path: string): RegExp {
  let pattern = patterns.get(path);
  if (!pattern) {
    const source = path
      .split('/')
      .map((segment) => {
        if (segment === '*') return '.*';
        if (segment.startsWith(':')) return /\{(.+)\}$/.exec(segment)?.[1] ?? '[^/]+';
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    pattern = new RegExp(`^${source}$`);
    patterns.set(path, pattern);
  }
  return pattern;
}

/** Path parameters in a route path: fewer means more specific (`/jobs/validate` over `/jobs/:id`). */
function parameterCount(path: string): number {
  return path.split('/').filter((segment) => segment.startsWith(':') || segment === '*').length;
}

/**
 * The methods the most specific routes matching `path` answer, for a 405's `Allow` header; empty
 * when no route matches the path at all (a 404). A static path owns its methods: `GET
 * /v1/jobs/validate` is not a job named "validate" but a method the document does not list.
 * Middleware (method ALL) does not count.
 */
export function allowedMethods(routes: readonly RouterRoute[], path: string): string[] {
  const matching = routes.filter(
    (route) => route.method !== 'ALL' && pathPattern(route.path).test(path),
  );
  const fewest = Math.min(...matching.map((route) => parameterCount(route.path)));
  const methods = new Set(
    matching.filter((route) => parameterCount(route.path) === fewest).map((route) => route.method),
  );
  // Hono answers HEAD with the GET route.
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
}

/** The 405 answer: names the methods the path does answer, in `Allow` and in the detail. */
export function methodNotAllowed(c: Context, allowed: string[]): Response {
  c.header('Allow', allowed.join(', '));
  return problemResponse(
    c,
    new Problem(
      405,
      'method-not-allowed',
      'Method not allowed',
      `${c.req.method} is not allowed on ${c.req.path}; it answers ${allowed.join(', ')}.`,
    ),
  );
}

/**
 * Answers 405 when the most specific routes of a path do not take the method, before a less
 * specific route (a path parameter) would take it as an id.
 */
export function refuseUnlistedMethods(routes: () => readonly RouterRoute[]): MiddlewareHandler {
  return async function refuseUnlistedMethods(c, next) {
    const allowed = allowedMethods(routes(), c.req.path);
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    if (allowed.length > 0 && !allowed.includes(method)) return methodNotAllowed(c, allowed);
    await next();
  };
}
