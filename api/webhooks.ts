import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { refusedTarget } from '../common/public-address';
import { newWebhookSecret } from '../common/webhook-signature';
import { webhookPolicy } from '../common/webhooks';
import { inTransaction } from '../db/client';
import {
  deleteWebhook,
  getDelivery,
  getWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  reopenDelivery,
  updateWebhook,
  type Webhook,
  type WebhookDelivery,
} from '../db/webhooks';
import { admitOneMore } from '../operations/quotas';
import { needsRole } from './auth';
import type { AppEnv } from './env';
import { jsonBody, jsonResponse, listOf } from './openapi';
import { errorResponses, problems } from './problems';
import { decodeCursor, encodeCursor, openApiRouter, uuidPath } from './validation';
import { startDelivery } from './webhook-dispatcher';
import {
  deliveriesQuery,
  deliveryPath,
  deliverySchema,
  newWebhookSchema,
  webhookChanges,
  webhookInput,
  webhookSchema,
} from './webhook-schemas';

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

const redeliver = createRoute({
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

/**
 * Refuses a private or loopback target (SSRF) unless the configuration allows them: a 409, as
 * the URL is well formed and only the deployment's policy stands against it.
 */
async function refuseTarget(c: Context<AppEnv>, url: string): Promise<void> {
  if (!URL.canParse(url)) throw problems.validation([{ name: 'url', reason: 'is not a URL' }]);
  const reason = await refusedTarget(
    new URL(url),
    webhookPolicy(c.get('deps').config).allowPrivate,
  );
  if (reason) throw problems.contradiction([{ name: 'url', reason: `refused: ${reason}` }]);
}

/** `/v1/webhooks`: a tenant's webhooks and their deliveries. */
export function webhookRoutes() {
  const app = openApiRouter();

  app.openapi(create, async (c) => {
    const input = c.req.valid('json');
    await refuseTarget(c, input.url);
    const { database } = c.get('deps');
    const secret = newWebhookSecret();
    const webhook = await inTransaction(database, async (tx) => {
      await admitOneMore(tx, c.get('principal').tenantId, 'webhooks');
      return insertWebhook(tx.db, {
        tenantId: c.get('principal').tenantId,
        url: input.url,
        eventTypes: input.eventTypes,
        jobName: input.filters.job ?? null,
        collectionId: input.filters.collectionId ?? null,
        description: input.description ?? null,
        secret,
      });
    });
    return c.json({ ...view(webhook), secret }, 201);
  });

  app.openapi(list, async (c) => {
    const rows = await listWebhooks(c.get('deps').database.db, c.get('principal').tenantId);
    return c.json({ data: rows.map(view) }, 200);
  });

  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    const webhook = await getWebhook(c.get('deps').database.db, c.get('principal').tenantId, id);
    if (!webhook) throw problems.notFound('webhook', id);
    return c.json(view(webhook), 200);
  });

  app.openapi(patch, async (c) => {
    const { id } = c.req.valid('param');
    const { filters, ...changes } = c.req.valid('json');
    if (changes.url) await refuseTarget(c, changes.url);
    const webhook = await updateWebhook(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      id,
      {
        ...changes,
        ...(filters === undefined
          ? {}
          : { jobName: filters.job ?? null, collectionId: filters.collectionId ?? null }),
      },
    );
    if (!webhook) throw problems.notFound('webhook', id);
    return c.json(view(webhook), 200);
  });

  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deleteWebhook(c.get('deps').database.db, c.get('principal').tenantId, id))) {
      throw problems.notFound('webhook', id);
    }
    return c.body(null, 204);
  });

  app.openapi(deliveries, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const { db } = c.get('deps').database;
    if (!(await getWebhook(db, c.get('principal').tenantId, id))) {
      throw problems.notFound('webhook', id);
    }
    const rows = await listDeliveries(db, id, {
      limit: query.limit + 1,
      status: query.status,
      cursor: decodeCursor(query.cursor),
    });
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

  app.openapi(redeliver, async (c) => {
    const { id, deliveryId } = c.req.valid('param');
    const deps = c.get('deps');
    const found = await getDelivery(deps.database.db, deliveryId);
    if (
      !found ||
      found.webhook.id !== id ||
      found.webhook.tenantId !== c.get('principal').tenantId
    ) {
      throw problems.notFound('delivery', deliveryId);
    }
    if (!found.webhook.enabled) {
      throw problems.conflict(`Webhook ${id} is disabled; enable it (PATCH enabled: true) first.`);
    }
    await reopenDelivery(deps.database.db, deliveryId);
    const principal = c.get('principal');
    await startDelivery(
      deps,
      { deliveryId, policy: webhookPolicy(deps.config) },
      { tenantId: principal.tenantId, fairnessWeight: principal.fairnessWeight },
      Date.now(),
    );
    return c.json(deliveryView({ ...found.delivery, status: 'pending' }), 202);
  });

  return app;
}
