import type { RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { problems } from './problems';
import { documentPathPattern } from './route-pattern';

interface BodyRoute {
  method: string;
  pattern: RegExp;
}

/**
 * A request without a body to a route whose document requires one is a 415 naming what to send.
 * The route's validator alone would read the missing body as `{}`, which a route of optional
 * fields (a PATCH) would accept as a change of nothing.
 */
export function requireDeclaredBodies(routes: () => readonly RouteConfig[]): MiddlewareHandler {
  let withBody: BodyRoute[] | undefined;
  return async (c, next) => {
    if (!c.req.header('content-type') && c.req.method !== 'GET') {
      withBody ??= routes()
        .filter((route) => route.request?.body?.required)
        .map((route) => ({
          method: route.method.toUpperCase(),
          pattern: documentPathPattern(route.path),
        }));
      if (withBody.some((r) => r.method === c.req.method && r.pattern.test(c.req.path))) {
        throw problems.unsupportedMediaType(
          'This route takes a JSON body: send one with "Content-Type: application/json".',
        );
      }
    }
    await next();
  };
}
