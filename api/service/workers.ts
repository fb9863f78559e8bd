import { createRoute, z } from '@hono/zod-openapi';
import protos, { type temporal } from '@temporalio/proto';
import {
  findWorkerReports,
  isReporting,
  WORKER_REPORT_STALE_SECONDS,
} from '../../db/worker-reports';
import type { HandlerRegistry } from '../../handlers/registry';
import type { ApiDeps } from '../env';
import { jsonResponse, timestamp } from '../openapi';
import { errorResponses } from '../problems';
import { openApiRouter } from '../validation';

// A default import: the package is CommonJS, and Node's ESM loader (tsx, `npm start`) cannot
// pick named exports out of it, though vitest's transform can.
const { TaskQueueType } = protos.temporal.api.enums.v1;

export type TaskQueueKind = 'workflow' | 'activity';
const KINDS: Record<TaskQueueKind, temporal.api.enums.v1.TaskQueueType> = {
  workflow: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  activity: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
};

export interface Poller {
  identity: string;
  taskQueueType: TaskQueueKind;
  lastAccessTime: string | null;
  ratePerSecond: number;
}

export interface Backlog {
  approximateCount: number;
  approximateAgeMs: number;
  tasksAddRate: number;
  tasksDispatchRate: number;
}

export interface TaskQueueDescription {
  pollers: Poller[];
  backlog: Record<TaskQueueKind, Backlog | null>;
}

/** Protobuf Long, number or undefined to a number. */
function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(String(value));
}

