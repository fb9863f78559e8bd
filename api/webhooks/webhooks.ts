import { createRoute } from '@hono/zod-openapi';
import type { Webhook, WebhookDelivery } from '../../db/webhooks';
import { redeliver, webhookDeliveries } from '../../webhooks/deliveries';
import {
  changeWebhook,
  createWebhook,
  findWebhook,
  removeWebhook,
  tenantWebhooks,
} from '../../webhooks/endpoints';
import { needsRole } from '../auth';
import { jsonBody, jsonResponse, listOf } from '../openapi';
import { errorResponses } from '../problems';
import { webhookContext } from '../use-cases';
import { decodeCursor, encodeCursor, openApiRouter, uuidPath } from '../validation';
import {
  deliveriesQuery,
  deliveryPath,
  deliverySchema,
  newWebhookSchema,
  webhookChanges,
  webhookInput,
  webhookSchema,
} from './schemas';

const tags = ['webhooks'];
const idParams = uuidPath('webhook');

const create = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Create a webhook: events of the chosen types, signed, POSTed to a URL',
  ...needsRole('admin'),
  request: { body: jsonBody(webhookInput) },
  responses: {
    201: jsonResponse(newWebhookSchema, 'The webhook, with its signing secret shown this once.'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503),
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'List the tenant’s webhooks, newest first',
  ...needsRole('viewer'),
  responses: {
    200: jsonResponse(listOf(webhookSchema), 'Every webhook of the tenant, without secrets.'),
    ...errorResponses(401, 403, 500, 503),
  },
});

const get = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'Get a webhook',
  ...needsRole('viewer'),
  request: { params: idParams },
  responses: {
    200: jsonResponse(webhookSchema, 'The webhook.'),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

const patch = createRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  summary: 'Change a webhook, or disable and enable it',
  ...needsRole('admin'),
  request: { params: idParams, body: jsonBody(webhookChanges) },
  responses: {
    200: jsonResponse(webhookSchema, 'The webhook as changed.'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 500, 503),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete a webhook; its pending deliveries stop',
  ...needsRole('admin'),
  request: { params: idParams },
  responses: {
    204: { description: 'Deleted.' },
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

const deliveries = createRoute({
  method: 'get',
  path: '/{id}/deliveries',
  tags,
  summary: 'A webhook’s deliveries, newest first: status, attempts, response and latency',
  ...needsRole('viewer'),
  request: { params: idParams, query: deliveriesQuery },
  responses: {
    200: jsonResponse(
      listOf(deliverySchema).extend({
        nextCursor: deliveriesQuery.shape.cursor.unwrap().nullable(),
      }),
      'One page of deliveries.',
    ),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

const redelivery = createRoute({
  method: 'post',
  path: '/{id}/deliveries/{deliveryId}/redeliver',
  tags,
  summary: 'Send a delivery again, with the same `webhook-id`',
  ...needsRole('admin'),
  request: { params: deliveryPath },
  responses: {
    202: jsonResponse(deliverySchema, 'The delivery, pending again; its attempts follow.'),
    ...errorResponses(400, 401, 403, 404, 409, 500, 503),
  },
});

const view = ({
  secret: _,
  jobName,
  collectionId,
  afterEventId: __,
  tenantId: ___,
  ...rest
}: Webhook) => ({
  ...rest,
  filters: { job: jobName, collectionId },
});

const deliveryView = ({ webhookId: _, tenantId: __, updatedAt: ___, ...rest }: WebhookDelivery) =>
  rest;

/** `/v1/webhooks`: a tenant's webhooks and their deliveries. */
export function webhookRoutes() {
  const app = openApiRouter();

  app.openapi(create, async (c) => {
    const { webhook, secret } = await createWebhook(
      webhookContext(c.get('deps')),
      c.get('principal').tenantId,
      c.req.valid('json'),
    );
    return c.json({ ...view(webhook), secret }, 201);
  });

  app.openapi(list, async (c) => {
    const rows = await tenantWebhooks(webhookContext(c.get('deps')), c.get('principal').tenantId);
    return c.json({ data: rows.map(view) }, 200);
  });

  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    const webhook = await findWebhook(
      webhookContext(c.get('deps')),
      c.get('principal').tenantId,
      id,
    );
    return c.json(view(webhook), 200);
  });

  app.openapi(patch, async (c) => {
    const { id } = c.req.valid('param');
    const webhook = await changeWebhook(
      webhookContext(c.get('deps')),
      c.get('principal').tenantId,
      id,
      c.req.valid('json'),
    );
    return c.json(view(webhook), 200);
  });

  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    await removeWebhook(webhookContext(c.get('deps')), c.get('principal').tenantId, id);
    return c.body(null, 204);
  });

  app.openapi(deliveries, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const rows = await webhookDeliveries(
      webhookContext(c.get('deps')),
      c.get('principal').tenantId,
      id,
      { limit: query.limit + 1, status: query.status, cursor: decodeCursor(query.cursor) },
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return c.json(
      {
        data: page.map(deliveryView),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
      },
      200,
    );
  });

  app.openapi(redelivery, async (c) => {
    const { id, deliveryId } = c.req.valid('param');
    const principal = c.get('principal');
    const delivery = await redeliver(
      webhookContext(c.get('deps')),
      { tenantId: principal.tenantId, fairnessWeight: principal.fairnessWeight },
      id,
      deliveryId,
    );
    return c.json(deliveryView(delivery), 202);
  });

  return app;
}
