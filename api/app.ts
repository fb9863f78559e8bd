import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { coerceError } from '../common/errors';
import { logger } from '../common/log';
import { EventHub } from '../events/hub';
import { createHandlerRegistry, type HandlerRegistry } from '../handlers/registry';
import { apiKeyAuth, writesNeedOperator } from './auth';
import { collectionRoutes } from './collections/collections';
import { collectionItemDetailRoutes } from './collections/item';
import { collectionItemRoutes } from './collections/items';
import { collectionStatsRoutes } from './collections/stats';
import { refuseUndeclaredQuery } from './declared-query';
import { problemOf } from './domain-errors';
import type { ApiDeps, AppEnv } from './env';
import { type EventStreams, eventRoutes } from './events/events';
import { jobRoutes } from './jobs/jobs';
import { jobPauseRoutes } from './jobs/pause';
import { refuseUnlistedMethods } from './method-not-allowed';
import { openApiDocument } from './openapi';
import { operationRoutes } from './operations/operations';
import { operationResultRoutes, resultExportRoutes } from './operations/results';
import { Problem, problemResponse } from './problems';
import { logRequests } from './request-log';
import { traceRequests } from './request-trace';
import { requireDeclaredBodies } from './required-body';
import { scheduleRoutes } from './schedules/schedules';
import { mountApiReference } from './service/api-reference';
import { consoleRoutes } from './service/console';
import { diagnosticsRoutes } from './service/diagnostics';
import { handlerRoutes } from './service/handlers';
import { healthRoutes } from './service/health';
import { maintenanceRoutes } from './service/maintenance';
import { metricsRoutes, recordHttpMetrics } from './service/metrics';
import { readinessRoutes, refuseUntilStarted, type Startup } from './service/readiness';
import { workerRoutes } from './service/workers';
import { statsRoutes } from './stats/stats';
import { apiKeyRoutes } from './tenants/api-keys';
import { tenantRoutes } from './tenants/tenants';
import { unavailableProblem } from './unavailable';
import {
  httpExceptionProblem,
  limitBody,
  openApiRouter,
  unstorableInputProblem,
  validationHook,
} from './validation';
import { webhookRoutes } from './webhooks/webhooks';

export interface CreateAppOptions {
  /** The handlers the workers run, to validate jobs against; the built-ins by default. */
  handlers?: HandlerRegistry;
  log?: (line: string) => void;
  /** The process's event hub, when something besides the streams uses it (webhooks). */
  hub?: EventHub;
  /** A process that listens before its dependencies answer; /health, /ready and /v1 say so meanwhile. */
  startup?: Startup;
}

export function createApp(deps: ApiDeps, options: CreateAppOptions = {}) {
  const handlers = options.handlers ?? createHandlerRegistry();
  const log = options.log ?? ((line: string) => logger().error(line));
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  // Documents are also made from an app without dependencies (`createApp({})`), so the
  // configuration may be missing here.
  const streams: EventStreams = {
    hub: options.hub ?? new EventHub(deps.database, log),
    limits: {
      maxConnections: deps.config?.SSE_MAX_CONNECTIONS ?? 1000,
      keepAliveMs: (deps.config?.SSE_KEEPALIVE_SECONDS ?? 15) * 1000,
    },
  };

  app.use(requestId());
  app.use(traceRequests());
  app.use(recordHttpMetrics());
  app.use(logRequests());
  app.use(async function provideDeps(c, next) {
    c.set('deps', deps);
    await next();
  });

  // Before routing, so a path parameter never takes a static path's missing method as an id.
  app.use(refuseUnlistedMethods(() => app.routes));

  app.route('/', healthRoutes(options.startup));
  app.route('/', metricsRoutes());
  app.route('/', readinessRoutes(options.startup));
  app.route('/', consoleRoutes());

  const declaredRoutes = () =>
    app.openAPIRegistry.definitions.flatMap((definition) =>
      definition.type === 'route' ? [definition.route] : [],
    );
  const v1 = openApiRouter();
  v1.use(
    refuseUntilStarted(options.startup),
    apiKeyAuth(),
    writesNeedOperator(),
    limitBody(),
    requireDeclaredBodies(declaredRoutes),
    refuseUndeclaredQuery(declaredRoutes),
  );
  v1.route('/collections', collectionRoutes());
  v1.route('/collections', collectionItemRoutes(handlers));
  v1.route('/collections', collectionStatsRoutes(handlers));
  v1.route('/collections', collectionItemDetailRoutes(handlers));
  v1.route('/collections', resultExportRoutes(handlers));
  v1.route('/jobs', jobRoutes(handlers));
  v1.route('/jobs', jobPauseRoutes());
  v1.route('/operations', operationRoutes(handlers, streams));
  v1.route('/operations', operationResultRoutes(handlers));
  v1.route('/handlers', handlerRoutes(handlers));
  v1.route('/workers', workerRoutes(handlers));
  v1.route('/stats', statsRoutes());
  v1.route('/events', eventRoutes(streams));
  v1.route('/webhooks', webhookRoutes());
  v1.route('/schedules', scheduleRoutes(handlers));
  v1.route('/maintenance', maintenanceRoutes());
  v1.route('/diagnostics', diagnosticsRoutes());
  v1.route('/tenants', tenantRoutes());
  v1.route('/api-keys', apiKeyRoutes());
  app.route('/v1', v1);

  // Generated once from the routes above: the schemas that validate are the ones described.
  const document = openApiDocument(app);
  app.get('/openapi.json', (c) => c.json(document));
  mountApiReference(app);

  app.notFound((c) =>
    problemResponse(
      c,
      new Problem(
        404,
        'not-found',
        'Not found',
        `No route for ${c.req.method} ${c.req.path}; see /openapi.json.`,
      ),
    ),
  );
  app.onError((thrown, c) => {
    const problem = problemOf(thrown);
    if (problem) return problemResponse(c, problem);
    // Hono's own refusals (malformed JSON, a body that is not JSON), in our problem shape.
    if (thrown instanceof HTTPException) {
      return problemResponse(c, httpExceptionProblem(thrown.status, thrown.message));
    }
    const unavailable = unavailableProblem(thrown);
    if (unavailable) return problemResponse(c, unavailable);
    // Text or nesting Postgres refuses for good that got past validation: the request's fault.
    const unstorable = unstorableInputProblem(thrown);
    if (unstorable) return problemResponse(c, unstorable);
    const error = coerceError(thrown);
    log(
      `[${c.get('requestId')}] ${c.req.method} ${c.req.path} failed: ${error.stack ?? error.message}`,
    );
    return problemResponse(
      c,
      new Problem(
        500,
        'internal',
        'Internal error',
        `Something failed on our side; quote request id ${c.get('requestId')} when you report it.`,
      ),
    );
  });
  return app;
}
