import { createRoute, z } from '@hono/zod-openapi';
import { ScheduleNotFoundError } from '@temporalio/client';
import { PAUSABLE_STATUSES } from '../common/domain';
import { findJob, setJobPaused } from '../db/jobs';
import { operationIdsOfJob } from '../db/operations';
import { listSchedules } from '../db/schedules';
import { pauseUpdate, resumeUpdate } from '../workflows/definitions';
import { needsRole } from './auth';
import { idOrName } from './jobs';
import { jsonResponse } from './openapi';
import { errorResponses, problems } from './problems';
import { openApiRouter } from './validation';

const resultSchema = z
  .object({
    job: z.string(),
    paused: z.boolean(),
    pausedAt: z.string().nullable(),
    schedules: z
      .number()
      .int()
      .openapi({ description: 'Schedules of the job paused or unpaused.' }),
    operations: z.number().int().openapi({ description: 'Its operations paused or resumed.' }),
  })
  .openapi('JobPauseResult');

const routeFor = (action: 'pause' | 'resume') =>
  createRoute({
    method: 'post',
    path: `/{id}/${action}`,
    tags: ['jobs'],
    summary:
      action === 'pause'
        ? 'Pause a job: its schedules start nothing and its running operations pause'
        : 'Wake a paused job: its schedules run again and its paused operations resume',
    ...needsRole('admin'),
    request: { params: idOrName },
    responses: {
      200: jsonResponse(resultSchema, 'The job and how many schedules and operations changed.'),
      ...errorResponses(401, 403, 404, 500, 503),
    },
  });

/** `POST /jobs/{id}/pause|resume` (seed 004): a job put to sleep and woken, with all it runs. */
export function jobPauseRoutes() {
  const app = openApiRouter();
  for (const action of ['pause', 'resume'] as const) {
    app.openapi(routeFor(action), async (c) => {
      const { id } = c.req.valid('param');
      const deps = c.get('deps');
      const tenantId = c.get('principal').tenantId;
      const job = await findJob(deps.database.db, tenantId, id);
      if (!job) throw problems.notFound('job', id);
      const pausing = action === 'pause';
      // The mark first: a schedule run that lands meanwhile finds it and starts nothing.
      const marked = await setJobPaused(deps.database.db, job, pausing);
      let schedules = 0;
      for (const schedule of await listSchedules(deps.database.db, tenantId, {
        jobName: job.name,
      })) {
        const handle = deps.temporal.schedule.getHandle(schedule.id);
        const note = `job ${job.name} ${pausing ? 'paused' : 'resumed'}`;
        try {
          await (pausing ? handle.pause(note) : handle.unpause(note));
          schedules++;
        } catch (error) {
          if (!(error instanceof ScheduleNotFoundError)) throw error;
        }
      }
      let operations = 0;
      const steered = await operationIdsOfJob(
        deps.database.db,
        tenantId,
        job.name,
        pausing ? [...PAUSABLE_STATUSES] : ['paused'],
      );
      for (const operationId of steered) {
        // One that finished (or has not started) meanwhile is left as it is.
        const done = await deps.temporal.workflow
          .getHandle(operationId)
          .executeUpdate(pausing ? pauseUpdate : resumeUpdate)
          .then(() => true)
          .catch(() => false);
        if (done) operations++;
      }
      return c.json(
        {
          job: job.name,
          paused: marked.pausedAt !== null,
          pausedAt: marked.pausedAt?.toISOString() ?? null,
          schedules,
          operations,
        },
        200,
      );
    });
  }
  return app;
}
