import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { tracingEnabled } from '../common/tracing';
import type { AppEnv } from './env';

const tracer = trace.getTracer('conveyor-api');

/**
 * Each request as a server span, continuing a caller's `traceparent`; workflows the request
 * starts become its children (the Temporal client's interceptor reads the active span).
 */
export function traceRequests(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!tracingEnabled()) return next();
    const parent = propagation.extract(context.active(), Object.fromEntries(c.req.raw.headers));
    await tracer.startActiveSpan(
      c.req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method } },
      parent,
      async (span) => {
        try {
          await next();
        } finally {
          const route = c.req.routePath || 'unmatched';
          const operationId = c.get('operationId');
          span.updateName(`${c.req.method} ${route}`);
          span.setAttributes({
            'http.route': route,
            'http.response.status_code': c.res.status,
            'conveyor.request_id': c.get('requestId'),
            ...(c.get('principal') ? { 'conveyor.tenant_id': c.get('principal').tenantId } : {}),
            ...(operationId ? { 'conveyor.operation_id': operationId } : {}),
          });
          if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
      },
    );
  };
}
