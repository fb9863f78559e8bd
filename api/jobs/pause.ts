import { createRoute, z } from '@hono/zod-openapi';
import { findJob } from '../../db/jobs';
import { pauseJob } from '../../jobs/pause';
import { needsRole } from '../auth';
import { jsonResponse } from '../openapi';
import { errorResponses, problems } from '../problems';
import { controlContext } from '../use-cases';
import { openApiRouter } from '../validation';
import { idOrName } from './jobs';

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
      const job = await findJob(deps.database.db, c.get('principal').tenantId, id);
      if (!job) throw problems.notFound('job', id);
      const result = await pauseJob(controlContext(deps), job, action);
      return c.json(
        {
          job: result.job.name,
          paused: result.job.pausedAt !== null,
          pausedAt: result.job.pausedAt?.toISOString() ?? null,
          schedules: result.schedules,
          operations: result.operations,
        },
        200,
      );
    });
  }
  return app;
}
