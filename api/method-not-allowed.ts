import type { RouterRoute } from 'hono/types';

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

/**
 * The methods some route answers on `path`, for a 405's `Allow` header; empty when no route
 * matches the path at all (a 404). Middleware (method ALL) does not count.
 */
export function allowedMethods(routes: readonly RouterRoute[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method !== 'ALL' && pathPattern(route.path).test(path)) methods.add(route.method);
  }
  // Hono answers HEAD with the GET route.
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
}