function timestampIso(ts: { seconds?: unknown; nanos?: number | null } | null | undefined) {
  if (!ts) return null;
  const ms = toNumber(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  return ms > 0 ? new Date(ms).toISOString() : null;
}

/**
 * The pollers and backlog of the task queue, for both task types (one `DescribeTaskQueue` each,
 * default mode with `reportStats`). With `deadline` (ms since the epoch) the calls give up then.
 */
export async function describeTaskQueue(
  deps: Pick<ApiDeps, 'config' | 'temporal'>,
  deadline?: number,
): Promise<TaskQueueDescription> {
  const { temporal: client, config } = deps;
  const describe = (kind: TaskQueueKind) => {
    const call = () =>
      client.workflowService.describeTaskQueue({
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: { name: config.TASK_QUEUE },
        taskQueueType: KINDS[kind],
        reportStats: true,
      });
    return deadline === undefined ? call() : client.connection.withDeadline(deadline, call);
  };
  const kinds = Object.keys(KINDS) as TaskQueueKind[];
  const answers = await Promise.all(kinds.map(describe));
  const pollers: Poller[] = [];
  const backlog = {} as Record<TaskQueueKind, Backlog | null>;
  kinds.forEach((kind, index) => {
    const answer = answers[index];
    for (const poller of answer?.pollers ?? []) {
      pollers.push({
        identity: poller.identity ?? '',
        taskQueueType: kind,
        lastAccessTime: timestampIso(poller.lastAccessTime),
        ratePerSecond: poller.ratePerSecond ?? 0,
      });
    }
    const stats = answer?.stats;
    backlog[kind] = stats
      ? {
          approximateCount: toNumber(stats.approximateBacklogCount),
          approximateAgeMs:
            toNumber(stats.approximateBacklogAge?.seconds) * 1000 +
            Math.floor((stats.approximateBacklogAge?.nanos ?? 0) / 1e6),
          tasksAddRate: stats.tasksAddRate ?? 0,
          tasksDispatchRate: stats.tasksDispatchRate ?? 0,
        }
      : null;
  });
  return { pollers, backlog };
}

const handlerVersion = z.object({
  name: z.string().openapi({ example: 'http.fetch' }),
  version: z.string().openapi({ example: '1' }),
});

const taskQueueType = z.enum(['workflow', 'activity']).openapi({
  description:
    'Which tasks of the queue: `workflow` (workflow tasks, the orchestration) or `activity` (activity tasks, where handlers run).',
});

const pollSchema = z.object({
  taskQueueType,
  lastAccessTime: timestamp(
    'When this worker last polled the task queue for tasks of this type, as Temporal recorded it; null if Temporal did not say. Temporal keeps listing a poller for about a minute after it stops.',
  ).nullable(),
  ratePerSecond: z.number().openapi({
    description:
      'The tasks-per-second limit the worker asked Temporal for (the TypeScript SDK sends 100000 when none is set).',
  }),
});

const workerSchema = z
  .object({
    identity: z.string().openapi({
      description:
        "The worker's Temporal identity (by default `pid@hostname`); one entry per identity.",
      example: '4242@worker-1',
    }),
    polls: z.array(pollSchema).openapi({
      description: 'Each task type of the queue this worker polls, with when it last did.',
    }),
    handlers: z.array(handlerVersion).nullable().openapi({
      description:
        'The handlers this worker runs, as it reports them to Postgres every 15 s; null when it never reported (a worker of other code, or one that cannot reach Postgres).',
    }),
    startedAt: timestamp(
      'When this worker started, by its own report; null without one.',
    ).nullable(),
    reportedAt: timestamp('Its last report; null without one.').nullable(),
    stoppedAt: timestamp(
      'When it shut down, by its own word; Temporal lists a stopped worker for about a minute.',
    ).nullable(),
    reporting: z.boolean().openapi({
      description: `True while the worker runs as far as it says: it has not stopped and reported within ${WORKER_REPORT_STALE_SECONDS} s. False for a worker that stopped, died or never reported, however Temporal still lists it.`,
    }),
  })
  .openapi('Worker');

const backlogSchema = z
  .object({
    approximateCount: z.number().int().openapi({
      description:
        'Approximate number of tasks waiting in the queue for a worker (Temporal `approximate_backlog_count`; may briefly count expired tasks; sticky workflow tasks are not counted).',
    }),
    approximateAgeMs: z.number().int().openapi({
      description:
        'Approximate age in milliseconds of the oldest waiting task (Temporal `approximate_backlog_age`); 0 when nothing waits.',
    }),
    tasksAddRate: z.number().openapi({
      description: 'Approximate tasks added per second, averaged over the last 30 seconds.',
    }),
    tasksDispatchRate: z.number().openapi({
      description:
        'Approximate tasks handed to workers per second, averaged over the last 30 seconds; below `tasksAddRate` means the backlog grows.',
    }),
  })
  .nullable()
  .openapi('TaskQueueBacklog', {
    description: 'Backlog statistics as Temporal reports them; null if the server reports none.',
  });

const workersSchema = z
  .object({
    taskQueue: z.string().openapi({
      description: 'The Temporal task queue operations run on (the `TASK_QUEUE` setting).',
    }),
    namespace: z.string().openapi({ description: 'The Temporal namespace.' }),
    workers: z.array(workerSchema).openapi({
      description:
        'Workers Temporal saw polling the task queue recently (within about a minute), by identity. Empty means nothing will run.',
    }),
    backlog: z
      .object({ workflow: backlogSchema, activity: backlogSchema })
      .openapi({ description: 'Tasks waiting for a worker, per task type.' }),
    expectedHandlers: z.array(handlerVersion).openapi({
      description:
        'The handlers every worker on this queue is expected to offer: those of the registry this API validates jobs against. A worker whose `handlers` lack one of these (or run another version) cannot run the jobs that use it.',
    }),
  })
  .openapi('Workers');

const list = createRoute({
  method: 'get',
  path: '/',
  tags: ['workers'],
  summary: 'Workers polling the task queue, the handlers each runs, and the backlog',
  description:
    'Asks Temporal (`DescribeTaskQueue` with `reportStats`, for the workflow and the activity task type) which workers poll the task queue and how many tasks wait, and joins what each worker reported of its handlers.',
  responses: {
    200: jsonResponse(workersSchema, 'The task queue’s workers and backlog.'),
    ...errorResponses(401, 500, 503),
  },
});

/** Pollers grouped by identity, in the order Temporal listed them. */
function byIdentity(pollers: Poller[]) {
  const workers = new Map<string, Pick<z.infer<typeof workerSchema>, 'identity' | 'polls'>>();
  for (const { identity, ...poll } of pollers) {
    const worker = workers.get(identity) ?? { identity, polls: [] };
    worker.polls.push(poll);
    workers.set(identity, worker);
  }
  return [...workers.values()];
}

/** `GET /v1/workers`: who polls the task queue, what waits, and what they should run. */
export function workerRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();
  app.openapi(list, async (c) => {
    const deps = c.get('deps');
    const { pollers, backlog } = await describeTaskQueue(deps);
    const polling = byIdentity(pollers);
    const reports = await findWorkerReports(
      deps.database.db,
      deps.config.TASK_QUEUE,
      polling.map((worker) => worker.identity),
    );
    const workers = polling.map((worker) => {
      const report = reports.get(worker.identity);
      return {
        ...worker,
        handlers: report?.handlers ?? null,
        startedAt: report?.startedAt.toISOString() ?? null,
        reportedAt: report?.reportedAt.toISOString() ?? null,
        stoppedAt: report?.stoppedAt?.toISOString() ?? null,
        reporting: isReporting(report),
      };
    });
    return c.json(
      {
        taskQueue: deps.config.TASK_QUEUE,
        namespace: deps.config.TEMPORAL_NAMESPACE,
        workers,
        backlog,
        expectedHandlers: [...handlers.values()].map(({ name, version }) => ({ name, version })),
      },
      200,
    );
  });
  return app;
}
