import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { jsonResponse } from '../openapi';
import { errorResponses, problems } from '../problems';
import { openApiRouter } from '../validation';
import { describeTaskQueue } from './workers';

const READY_CHECK_TIMEOUT_MS = 3_000;

/**
 * An API process that listens before its dependencies answer (a fresh cluster's Temporal, a
 * Postgres still starting): what it still waits for, or undefined once it has started.
 */
export interface Startup {
  waitingFor(): string | undefined;
}

/** About how long a start's next try takes to come; a client need not ask sooner. */
const STARTING_RETRY_AFTER_SECONDS = 2;

/** The 503 of a process still starting, naming what it waits for. */
export function startingProblem(waiting: string) {
  return problems.unavailable(
    `Not ready: starting, waiting for ${waiting}.`,
    STARTING_RETRY_AFTER_SECONDS,
  );
}

/**
 * Until the process has started (migrations applied, the maintenance schedule installed), the
 * API's resources answer 503 naming what it waits for, never a half-migrated database's 500.
 */
export function refuseUntilStarted(startup: Startup | undefined): MiddlewareHandler {
  return async function refuseWhileStarting(_c, next) {
    const waiting = startup?.waitingFor();
    if (waiting) throw startingProblem(waiting);
    await next();
  };
}

function withTimeout<T>(work: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
}

const ready = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['health'],
  summary: 'Whether operations can run now: Postgres, Temporal and a worker (no key needed)',
  description:
    'Ready when Postgres answers, Temporal answers, and at least one worker polls the task queue for both workflow and activity tasks (as Temporal saw within about the last minute). Each check gives up after 3 seconds. Otherwise a 503 problem whose `detail` names what is missing.',
  security: [],
  responses: {
    200: jsonResponse(
      z.object({
        status: z.literal('ready'),
        taskQueue: z.string().openapi({ description: 'The task queue the workers must poll.' }),
        checks: z.object({
          postgres: z.boolean().openapi({ description: 'Postgres answered `select 1`.' }),
          temporal: z.boolean().openapi({ description: 'Temporal answered.' }),
          worker: z.boolean().openapi({
            description: 'A worker polls the task queue for workflow and for activity tasks.',
          }),
        }),
      }),
      'Postgres and Temporal answer and a worker polls the task queue.',
    ),
    ...errorResponses(500, 503),
  },
});

/**
 * `GET /ready`: bounded checks of Postgres, Temporal and the task queue's pollers; 503 naming
 * what is missing, or what a starting process still waits for.
 */
export function readinessRoutes(startup?: Startup) {
  const app = openApiRouter();

  app.openapi(ready, async (c) => {
    const waiting = startup?.waitingFor();
    if (waiting) throw startingProblem(waiting);
    const deps = c.get('deps');
    const queue = deps.config.TASK_QUEUE;
    const deadline = Date.now() + READY_CHECK_TIMEOUT_MS;
    const checks = { postgres: false, temporal: false, worker: false };
    let missingTypes: string[] = [];
    await Promise.all([
      withTimeout(deps.database.sql`select 1`, READY_CHECK_TIMEOUT_MS).then(
        () => (checks.postgres = true),
        () => {},
      ),
      // Describing the task queue is the Temporal check too: an answer means Temporal is up.
      describeTaskQueue(deps, deadline).then(
        ({ pollers }) => {
          checks.temporal = true;
          missingTypes = (['workflow', 'activity'] as const).filter(
            (type) => !pollers.some((poller) => poller.taskQueueType === type),
          );
          checks.worker = missingTypes.length === 0;
        },
        () => {},
      ),
    ]);
    if (checks.postgres && checks.temporal && checks.worker) {
      return c.json({ status: 'ready' as const, taskQueue: queue, checks }, 200);
    }
    const missing: string[] = [];
    if (!checks.postgres) missing.push('Postgres is not reachable');
    if (!checks.temporal) {
      missing.push('Temporal is not reachable (so whether a worker polls is unknown)');
    } else if (missingTypes.length === 2) {
      missing.push(`no worker is polling task queue ${queue}; start one with npm run start:worker`);
    } else if (!checks.worker) {
      missing.push(
        `no worker is polling task queue ${queue} for ${missingTypes.join(' and ')} tasks; start one with npm run start:worker`,
      );
    }
    throw problems.unavailable(`Not ready: ${missing.join('; ')}.`);
  });

  return app;
}
