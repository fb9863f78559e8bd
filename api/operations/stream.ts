import { createRoute } from '@hono/zod-openapi';
import { FINISHED_STATUSES } from '../../common/domain';
import { FINAL_EVENT_TYPES } from '../../db/events';
import { getOperation } from '../../db/operations';
import { refuseOverCap } from '../../events/streams';
import type { EventStreams } from '../events/events';
import { eventStreamResponse } from '../events/schemas';
import { lastEventIdOf, streamEvents } from '../events/stream';
import { loadOperation } from '../loaders';
import { errorResponses } from '../problems';
import { holdQuotaLease } from '../quotas';
import { openApiRouter } from '../validation';
import { operationIdPath } from './schemas';

const stream = createRoute({
  method: 'get',
  path: '/{id}/stream',
  tags: ['operations'],
  summary: 'Live Server-Sent Events of one operation, from its first event until it finishes',
  description:
    'Sends the operation’s events from its first (or after `Last-Event-ID`, to resume), then each new one as it is written; ends after `operation.completed`, `operation.failed` or `operation.cancelled`.',
  request: { params: operationIdPath },
  responses: {
    200: eventStreamResponse('The operation’s events, as Server-Sent Events.'),
    ...errorResponses(401, 404, 429, 500, 503),
  },
});

/** `GET /operations/{id}/stream`: one operation's events, fed by the process's event hub. */
export function operationStreamRoutes(streams: EventStreams) {
  const app = openApiRouter();

  app.openapi(stream, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    refuseOverCap(streams.hub, streams.limits);
    const { db } = c.get('deps').database;
    return streamEvents(c, streams.hub, streams.limits, {
      tenantId: operation.tenantId,
      keyId: c.get('principal').keyId,
      filter: { operationId: operation.id },
      from: lastEventIdOf(c) ?? 0,
      endsWith: (event) => FINAL_EVENT_TYPES.includes(event.type as never),
      // Resumed after its final event: nothing more will come.
      alreadyOver: async () => {
        const now = await getOperation(db, operation.tenantId, operation.id);
        return !now || FINISHED_STATUSES.includes(now.status);
      },
      release: await holdQuotaLease(c.get('deps').database, operation.tenantId, 'openStreams'),
    }) as never;
  });

  return app;
}
