import type { RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { problems } from './problems';
import { documentPathPattern } from './route-pattern';

interface QueryRoute {
  method: string;
  pattern: RegExp;
  /** Path parameters: of two routes a request matches, the one with fewer is the one it takes. */
  parameters: number;
  names: Set<string>;
}

/** The names a route's query schema declares; none when it has no query. */
function declaredNames(route: RouteConfig): Set<string> {
  const query = route.request?.query as { shape?: Record<string, unknown> } | undefined;
  return new Set(Object.keys(query?.shape ?? {}));
}

/**
 * A query parameter the route does not declare is a 400 naming it: a misspelt filter
 * (`?stauts=failed`) would otherwise be ignored, and the list answered unfiltered as if it
 * held. The document lists each route's parameters, so a client that follows it never meets this.
 */
export function refuseUndeclaredQuery(routes: () => readonly RouteConfig[]): MiddlewareHandler {
  let known: QueryRoute[] | undefined;
  return async (c, next) => {
    // From the URL itself: Hono's parser drops a parameter without a name (`?=x`).
    const given = [...new Set(new URL(c.req.url).searchParams.keys())];
    if (given.length > 0) {
      known ??= routes().map((route) => ({
        method: route.method.toUpperCase(),
        pattern: documentPathPattern(route.path),
        parameters: (route.path.match(/\{/g) ?? []).length,
        names: declaredNames(route),
      }));
      const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
      const [route] = known
        .filter((each) => each.method === method && each.pattern.test(c.req.path))
        .sort((a, b) => a.parameters - b.parameters);
      const unknown = route ? given.filter((name) => !route.names.has(name)) : [];
      if (unknown.length > 0) {
        const declared = [...(route?.names ?? [])].sort().join(', ') || 'none';
        throw problems.validation(
          unknown.map((name) => ({
            name: name || '(query)',
            reason: `is not a query parameter of this route (it takes: ${declared})`,
          })),
          'query',
        );
      }
    }
    await next();
  };
}
