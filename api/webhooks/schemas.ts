import { z } from '@hono/zod-openapi';
import { WEBHOOK_DELIVERY_STATUSES } from '../../common/domain';
import { EVENT_TYPES } from '../../db/events';
import { timestamp } from '../openapi';
import { cursorQuery, limitQuery, nameText } from '../validation';

const PORT = '(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})';
/**
 * http(s) with a host name or IPv4 address, an optional port and path: everything the pattern
 * lets through is a URL Node can send to, so the document and the check agree.
 */
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
// The last label starts with a letter: one of digits would make WHATWG read the host as IPv4.
const HOST = `(?:(?:${LABEL}\\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|${OCTET}(?:\\.${OCTET}){3})`;
const URL_PATTERN = `^https?://${HOST}(?::${PORT})?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?(?:\\?[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?$`;

const url = z.string().max(2000).regex(new RegExp(URL_PATTERN)).openapi({
  description:
    'Where deliveries are POSTed: http or https, a host name or IPv4 address. Private and loopback targets are refused unless WEBHOOK_ALLOW_PRIVATE is set.',
  example: 'https://hooks.example.com/conveyor',
});

const eventTypes = z
  .array(z.enum(EVENT_TYPES))
  .max(EVENT_TYPES.length)
  .openapi({ description: 'The event types to deliver; empty (the default) means every type.' });

const filters = z
  .object({
    job: z
      .union([
        nameText({
          description: 'Only events of operations of this job.',
          example: 'nightly-crawl',
        }),
        z.null(),
      ])
      .optional(),
    collectionId: z
      .union([z.uuid(), z.null()])
      .optional()
      .openapi({ description: 'Only events of operations over this collection.' }),
  })
  .strict()
  .openapi('WebhookFilters');

const description = z
  .union([z.string().max(500), z.null()])
  .openapi({ description: 'What the webhook is for.' });

export const webhookInput = z
  .object({
    url,
    eventTypes: eventTypes.default([]),
    filters: filters.default({}),
    description: description.optional(),
  })
  .strict()
  .openapi('WebhookInput');

export const webhookChanges = z
  .object({
    url: url.optional(),
    eventTypes: eventTypes.optional(),
    filters: filters.optional(),
    description: description.optional(),
    enabled: z.boolean().optional().openapi({
      description: 'false pauses deliveries; true resumes them and forgets past failures.',
    }),
  })
  .strict()
  .openapi('WebhookChanges');

export const webhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    filters: z.object({ job: z.string().nullable(), collectionId: z.string().nullable() }),
    description: z.string().nullable(),
    enabled: z.boolean(),
    disabledReason: z
      .string()
      .nullable()
      .openapi({ description: 'Why Conveyor disabled it, when it did.' }),
    failingSince: timestamp('Since when every attempt has failed; null while it works.').nullable(),
    createdAt: timestamp('When it was made.'),
    updatedAt: timestamp('When it last changed.'),
  })
  .openapi('Webhook');

export const newWebhookSchema = webhookSchema
  .extend({
    secret: z.string().openapi({
      description:
        'The signing secret (`whsec_…`, Standard Webhooks): shown only in this response. Verify `webhook-signature` with it.',
    }),
  })
  .openapi('NewWebhook');

export const deliverySchema = z
  .object({
    id: z.string().openapi({ description: 'The `webhook-id` header of each attempt.' }),
    eventId: z.number().int(),
    eventType: z.string(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable().openapi({ description: 'Of the last attempt.' }),
    latencyMs: z.number().int().nullable().openapi({ description: 'Of the last attempt.' }),
    lastError: z.string().nullable(),
    createdAt: timestamp('When the event was handed to the webhook.'),
    deliveredAt: timestamp('When an attempt succeeded.').nullable(),
  })
  .openapi('WebhookDelivery');

export const deliveriesQuery = z.object({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  limit: limitQuery(500, 50),
  cursor: cursorQuery,
});

export const deliveryPath = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'The webhook id.' }),
  deliveryId: z
    .string()
    .regex(/^msg_[0-9]{1,18}_[0-9a-fA-F-]{36}$/)
    .openapi({
      param: { name: 'deliveryId', in: 'path' },
      description: 'The delivery id.',
      example: 'msg_42_3b1f0c0e-9d2a-4c6b-8e7f-5a4d3c2b1a09',
    }),
});
