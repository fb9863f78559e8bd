import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { z } from 'zod';
import { createHandlerRegistry, type HandlerRegistry } from '../activities/handlers/registry';
import { coerceError } from '../common/errors';
import { apiKeyAuth, writesNeedOperator } from './auth';
import { collectionStatsRoutes } from './collection-stats';
import { collectionRoutes } from './collections';
import { docsPage } from './docs';
import type { ApiDeps, AppEnv } from './env';
import { jobRoutes } from './jobs';
import { openApiDocument } from './openapi-document';
import { operationRoutes } from './operations';
import { Problem, problemResponse, problems } from './problems';
import { unavailableProblem } from './unavailable';

const HEALTH_CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
}

export interface CreateAppOptions {
  /** The handlers the workers run, to validate jobs against; the built-ins by default. */
  handlers?: HandlerRegistry;
  log?: (line: string) => void;
}

export function createApp(deps: ApiDeps, options: CreateAppOptions = {}) {
  const handlers = options.handlers ?? createHandlerRegistry();
  const log = options.log ?? ((line: string) => console.error(line));
  const app = new Hono<AppEnv>();

  app.use(requestId());
  app.use(async function provideDeps(c, next) {
    c.set('deps', deps);
    await next();
  });

  app.get('/health', async (c) => {
    const checks = { postgres: false, temporal: false };
    // Bounded: a health check that hangs while a dependency restarts is worse than a 503.
    const deadline = Date.now() + HEALTH_CHECK_TIMEOUT_MS;
    await Promise.all([
      withTimeout(deps.database.sql`select 1`, HEALTH_CHECK_TIMEOUT_MS).then(
        () => (checks.postgres = true),
        () => {},
      ),
      deps.temporal.connection
        .withDeadline(deadline, () => deps.temporal.workflowService.getSystemInfo({}))
        .then(
          () => (checks.temporal = true),
          () => {},
        ),
    ]);
    const ok = checks.postgres && checks.temporal;
    if (ok) return c.json({ status: 'ok', checks });
    const down = Object.entries(checks)
      .filter(([, up]) => !up)
      .map(([name]) => name);
    return problemResponse(
      c,
      problems.unavailable(
        `Not reachable: ${down.join(' and ')}. Check that it is running; Conveyor reconnects on its own.`,
      ),
    );
  });

  const spec = openApiDocument();
  app.get('/openapi.json', (c) => c.json(spec));
  app.get('/docs', (c) => c.html(docsPage('/openapi.json')));

  const v1 = new Hono<AppEnv>();
  v1.use(apiKeyAuth(), writesNeedOperator());
  v1.route('/collections', collectionRoutes());
  v1.route('/collections', collectionStatsRoutes(handlers));
  v1.route('/jobs', jobRoutes(handlers));
  v1.route('/operations', operationRoutes(handlers));
  v1.get('/handlers', (c) =>
    c.json({
      data: [...handlers.values()].map((handler) => ({
        name: handler.name,
        version: handler.version,
        description: handler.description,
        params: z.toJSONSchema(handler.params, { io: 'input', unrepresentable: 'any' }),
      })),
    }),
  );
  app.route('/v1', v1);

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
    if (thrown instanceof Problem) return problemResponse(c, thrown);
    const unavailable = unavailableProblem(thrown);
    if (unavailable) return problemResponse(c, unavailable);
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
