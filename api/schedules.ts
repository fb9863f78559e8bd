import { randomUUID } from 'node:crypto';
import { createRoute, type z } from '@hono/zod-openapi';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { Context } from 'hono';
import { SCHEDULE_ID_PREFIX } from '../common/schedules';
import { inTransaction } from '../db/client';
import { findJob } from '../db/jobs';
import { findTenantQuotas } from '../db/quotas';
import {
  deleteSchedule,
  getSchedule,
  insertSchedule,
  lastScheduledOperation,
  listSchedules,
  type Schedule,
  updateSchedule,
} from '../db/schedules';
import type { HandlerRegistry } from '../handlers/registry';
import { engineSettings } from '../operations/plan';
import { admitOneMore } from '../operations/quotas';
import { requesterOf, startOperation } from '../operations/start';
import { needsRole } from './auth';
import type { AppEnv } from './env';
import { jsonBody, jsonResponse, listOf } from './openapi';
import { errorResponses, problems } from './problems';
import { refuseLargeBackfill, refuseShortInterval } from './schedule-quotas';
import {
  backfillInput,
  durationMs,
  noteInput,
  scheduleChanges,
  scheduleIdPath,
  scheduleInput,
  scheduleSchema,
  triggerInput,
} from './schedule-schemas';
import {
  createTemporalSchedule,
  describeTemporalSchedule,
  overlapPolicy,
  specRefused,
  temporalSpec,
} from './schedule-temporal';
import { startContext } from './use-cases';
import { openApiRouter } from './validation';

const tags = ['schedules'];
const params = { params: scheduleIdPath };
const writeErrors = errorResponses(400, 401, 403, 404, 409, 413, 415, 500, 503);
const quotaErrors = errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 500, 503);

const route = <M extends 'get' | 'post' | 'patch' | 'delete'>(
  method: M,
  path: string,
  summary: string,
  role: 'viewer' | 'admin',
) => ({ method, path, tags, summary, ...needsRole(role) });

