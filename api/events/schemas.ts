import { z } from '@hono/zod-openapi';
import { EVENT_TYPES } from '../../db/events';
import { jsonObject, timestamp } from '../openapi';
import { commaListQuery, limitQuery, nameText, queryInteger } from '../validation';

export const eventSchema = z
  .object({
    id: z.number().int().openapi({
      description:
        'Increasing within the tenant in the order events are recorded; pass as `after` (or `Last-Event-ID`) to read on.',
    }),
    tenantId: z.uuid(),
    operationId: z.string().nullable(),
    type: z.string().openapi({ enum: [...EVENT_TYPES] }),
    stageName: z.string().nullable(),
    jobName: z.union([z.string(), z.null()]).openapi({ description: 'The operation’s job.' }),
    collectionId: z
      .union([z.uuid(), z.null()])
      .openapi({ description: 'The collection the operation ran over, if any.' }),
    data: jsonObject('What happened, by event type.'),
    createdAt: timestamp('When it happened.'),
  })
  .openapi('Event');

/** One operation's events read by page. */
export const eventsQuery = z.object({
  after: queryInteger({ min: 0, description: 'Only events with a larger id.' }).optional(),
  limit: limitQuery(1_000, 200),
});

/** What a tenant's event list and stream filter by. */
export const eventFilterQuery = z.object({
  type: commaListQuery(EVENT_TYPES, 'event types', 'stage.completed,operation.completed'),
  job: nameText({
    description: 'Only events of operations of this job name.',
    example: 'nightly-crawl',
  }).optional(),
  collectionId: z
    .uuid()
    .optional()
    .openapi({ description: 'Only events of operations over this collection.' }),
});

export const tenantEventsQuery = eventFilterQuery.extend({
  after: queryInteger({ min: 0, description: 'Only events with a larger id.' }).optional(),
  limit: limitQuery(1_000, 200),
});

/** In OpenAPI 3.1 an event stream's schema describes one message, as its fields. */
export const eventStreamResponse = (description: string) => ({
  description: `${description} Each message's \`id\` is the event id (send it back as \`Last-Event-ID\` to resume with nothing missed or repeated), \`event\` its type and \`data\` the Event as JSON; a comment line keeps an idle stream open.`,
  content: {
    'text/event-stream': {
      schema: z
        .object({
          id: z.string().openapi({ description: 'The event id.' }),
          event: z.string().openapi({ enum: [...EVENT_TYPES], description: 'The event type.' }),
          data: z.string().openapi({ description: 'The Event, as JSON.' }),
        })
        .openapi('EventStreamMessage'),
    },
  },
});
