import { createRoute, type z } from '@hono/zod-openapi';
import { type EventFilter, eventsAfter } from '../../db/events';
import type { EventHub } from '../../events/hub';
import { refuseOverCap, type StreamLimits } from '../../events/streams';
import { needsRole } from '../auth';
import { jsonResponse, listOf } from '../openapi';
import { errorResponses } from '../problems';
import { holdQuotaLease } from '../quotas';
import { openApiRouter } from '../validation';
import { eventFilterQuery, eventSchema, eventStreamResponse, tenantEventsQuery } from './schemas';
import { lastEventIdOf, streamEvents } from './stream';

/** What the streaming routes share in one API process. */
export interface EventStreams {
  hub: EventHub;
  limits: StreamLimits;
}

const tags = ['events'];

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'The tenant’s events after an id, oldest first',
  ...needsRole('viewer'),
  request: { query: tenantEventsQuery },
  responses: {
    200: jsonResponse(listOf(eventSchema), 'Events after `after`, filtered.'),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

const stream = createRoute({
  method: 'get',
  path: '/stream',
  tags,
  summary: 'Live Server-Sent Events of the whole tenant',
  ...needsRole(
    'viewer',
    'Sends each new event of the tenant that passes the filters, from the moment of connecting, or every one after `Last-Event-ID` when resuming. Never ends on its own.',
  ),
  request: { query: eventFilterQuery },
  responses: {
    200: eventStreamResponse('The tenant’s events, as Server-Sent Events.'),
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

function toFilter(query: z.infer<typeof eventFilterQuery>): EventFilter {
  return { types: query.type, jobName: query.job, collectionId: query.collectionId };
}

/** `/v1/events`: the tenant's event log, read by page or followed live. */
export function eventRoutes(streams: EventStreams) {
  const app = openApiRouter();

  app.openapi(list, async (c) => {
    const query = c.req.valid('query');
    const rows = await eventsAfter(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      query.after ?? 0,
      query.limit,
      toFilter(query),
    );
    return c.json({ data: rows }, 200);
  });

  app.openapi(stream, async (c) => {
    refuseOverCap(streams.hub, streams.limits);
    const tenantId = c.get('principal').tenantId;
    return streamEvents(c, streams.hub, streams.limits, {
      tenantId,
      keyId: c.get('principal').keyId,
      filter: toFilter(c.req.valid('query')),
      from: lastEventIdOf(c) ?? 'live',
      release: await holdQuotaLease(c.get('deps').database, tenantId, 'openStreams'),
    }) as never;
  });

  return app;
}
