import { createRoute } from '@hono/zod-openapi';
import type { HandlerRegistry } from '../../handlers/registry';
import { requesterOf } from '../../operations/start';
import { changeSchedule, removeSchedule, setSchedulePaused } from '../../schedules/change';
import { createSchedule } from '../../schedules/create';
import { backfillSchedule, triggerSchedule } from '../../schedules/runs';
import { findSchedule, listScheduleViews, viewSchedule } from '../../schedules/view';
import { needsRole } from '../auth';
import { jsonBody, jsonResponse, listOf } from '../openapi';
import { errorResponses } from '../problems';
import { startContext } from '../use-cases';
import { openApiRouter } from '../validation';
import {
  backfillInput,
  noteInput,
  scheduleChanges,
  scheduleIdPath,
  scheduleInput,
  scheduleSchema,
  triggerInput,
} from './schemas';

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
  ...route(
    'patch',
    '/{id}',
    'Change what a schedule runs (job, params, scope, checked as a start), when, its overlap policy or note',
    'admin',
  ),
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

/** `/v1/schedules`: Temporal Schedules that start operations, per tenant (rules in schedules/). */
export function scheduleRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();

  app.openapi(create, async (c) => {
    const { spec, overlap, catchupWindow, note, ...request } = c.req.valid('json');
    const context = startContext(c.get('deps'), handlers);
    const schedule = await createSchedule(context, requesterOf(c.get('principal')), {
      request,
      spec,
      overlap,
      catchupWindow,
      note,
    });
    return c.json(await viewSchedule(context, schedule), 201);
  });

  app.openapi(list, async (c) => {
    const context = startContext(c.get('deps'), handlers);
    return c.json({ data: await listScheduleViews(context, c.get('principal').tenantId) }, 200);
  });

  app.openapi(get, async (c) => {
    const context = startContext(c.get('deps'), handlers);
    const schedule = await findSchedule(
      context,
      c.get('principal').tenantId,
      c.req.valid('param').id,
    );
    return c.json(await viewSchedule(context, schedule), 200);
  });

  app.openapi(patch, async (c) => {
    const context = startContext(c.get('deps'), handlers);
    const schedule = await changeSchedule(
      context,
      requesterOf(c.get('principal')),
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(await viewSchedule(context, schedule), 200);
  });

  app.openapi(remove, async (c) => {
    const context = startContext(c.get('deps'), handlers);
    await removeSchedule(context, c.get('principal').tenantId, c.req.valid('param').id);
    return c.body(null, 204);
  });

  for (const [definition, paused] of [
    [pause, true],
    [unpause, false],
  ] as const) {
    app.openapi(definition, async (c) => {
      const context = startContext(c.get('deps'), handlers);
      const schedule = await setSchedulePaused(
        context,
        c.get('principal').tenantId,
        c.req.valid('param').id,
        paused,
        c.req.valid('json').note,
      );
      return c.json(await viewSchedule(context, schedule), 200);
    });
  }

  app.openapi(trigger, async (c) => {
    const context = startContext(c.get('deps'), handlers);
    const schedule = await triggerSchedule(
      context,
      c.get('principal').tenantId,
      c.req.valid('param').id,
      c.req.valid('json').overlap,
    );
    return c.json(await viewSchedule(context, schedule), 202);
  });

  app.openapi(backfill, async (c) => {
    const context = startContext(c.get('deps'), handlers);
    const schedule = await backfillSchedule(
      context,
      c.get('principal').tenantId,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(await viewSchedule(context, schedule), 202);
  });

  return app;
}
