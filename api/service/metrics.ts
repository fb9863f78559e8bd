import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { Gauge } from 'prom-client';
import { metrics, registry } from '../../common/metrics';
import type { ApiDeps, AppEnv } from '../env';
import { errorResponses } from '../problems';
import { openApiRouter } from '../validation';

/** Methods a label may name; a client can send any token as a method, so the rest are `other`. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Counts and times every answer by the route that matched (its template, never the path, whose
 * ids and names are the caller's), its method and status.
 */
export function recordHttpMetrics(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const stop = metrics.httpDuration.startTimer();
    try {
      await next();
    } finally {
      const labels = {
        route: routeTemplate(c.req.routePath),
        method: METHODS.has(c.req.method) ? c.req.method : 'other',
      };
      stop(labels);
      metrics.httpRequests.inc({ ...labels, status: String(c.res.status) });
    }
  };
}

/**
 * The matched route's template. A request no route took matches only the catch-all middleware
 * (`/*`); it is `unmatched`, whatever its path.
 */
function routeTemplate(routePath: string | undefined): string {
  return !routePath || routePath === '/*' || routePath === '*' ? 'unmatched' : routePath;
}

/**
 * Production operations by status across tenants, read from the trigger-kept counts when
 * Prometheus scrapes. Registered once per process, with the first API's database.
 */
function registerOperationGauge(deps: ApiDeps): void {
  if (registry.getSingleMetric('conveyor_operations')) return;
  const { sql } = deps.database;
  new Gauge({
    name: 'conveyor_operations',
    help: 'Production operations by status, over all tenants.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await sql<{ status: string; count: number }[]>`
        select status, sum(count)::int8 as count from operation_counts group by status`;
      this.reset();
      for (const row of rows) this.set({ status: row.status }, row.count);
    },
  });
}

const scrape = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['health'],
  summary: 'This process’s metrics in Prometheus’s text format (no key needed)',
  security: [],
  responses: {
    200: {
      description: 'Counters, gauges and histograms; see the README’s Metrics section.',
      content: { 'text/plain': { schema: z.string() } },
    },
    ...errorResponses(500, 503),
  },
});

/** `GET /metrics`: the process's metrics in Prometheus's text format (no key, like /health). */
export function metricsRoutes() {
  const app = openApiRouter();
  app.openapi(scrape, async (c) => {
    registerOperationGauge(c.get('deps'));
    return c.text(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });
  return app;
}
