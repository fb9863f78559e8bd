import { createRoute, z } from '@hono/zod-openapi';
import { isGrpcServiceError, ScheduleNotFoundError } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../common/constants';
import { coerceError } from '../../common/errors';
import { maintenanceScheduleId } from '../../common/maintenance';
import { databaseClockSkewMs, migrationState } from '../../db/diagnostics';
import type { ApiDeps } from '../env';
import { jsonResponse, timestamp } from '../openapi';
import { errorResponses } from '../problems';
import { openApiRouter } from '../validation';

/** Each check gives up after this, so a dependency that hangs makes a slow answer, not none. */
const CHECK_TIMEOUT_MS = 3_000;
/** gRPC's NOT_FOUND: the namespace does not exist. */
const GRPC_NOT_FOUND = 5;

const failure = z
  .string()
  .nullable()
  .openapi({ description: 'Why the check could not be made; null when it was.' });

const diagnosticsSchema = z
  .object({
    checkedAt: timestamp('The API’s clock when it answered.'),
    taskQueue: z.string().openapi({ description: 'The task queue workers must poll.' }),
    postgres: z.object({
      reachable: z.boolean().openapi({ description: 'Postgres answered.' }),
      error: failure,
      migrations: z
        .object({
          expected: z.number().int().openapi({ description: 'Migrations this API ships.' }),
          applied: z.number().int().openapi({ description: 'Migrations the database recorded.' }),
          pending: z.array(z.string()).openapi({
            description: 'Shipped migrations not applied yet, oldest first; empty when migrated.',
          }),
        })
        .nullable()
        .openapi({ description: 'Null when Postgres could not be asked.' }),
      clockSkewMs: z.number().int().nullable().openapi({
        description:
          'The database clock minus the API’s, in milliseconds (midpoint of the round trip); null when unknown.',
      }),
    }),
    temporal: z.object({
      reachable: z.boolean().openapi({ description: 'Temporal answered.' }),
      error: failure,
      namespace: z.string(),
      namespaceRegistered: z
        .boolean()
        .nullable()
        .openapi({ description: 'Whether the namespace exists; null when unknown.' }),
      searchAttributes: z
        .object({
          required: z.array(z.string()).openapi({
            description: 'The search attributes Conveyor stamps on operation workflows.',
          }),
          missing: z.array(z.string()).openapi({
            description: 'Those the namespace lacks: starts fail until they are registered.',
          }),
        })
        .nullable()
        .openapi({ description: 'Null when Temporal could not be asked.' }),
      maintenanceSchedule: z.object({
        id: z.string().openapi({ description: 'The global maintenance schedule’s id.' }),
        present: z
          .boolean()
          .nullable()
          .openapi({ description: 'Whether Temporal has it; null when unknown.' }),
        paused: z
          .boolean()
          .nullable()
          .openapi({ description: 'Whether it is paused; null when absent or unknown.' }),
      }),
    }),
  })
  .openapi('Diagnostics');

type Diagnostics = z.infer<typeof diagnosticsSchema>;

const diagnostics = createRoute({
  method: 'get',
  path: '/',
  tags: ['health'],
  summary: 'What an operator checks when something does not run: migrations, Temporal, clocks',
  description:
    'Asks Postgres which migrations are applied and how far its clock is from the API’s, and Temporal whether the namespace, Conveyor’s search attributes and the maintenance schedule exist. Each check gives up after 3 seconds; a check that could not be made is reported with its `error`, never as a failed request. `conveyor doctor` reads it.',
  responses: {
    200: jsonResponse(diagnosticsSchema, 'Every check, made or not.'),
    ...errorResponses(401, 500, 503),
  },
});

function withTimeout<T>(work: PromiseLike<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
}

const reason = (error: unknown) => coerceError(error).message.split('\n')[0] ?? 'unknown error';

async function postgresChecks(deps: ApiDeps): Promise<Diagnostics['postgres']> {
  try {
    const [migrations, clockSkewMs] = await withTimeout(
      Promise.all([migrationState(deps.database.sql), databaseClockSkewMs(deps.database.sql)]),
    );
    return { reachable: true, error: null, migrations, clockSkewMs };
  } catch (error) {
    return { reachable: false, error: reason(error), migrations: null, clockSkewMs: null };
  }
}

async function temporalChecks(deps: ApiDeps): Promise<Diagnostics['temporal']> {
  const { temporal, config } = deps;
  const namespace = config.TEMPORAL_NAMESPACE;
  const deadline = () => Date.now() + CHECK_TIMEOUT_MS;
  const scheduleId = maintenanceScheduleId(config.TASK_QUEUE);
  const report: Diagnostics['temporal'] = {
    reachable: false,
    error: null,
    namespace,
    namespaceRegistered: null,
    searchAttributes: null,
    maintenanceSchedule: { id: scheduleId, present: null, paused: null },
  };
  try {
    await temporal.connection.withDeadline(deadline(), () =>
      temporal.workflowService.describeNamespace({ namespace }),
    );
    report.reachable = true;
    report.namespaceRegistered = true;
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND) {
      return { ...report, reachable: true, namespaceRegistered: false };
    }
    return { ...report, error: reason(error) };
  }
  try {
    const listed = await temporal.connection.withDeadline(deadline(), () =>
      temporal.connection.operatorService.listSearchAttributes({ namespace }),
    );
    const required = Object.values(SEARCH_ATTRIBUTES);
    const registered = listed.customAttributes ?? {};
    report.searchAttributes = {
      required,
      missing: required.filter((name) => !(name in registered)),
    };
    const schedule = await withTimeout(temporal.schedule.getHandle(scheduleId).describe()).catch(
      (error: unknown) => {
        if (error instanceof ScheduleNotFoundError) return undefined;
        throw error;
      },
    );
    report.maintenanceSchedule = {
      id: scheduleId,
      present: schedule !== undefined,
      paused: schedule ? schedule.state.paused : null,
    };
  } catch (error) {
    report.error = reason(error);
  }
  return report;
}

/** `GET /v1/diagnostics`: the server-side checks of `conveyor doctor`, each bounded. */
export function diagnosticsRoutes() {
  const app = openApiRouter();
  app.openapi(diagnostics, async (c) => {
    const deps = c.get('deps');
    const [postgres, temporal] = await Promise.all([postgresChecks(deps), temporalChecks(deps)]);
    return c.json(
      {
        checkedAt: new Date().toISOString(),
        taskQueue: deps.config.TASK_QUEUE,
        postgres,
        temporal,
      },
      200,
    );
  });
  return app;
}
