import { createRoute, z } from '@hono/zod-openapi';
import { issueApiKey, listApiKeys, ROLES, revokeApiKey } from '../../db/tenants';
import { needsRole } from '../auth';
import { jsonBody, jsonResponse, listOf, timestamp } from '../openapi';
import { errorResponses, problems } from '../problems';
import { nameText, openApiRouter, uuidPath } from '../validation';

const tags = ['api-keys'];
const idParams = uuidPath('API key');

const roleSchema = z.enum(ROLES).openapi({
  description:
    'viewer reads; operator also writes collections and items and starts and controls operations; admin also manages jobs and API keys.',
  example: 'operator',
});

const apiKeyInput = z
  .object({
    name: nameText({
      description: 'What the key is for; operations it starts record it as `requestedBy`.',
      example: 'ci-pipeline',
    }),
    role: roleSchema,
  })
  .openapi('ApiKeyInput');

const apiKeySchema = z
  .object({
    id: z.uuid().openapi({ description: 'The key’s id, to revoke it by.' }),
    name: z.string().openapi({ description: 'As given at creation.' }),
    role: roleSchema,
    system: z.boolean().openapi({
      description: 'Also manages tenants; only the admin key `npm start` prints has it.',
    }),
    createdAt: timestamp('When the key was created.'),
    revokedAt: timestamp('When the key was revoked; null while it works.').nullable(),
  })
  .openapi('ApiKey', { description: 'An API key without its secret, which is never stored.' });

/** A new key's secret, in the one response that shows it. */
export const keySecret = z.string().openapi({
  description:
    'The key’s secret, for `Authorization: Bearer <key>`; shown only in this response, only its hash is stored.',
  example: 'cvk_3q2p…',
});

const newApiKeySchema = apiKeySchema.extend({ key: keySecret }).openapi('NewApiKey');

const create = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Create an API key for this tenant',
  ...needsRole('admin'),
  request: { body: jsonBody(apiKeyInput) },
  responses: {
    201: jsonResponse(newApiKeySchema, 'The new key, with its secret shown this once.'),
    ...errorResponses(400, 401, 403, 413, 415, 500, 503),
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'List this tenant’s API keys, revoked ones included, newest first',
  ...needsRole('admin'),
  responses: {
    200: jsonResponse(listOf(apiKeySchema), 'Every key of the tenant, without secrets.'),
    ...errorResponses(401, 403, 500, 503),
  },
});

const revoke = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Revoke an API key',
  ...needsRole(
    'admin',
    [
      'The key is refused (401) from its next request on; it stays listed with `revokedAt`.',
      'Revoking a revoked key changes nothing. The key making the request cannot revoke itself (409), so nobody locks themselves out by mistake: revoke it with another admin key.',
      'A system key is refused too (409): it manages every tenant, so only its operator revokes it, by restarting with another `CONVEYOR_ADMIN_KEY`.',
    ].join(' '),
  ),
  request: { params: idParams },
  responses: {
    204: { description: 'Revoked.' },
    ...errorResponses(401, 403, 404, 409, 500, 503),
  },
});

/** `/v1/api-keys`: a tenant's keys, managed by its admins. */
export function apiKeyRoutes() {
  const app = openApiRouter();

  app.openapi(create, async (c) => {
    const { name, role } = c.req.valid('json');
    const key = await issueApiKey(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      role,
      name,
    );
    return c.json(key, 201);
  });

  app.openapi(list, async (c) => {
    const keys = await listApiKeys(c.get('deps').database.db, c.get('principal').tenantId);
    return c.json({ data: keys }, 200);
  });

  app.openapi(revoke, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    // Postgres reads a uuid in any case; the comparison must too, or an upper-case id slips by.
    if (id.toLowerCase() === principal.keyId) {
      throw problems.conflict(
        'A key cannot revoke itself; revoke it with another admin key of this tenant.',
      );
    }
    const outcome = await revokeApiKey(c.get('deps').database.db, principal.tenantId, id);
    if (outcome === 'missing') throw problems.notFound('api-key', id);
    if (outcome === 'system') {
      throw problems.conflict(
        'A system key cannot be revoked through the API: it manages every tenant. Its operator revokes it by restarting with another CONVEYOR_ADMIN_KEY.',
      );
    }
    return c.body(null, 204);
  });

  return app;
}
