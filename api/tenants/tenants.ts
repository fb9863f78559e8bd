import { createRoute, z } from '@hono/zod-openapi';
import { QUOTA_DEFAULTS, quotaChangesSchema, quotasOf, quotasSchema } from '../../common/quotas';
import { ConflictError } from '../../db/pg-errors';
import {
  createTenantWithAdminKey,
  listTenants,
  type Tenant,
  updateTenantSettings,
} from '../../db/tenants';
import { needsSystemKey } from '../auth';
import { jsonBody, jsonResponse, listOf, timestamp } from '../openapi';
import { errorResponses, Problem, problems } from '../problems';
import { nameText, openApiRouter } from '../validation';
import { keySecret } from './api-keys';

const tags = ['tenants'];

const tenantInput = z
  .object({
    name: nameText({
      description: 'Unique across the deployment.',
      example: 'acme',
    }),
  })
  .openapi('TenantInput');

const fairnessWeight = z.number().min(0.01).max(1_000).openapi({
  description:
    "The tenant's share of the workers while tenants' work waits: a tenant of weight 3 gets about three batches for every one of a tenant of weight 1. New operations take it; 1 by default.",
  example: 1,
});

const parallelism = z.int().min(1).max(64).openapi({
  description:
    'Batches one of the tenant’s operations runs at once (up to 4 chunks side by side, the rest as batches per chunk), so one tenant’s runs cannot fill every worker slot before fair sharing sees the others. New operations and schedule runs take it; 16 by default.',
  example: 16,
});

// Made again from the shapes here: zod schemas made before @hono/zod-openapi loads lack `openapi`.
const quotas = z.object(quotasSchema.shape).openapi('TenantQuotas', {
  description:
    'What the tenant may take of the deployment. Over a quota a request is refused with 429 (409 for `highestPriority`) and a problem naming the quota and its value.',
  example: QUOTA_DEFAULTS,
});

const quotaChanges = z.strictObject(quotaChangesSchema.shape).openapi('TenantQuotaChanges', {
  description:
    'Quotas to change: a number sets one, null puts it back to its default; the others stay as they are.',
  example: { operationsInFlight: 200, openStreams: null },
});

const tenantSettings = z
  .object({
    fairnessWeight: fairnessWeight.optional(),
    parallelism: parallelism.optional(),
    quotas: quotaChanges.optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, {
    message: 'give fairnessWeight, parallelism, quotas or several',
  })
  .openapi('TenantSettings', {
    description: 'The tenant settings a system key may change; at least one.',
    minProperties: 1,
  });

const tenantSchema = z
  .object({
    id: z.uuid().openapi({ description: 'The tenant’s id.' }),
    name: z.string().openapi({ description: 'Unique across the deployment.' }),
    fairnessWeight,
    parallelism,
    quotas,
    createdAt: timestamp('When the tenant was created.'),
  })
  .openapi('Tenant');

/** The tenant as the API shows it: every quota's value, its overrides over the defaults. */
const view = (tenant: Tenant) => ({ ...tenant, quotas: quotasOf(tenant.quotas) });

const newTenantSchema = tenantSchema.extend({ key: keySecret }).openapi('NewTenant', {
  description: 'A new tenant with the secret of its first admin key (named `admin`).',
});

const create = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Create a tenant with its first admin key',
  ...needsSystemKey(),
  request: { body: jsonBody(tenantInput) },
  responses: {
    201: jsonResponse(newTenantSchema, 'The new tenant and its admin key.'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503),
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'List tenants, newest first',
  ...needsSystemKey(),
  responses: {
    200: jsonResponse(listOf(tenantSchema), 'Every tenant.'),
    ...errorResponses(401, 403, 500, 503),
  },
});

const update = createRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  summary: "Change a tenant's settings (fairness weight, parallelism, quotas)",
  ...needsSystemKey(),
  request: {
    params: z.object({ id: z.uuid().openapi({ description: 'The tenant’s id.' }) }),
    body: jsonBody(tenantSettings),
  },
  responses: {
    200: jsonResponse(tenantSchema, 'The tenant as changed.'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 500, 503),
  },
});

/** `/v1/tenants`: tenant management, for system keys only. */
export function tenantRoutes() {
  const app = openApiRouter();

  app.openapi(create, async (c) => {
    const { name } = c.req.valid('json');
    const { tenant, adminKey } = await createTenantWithAdminKey(c.get('deps').database, name).catch(
      (error: unknown) => {
        if (!(error instanceof ConflictError)) throw error;
        throw new Problem(409, 'conflict', 'Conflict', `${error.message}; choose another name.`, [
          { name: 'name', reason: 'is taken by another tenant' },
        ]);
      },
    );
    return c.json({ ...view(tenant), key: adminKey.key }, 201);
  });

  app.openapi(update, async (c) => {
    const { id } = c.req.valid('param');
    const tenant = await updateTenantSettings(c.get('deps').database.db, id, c.req.valid('json'));
    if (!tenant) throw problems.missing([{ name: 'id', reason: `no tenant ${id}` }]);
    return c.json(view(tenant), 200);
  });

  app.openapi(list, async (c) => {
    return c.json({ data: (await listTenants(c.get('deps').database.db)).map(view) }, 200);
  });

  return app;
}
