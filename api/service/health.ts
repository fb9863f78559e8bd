import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse } from '../openapi';
import { errorResponses, problems } from '../problems';
import { openApiRouter } from '../validation';
import { type Startup, startingProblem } from './readiness';

const HEALTH_CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
}

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'Whether Postgres and Temporal answer (no key needed)',
  security: [],
  responses: {
    200: jsonResponse(
      z.object({
        status: z.literal('ok'),
        checks: z.object({
          postgres: z.boolean(),
          temporal: z.boolean(),
        }),
      }),
      'Both answer.',
    ),
    ...errorResponses(500, 503),
  },
});

/**
 * `GET /health`: bounded checks of Postgres and Temporal; 503 naming what is down, or what a
 * process still starting waits for (it is not up until it has started).
 */
export function healthRoutes(startup?: Startup) {
  const app = openApiRouter();

  app.openapi(health, async (c) => {
    const waiting = startup?.waitingFor();
    if (waiting) throw startingProblem(waiting);
    const deps = c.get('deps');
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
    if (ok) return c.json({ status: 'ok' as const, checks }, 200);
    const down = Object.entries(checks)
      .filter(([, up]) => !up)
      .map(([name]) => name);
    // Thrown, so the one onError writes it like every other problem.
    throw problems.unavailable(
      `Not reachable: ${down.join(' and ')}. Check that it is running; Conveyor reconnects on its own.`,
    );
  });

  return app;
}
