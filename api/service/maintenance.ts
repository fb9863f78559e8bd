import { createRoute, z } from '@hono/zod-openapi';
import { maintenanceScheduleId } from '../../common/maintenance';
import { recentMaintenanceRuns } from '../../db/maintenance';
import { needsRole } from '../auth';
import { jsonResponse, timestamp } from '../openapi';
import { errorResponses } from '../problems';
import { openApiRouter } from '../validation';

const runSchema = z
  .object({
    workflowId: z.string().openapi({ description: 'The run’s workflow, in the Web UI.' }),
    startedAt: timestamp('When the run began.'),
    finishedAt: timestamp('When it recorded its summary.'),
    summary: z.record(z.string(), z.unknown()).openapi({
      description:
        'Operations reconciled with Temporal, claims released, events and test operations deleted.',
    }),
  })
  .openapi('MaintenanceRun');

const runs = createRoute({
  method: 'get',
  path: '/',
  tags: ['maintenance'],
  summary: 'The last global maintenance runs and what each did',
  ...needsRole('admin'),
  responses: {
    200: jsonResponse(
      z.object({
        scheduleId: z.string().openapi({ description: 'The maintenance schedule in Temporal.' }),
        data: z.array(runSchema),
      }),
      'The newest runs first.',
    ),
    ...errorResponses(401, 403, 500, 503),
  },
});

/** `/v1/maintenance`: what global maintenance did, for admins. */
export function maintenanceRoutes() {
  const app = openApiRouter();
  app.openapi(runs, async (c) => {
    const deps = c.get('deps');
    const rows = await recentMaintenanceRuns(deps.database.db, 20);
    return c.json(
      {
        scheduleId: maintenanceScheduleId(deps.config.TASK_QUEUE),
        data: rows.map(({ id: _, ...row }) => row),
      },
      200,
    );
  });
  return app;
}