const create = createRoute({
  ...route(
    'post',
    '/',
    'Create a schedule: operations of a job started on a cron or an interval',
    'admin',
  ),
  request: { body: jsonBody(scheduleInput) },
  responses: { 201: jsonResponse(scheduleSchema, 'The schedule.'), ...quotaErrors },
});
const list = createRoute({
  ...route(
    'get',
    '/',
    'List the tenant’s schedules with their next run times and last run',
    'viewer',
  ),
  responses: {
    200: jsonResponse(listOf(scheduleSchema), 'Every schedule, newest first.'),
    ...errorResponses(401, 403, 500, 503),
  },
});
const get = createRoute({
  ...route('get', '/{id}', 'Get a schedule', 'viewer'),
  request: params,
  responses: {
    200: jsonResponse(scheduleSchema, 'The schedule.'),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});
const patch = createRoute({
  ...route('patch', '/{id}', 'Change when a schedule runs, its overlap policy or note', 'admin'),
  request: { ...params, body: jsonBody(scheduleChanges) },
  responses: { 200: jsonResponse(scheduleSchema, 'The schedule as changed.'), ...quotaErrors },
});
const remove = createRoute({
  ...route('delete', '/{id}', 'Delete a schedule (its running operations go on)', 'admin'),
  request: params,
  responses: { 204: { description: 'Deleted.' }, ...errorResponses(400, 401, 403, 404, 500, 503) },
});
const pause = createRoute({
  ...route('post', '/{id}/pause', 'Pause a schedule: no run starts until it is unpaused', 'admin'),
  request: { ...params, body: { ...jsonBody(noteInput), required: false } },
  responses: { 200: jsonResponse(scheduleSchema, 'The schedule, paused.'), ...writeErrors },
});
const unpause = createRoute({
  ...route('post', '/{id}/unpause', 'Unpause a schedule', 'admin'),
  request: { ...params, body: { ...jsonBody(noteInput), required: false } },
  responses: { 200: jsonResponse(scheduleSchema, 'The schedule, running again.'), ...writeErrors },
});
const trigger = createRoute({
  ...route(
    'post',
    '/{id}/trigger',
    'Run a schedule now, under its overlap policy unless told otherwise',
    'admin',
  ),
  request: { ...params, body: { ...jsonBody(triggerInput), required: false } },
  responses: { 202: jsonResponse(scheduleSchema, 'The run was asked for.'), ...writeErrors },
});
const backfill = createRoute({
  ...route('post', '/{id}/backfill', 'Take the runs a past window would have had, now', 'admin'),
  request: { ...params, body: jsonBody(backfillInput) },
  responses: { 202: jsonResponse(scheduleSchema, 'The runs were asked for.'), ...quotaErrors },
});

/** The schedule as the API shows it: its record, Temporal's state and its last operation. */
async function view(
  c: Context<AppEnv>,
  schedule: Schedule,
): Promise<z.infer<typeof scheduleSchema>> {
  const deps = c.get('deps');
  const [temporal, last] = await Promise.all([
    describeTemporalSchedule(deps.temporal, schedule),
    lastScheduledOperation(deps.database.db, schedule.tenantId, schedule.id),
  ]);
  return {
    id: schedule.id,
    job: schedule.jobName,
    request: schedule.request,
    spec: schedule.spec,
    overlap: schedule.overlap,
    catchupWindow: schedule.catchupWindowSeconds ? `${schedule.catchupWindowSeconds}s` : null,
    note: temporal.note ?? schedule.note,
    paused: temporal.paused,
    nextRuns: temporal.nextRuns,
    runs: temporal.runs,
    lastRun: last
      ? { at: last.createdAt.toISOString(), operationId: last.id, status: last.status }
      : null,
    createdAt: schedule.createdAt.toISOString(),
  };
}

async function load(c: Context<AppEnv>, id: string): Promise<Schedule> {
  const schedule = await getSchedule(c.get('deps').database.db, c.get('principal').tenantId, id);
  if (!schedule) throw problems.notFound('schedule', id);
  return schedule;
}

/** A schedule gone from Temporal behind Conveyor's back answers as if deleted. */
const orMissing = (id: string) => (error: unknown) => {
  if (error instanceof ScheduleNotFoundError) throw problems.notFound('schedule', id);
  throw error;
};

/** `/v1/schedules`: Temporal Schedules that start operations, per tenant. */
export function scheduleRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();

  app.openapi(create, async (c) => {
    const { spec, overlap, catchupWindow, note, ...request } = c.req.valid('json');
    const deps = c.get('deps');
    const principal = c.get('principal');
    const temporal = temporalSpec(spec);
    refuseShortInterval(await findTenantQuotas(deps.database.sql, principal.tenantId), spec);
    const context = startContext(deps, handlers);
    // The same checks as a start (job, collection, items, params), without starting anything.
    await startOperation(context, requesterOf(principal), {
      ...request,
      mode: 'dry_run',
    });
    const job = await findJob(deps.database.db, principal.tenantId, request.job);
    if (!job) throw problems.missing([{ name: 'job', reason: `no job "${request.job}"` }]);
    const id = `${SCHEDULE_ID_PREFIX}${randomUUID()}`;
    const schedule = await inTransaction(deps.database, async (tx) => {
      await admitOneMore(tx, principal.tenantId, 'schedules');
      const row = await insertSchedule(tx.db, {
        id,
        tenantId: principal.tenantId,
        jobName: job.name,
        request,
        spec,
        overlap,
        catchupWindowSeconds: catchupWindow ? durationMs(catchupWindow) / 1000 : null,
        note: note ?? null,
      });
      // Inside the transaction: a schedule Temporal refused leaves no record.
      await createTemporalSchedule(deps.temporal, {
        id,
        spec: temporal,
        overlap,
        catchupWindowMs: catchupWindow ? durationMs(catchupWindow) : undefined,
        note,
        paused: job.pausedAt !== null,
        taskQueue: deps.config.TASK_QUEUE,
        run: {
          tenantId: principal.tenantId,
          scheduleId: id,
          request,
          settings: engineSettings(context.settings, principal.parallelism),
        },
      });
      return row;
    });
    return c.json(await view(c, schedule), 201);
  });

  app.openapi(list, async (c) => {
    const rows = await listSchedules(c.get('deps').database.db, c.get('principal').tenantId);
    return c.json({ data: await Promise.all(rows.map((row) => view(c, row))) }, 200);
  });

  app.openapi(get, async (c) => c.json(await view(c, await load(c, c.req.valid('param').id)), 200));

  app.openapi(patch, async (c) => {
    const schedule = await load(c, c.req.valid('param').id);
    const changes = c.req.valid('json');
    const spec = changes.spec ? temporalSpec(changes.spec) : undefined;
    const deps = c.get('deps');
    if (changes.spec) {
      refuseShortInterval(
        await findTenantQuotas(deps.database.sql, schedule.tenantId),
        changes.spec,
      );
    }
    const updated = await inTransaction(deps.database, async (tx) => {
      const row = await updateSchedule(tx.db, schedule.id, {
        ...(changes.spec ? { spec: changes.spec } : {}),
        ...(changes.overlap ? { overlap: changes.overlap } : {}),
        ...(changes.catchupWindow
          ? { catchupWindowSeconds: durationMs(changes.catchupWindow) / 1000 }
          : {}),
        ...(changes.note !== undefined ? { note: changes.note } : {}),
      });
      await deps.temporal.schedule
        .getHandle(schedule.id)
        .update((previous) => ({
          ...previous,
          spec: spec ?? previous.spec,
          policies: {
            ...previous.policies,
            ...(changes.overlap ? { overlap: overlapPolicy(changes.overlap) } : {}),
            ...(changes.catchupWindow ? { catchupWindow: durationMs(changes.catchupWindow) } : {}),
          },
          state: {
            ...previous.state,
            ...(changes.note !== undefined ? { note: changes.note } : {}),
          },
        }))
        .catch(orMissing(schedule.id))
        .catch(specRefused);
      return row ?? schedule;
    });
    return c.json(await view(c, updated), 200);
  });

  app.openapi(remove, async (c) => {
    const schedule = await load(c, c.req.valid('param').id);
    const deps = c.get('deps');
    await deps.temporal.schedule
      .getHandle(schedule.id)
      .delete()
      .catch((error) => {
        // Already gone from Temporal: the record goes too.
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      });
    await deleteSchedule(deps.database.db, schedule.id);
    return c.body(null, 204);
  });

  for (const [definition, paused] of [
    [pause, true],
    [unpause, false],
  ] as const) {
    app.openapi(definition, async (c) => {
      const schedule = await load(c, c.req.valid('param').id);
      const { note } = c.req.valid('json');
      const handle = c.get('deps').temporal.schedule.getHandle(schedule.id);
      await (paused
        ? handle.pause(note ?? 'paused through the API')
        : handle.unpause(note ?? 'unpaused through the API')
      ).catch(orMissing(schedule.id));
      return c.json(await view(c, schedule), 200);
    });
  }

  app.openapi(trigger, async (c) => {
    const schedule = await load(c, c.req.valid('param').id);
    const body = c.req.valid('json');
    await c
      .get('deps')
      .temporal.schedule.getHandle(schedule.id)
      .trigger(overlapPolicy(body.overlap ?? (schedule.overlap as 'skip')))
      .catch(orMissing(schedule.id));
    return c.json(await view(c, schedule), 202);
  });

  app.openapi(backfill, async (c) => {
    const schedule = await load(c, c.req.valid('param').id);
    const { from, to, overlap } = c.req.valid('json');
    if (Date.parse(from) >= Date.parse(to)) {
      throw problems.contradiction([{ name: 'to', reason: 'must be after `from`' }]);
    }
    const deps = c.get('deps');
    await refuseLargeBackfill(
      deps.temporal,
      await findTenantQuotas(deps.database.sql, schedule.tenantId),
      schedule.id,
      { from: new Date(from), to: new Date(to) },
    ).catch(orMissing(schedule.id));
    await deps.temporal.schedule
      .getHandle(schedule.id)
      .backfill({
        start: new Date(from),
        end: new Date(to),
        overlap: overlapPolicy(overlap ?? 'allow_all'),
      })
      .catch(orMissing(schedule.id));
    return c.json(await view(c, schedule), 202);
  });

  return app;
}
