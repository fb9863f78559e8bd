import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { FINISHED_STATUSES } from '../common/domain';
import { listOperationEvents } from '../db/events';
import { stageCounts } from '../db/item-stages';
import { getOperation } from '../db/operations';
import { loadOperation } from './loaders';
import { operationIdPath } from './operation-schemas';
import { operationDetail } from './operation-view';
import { errorResponses } from './problems';
import { openApiRouter } from './validation';

/** How often a stream looks for new events and progress. */
const POLL_MS = 1_000;

const stream = createRoute({
  method: 'get',
  path: '/{id}/stream',
  tags: ['operations'],
  summary: 'Live Server-Sent Events: each new event, and progress as it changes',
  request: { params: operationIdPath },
  responses: {
    200: {
      description:
        'A stream of `event` messages (an Event as JSON, with its id as the SSE id) and `progress` messages (an OperationProgress as JSON, when it changed); it ends once the operation finishes.',
      content: {
        'text/event-stream': {
          // In OpenAPI 3.1 an event stream's schema describes one message, as its fields.
          schema: z
            .object({
              event: z.enum(['event', 'progress']).openapi({ description: 'The message kind.' }),
              data: z.string().openapi({
                description:
                  'An Event (for `event`) or an OperationProgress (for `progress`), as JSON.',
              }),
              id: z
                .string()
                .optional()
                .openapi({ description: 'The event id, on `event` messages; resume after it.' }),
            })
            .openapi('OperationStreamMessage'),
        },
      },
    },
    ...errorResponses(401, 404, 500, 503),
  },
});

/**
 * `GET /operations/{id}/stream`: Server-Sent Events. `event` carries each new operation event,
 * `progress` the operation with per-stage counts when it changed; the stream ends after the
 * operation finishes.
 */
export function operationStreamRoutes() {
  const app = openApiRouter();

  app.openapi(stream, async (c) => {
    const first = await loadOperation(c, c.req.valid('param').id);
    const deps = c.get('deps');
    return streamSSE(c, async (stream) => {
      let afterId = 0;
      let lastProgress = '';
      let closed = false;
      stream.onAbort(() => {
        closed = true;
      });
      while (!closed) {
        const operation = await getOperation(deps.database.db, first.tenantId, first.id);
        if (!operation) break;
        for (const event of await listOperationEvents(deps.database.db, first.tenantId, first.id, {
          afterId,
          limit: 500,
        })) {
          afterId = event.id;
          await stream.writeSSE({
            event: 'event',
            id: String(event.id),
            data: JSON.stringify(event),
          });
        }
        const stages = await stageCounts(
          deps.database.sql,
          operation.id,
          operation.definition.stages.length,
        );
        const progress = JSON.stringify(operationDetail(deps, operation, stages));
        if (progress !== lastProgress) {
          lastProgress = progress;
          await stream.writeSSE({ event: 'progress', data: progress });
        }
        if (FINISHED_STATUSES.includes(operation.status)) break;
        await stream.sleep(POLL_MS);
      }
    });
  });

  return app;
}
