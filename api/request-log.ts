import type { MiddlewareHandler } from 'hono';
import { logger } from '../common/log';
import { traceFields } from '../common/tracing';
import type { AppEnv } from './env';

/**
 * One line per answered request: request id, tenant, route, status and time, and the operation
 * when the route names one, so an operation's story includes the requests about it.
 */
export function logRequests(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = c.req.routePath || 'unmatched';
      const operationId =
        c.get('operationId') ??
        (route.startsWith('/v1/operations/:id') ? c.req.param('id') : undefined);
      logger({
        requestId: c.get('requestId'),
        tenantId: c.get('principal')?.tenantId,
        ...(operationId ? { operationId } : {}),
        ...traceFields(),
      }).info(
        {
          method: c.req.method,
          route,
          status: c.res.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        `${c.req.method} ${c.req.path} ${c.res.status}`,
      );
    }
  };
}
