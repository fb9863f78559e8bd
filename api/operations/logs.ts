import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { FINISHED_STATUSES, RUN_LOG_LEVELS } from '../../common/domain';
import { listRunLog, type RunLogFilters } from '../../db/operation-logs';
import { getOperation } from '../../db/operations';
import { lastEventIdOf } from '../events/stream';
import { loadOperation } from '../loaders';
import { jsonResponse, pageOf, timestamp } from '../openapi';
import { errorResponses } from '../problems';
import { holdQuotaLease } from '../quotas';
import { limitQuery, openApiRouter, queryInteger } from '../validation';
import { operationIdPath } from './schemas';

/** How often a followed log looks for new lines. */
const FOLLOW_EVERY_MS = 500;
const FOLLOW_PAGE = 500;

const tags = ['operations'];

const filters = {
  item: z
    .string()
    .min(1)
    .max(2_048)
    .optional()
    .openapi({ description: 'Only lines about the item of this key.' }),
  stage: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'Only lines of this stage.' }),
  level: z.enum(RUN_LOG_LEVELS).optional().openapi({
    description: 'Only lines at this level or more severe (info, warn, error, fatal).',
  }),
};

const logsQuery = z.object({
  ...filters,
  limit: limitQuery(1_000, 200),
  cursor: queryInteger({
    min: 0,
    description: 'The `nextCursor` of the previous page (a line id); omit for the first page.',
  }).optional(),
});

export const runLogLineSchema = z
  .object({
    id: z
      .number()
      .int()
      .openapi({ description: 'Grows with each line; a cursor and a stream id.' }),
    stage: z.string().openapi({ description: 'The stage whose handler wrote it.' }),
    itemId: z.number().int().nullable().openapi({ description: 'Its item; null for discovery.' }),
    itemKey: z.string().nullable(),
    level: z.enum(RUN_LOG_LEVELS),
    message: z.string(),
    data: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'The fields the handler logged with the message.' }),
    at: timestamp('When the handler wrote it.'),
  })
  .openapi('RunLogLine');

const list = createRoute({
  method: 'get',
  path: '/{id}/logs',
  tags,
  summary: 'The lines the operation’s handlers logged (ctx.log), oldest first',
  description:
    'Lines at info level and above, kept per operation (at most 10,000; a line says when the log is full) for as long as its events.',
  request: { params: operationIdPath, query: logsQuery },
  responses: {
    200: jsonResponse(pageOf(runLogLineSchema), 'A page of lines.'),
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

const follow = createRoute({
  method: 'get',
  path: '/{id}/logs/stream',
  tags,
  summary: 'The operation’s log lines as Server-Sent Events, until it finishes',
  description:
    'Sends the lines kept so far (after `Last-Event-ID`, to resume), then new ones as batches write them, about every second; ends with an `end` message once the operation has finished and its last lines were sent.',
  request: { params: operationIdPath, query: z.object(filters) },
  responses: {
    200: {
      description:
        'Each message’s `id` is the line id, `event` is `log` (or `end`, last) and `data` the line as JSON.',
      content: {
        'text/event-stream': {
          schema: z
            .object({
              id: z.string().openapi({ description: 'The line id.' }),
              event: z.enum(['log', 'end']),
              data: z.string().openapi({ description: 'The RunLogLine, as JSON.' }),
            })
            .openapi('RunLogStreamMessage'),
        },
      },
    },
    ...errorResponses(400, 401, 404, 429, 500, 503),
  },
});

const filtersOf = (query: { item?: string; stage?: string; level?: RunLogFilters['level'] }) => ({
  itemKey: query.item,
  stage: query.stage,
  level: query.level,
});

/** `/operations/{id}/logs`: the run log of an operation, as pages or followed live. */
export function operationLogRoutes() {
  const app = openApiRouter();

  app.openapi(list, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    const query = c.req.valid('query');
    const rows = await listRunLog(c.get('deps').database.sql, operation.id, filtersOf(query), {
      afterId: query.cursor ?? 0,
      limit: query.limit,
    });
    const last = rows.at(-1);
    return c.json(
      { data: rows, nextCursor: rows.length === query.limit && last ? String(last.id) : null },
      200,
    );
  });

  app.openapi(follow, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    const filters = filtersOf(c.req.valid('query'));
    const { database } = c.get('deps');
    const release = await holdQuotaLease(database, operation.tenantId, 'openStreams');
    return streamSSE(c, async (stream) => {
      let after = lastEventIdOf(c) ?? 0;
      let aborted = false;
      stream.onAbort(() => {
        aborted = true;
      });
      try {
        while (!aborted) {
          // Read before the lines, so a line written just before the finish is never missed.
          const now = await getOperation(database.db, operation.tenantId, operation.id);
          const finished = !now || FINISHED_STATUSES.includes(now.status);
          for (;;) {
            const lines = await listRunLog(database.sql, operation.id, filters, {
              afterId: after,
              limit: FOLLOW_PAGE,
            });
            for (const line of lines) {
              await stream.writeSSE({
                id: String(line.id),
                event: 'log',
                data: JSON.stringify(line),
              });
              after = line.id;
            }
            if (lines.length < FOLLOW_PAGE) break;
          }
          if (finished) {
            await stream.writeSSE({
              id: String(after),
              event: 'end',
              data: JSON.stringify({ status: now?.status }),
            });
            return;
          }
          await stream.sleep(FOLLOW_EVERY_MS);
        }
      } finally {
        await release();
      }
    }) as never;
  });

  return app;
}
