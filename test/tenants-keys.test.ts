import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUOTA_DEFAULTS } from '../common/quotas';
import { expectProblem, type Harness, seedCollection, startHarness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function newKey(role: string, key = harness.adminKey) {
  const created = await harness.api('POST', '/v1/api-keys', { name: unique(role), role }, key);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; key: string; name: string; role: string };
}

describe('tenants', () => {
  it('creates a tenant with a first admin key that works at once', async () => {
    const name = unique('acme');
    const created = await harness.api('POST', '/v1/tenants', { name });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name,
      fairnessWeight: 1,
      parallelism: 16,
      quotas: QUOTA_DEFAULTS,
      createdAt: expect.any(String),
      key: expect.stringMatching(/^cvk_/),
    });
    const key = created.body.key as string;
    expect((await harness.api('GET', '/v1/collections', undefined, key)).body.data).toEqual([]);
    const keys = await harness.api('GET', '/v1/api-keys', undefined, key);
    expect(keys.body.data).toEqual([
      expect.objectContaining({ name: 'admin', role: 'admin', system: false, revokedAt: null }),
    ]);
    // A tenant's admin key manages its own tenant, not tenants.
    expectProblem(await harness.api('GET', '/v1/tenants', undefined, key), 403, 'forbidden');
  });

  it('lists tenants, newest first, without keys', async () => {
    const name = unique('listed');
    const created = await harness.api('POST', '/v1/tenants', { name });
    const listed = await harness.api('GET', '/v1/tenants');
    expect(listed.status).toBe(200);
    expect(listed.body.data[0]).toEqual({
      id: created.body.id,
      name,
      fairnessWeight: 1,
      parallelism: 16,
      quotas: QUOTA_DEFAULTS,
      createdAt: created.body.createdAt,
    });
    expect(listed.body.data.map((tenant: { name: string }) => tenant.name)).toContain('default');
  });

  it('refuses a taken name with a 409 naming `name`', async () => {
    const name = unique('twice');
    expect((await harness.api('POST', '/v1/tenants', { name })).status).toBe(201);
    const again = await harness.api('POST', '/v1/tenants', { name });
    expectProblem(again, 409, 'conflict');
    expect(again.body.invalid_params).toEqual([{ name: 'name', reason: expect.any(String) }]);
    expect(again.body.detail).toContain(name);
    expectProblem(await harness.api('POST', '/v1/tenants', { name: 'default' }), 409, 'conflict');
  });

  it('refuses a missing or blank name with a 400 naming `name`', async () => {
    for (const body of [{}, { name: '   ' }, { name: 'x'.repeat(201) }]) {
      const response = await harness.api('POST', '/v1/tenants', body);
      expectProblem(response, 400, 'validation');
      expect(response.body.invalid_params.map((p: { name: string }) => p.name)).toEqual(['name']);
    }
  });

  it('needs a system key, whatever the role', async () => {
    for (const role of ['admin', 'operator', 'viewer'] as const) {
      const key = await harness.keyWithRole(role);
      for (const [method, body] of [
        ['GET', undefined],
        ['POST', { name: unique('nope') }],
      ] as const) {
        const response = await harness.api(method, '/v1/tenants', body, key);
        expectProblem(response, 403, 'forbidden');
        // The operator gate answers viewers' writes first; admins and operators learn why here.
        if (role !== 'viewer' || method === 'GET')
          expect(response.body.detail).toContain('system key');
      }
    }
  });
});

describe('api keys', () => {
  it('creates a key, shows its secret once and lists it without secrets', async () => {
    const created = await harness.api('POST', '/v1/api-keys', { name: 'ci', role: 'operator' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'ci',
      role: 'operator',
      system: false,
      createdAt: expect.any(String),
      revokedAt: null,
      key: expect.stringMatching(/^cvk_/),
    });
    const listed = await harness.api('GET', '/v1/api-keys');
    expect(listed.status).toBe(200);
    const { key, ...record } = created.body;
    expect(listed.body.data).toContainEqual(record);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body.data).toContainEqual(
      expect.objectContaining({ name: 'admin', role: 'admin', system: true }),
    );
    for (const entry of listed.body.data) {
      expect(Object.keys(entry).sort()).toEqual(
        ['createdAt', 'id', 'name', 'revokedAt', 'role', 'system'].sort(),
      );
    }
    // Only the hash is stored.
    const rows = await harness.database.sql`select key_hash from api_keys where id = ${record.id}`;
    expect(rows[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a bad role or name with a 400 naming the field', async () => {
    const badRole = await harness.api('POST', '/v1/api-keys', { name: 'x', role: 'owner' });
    expectProblem(badRole, 400, 'validation');
    expect(badRole.body.invalid_params.map((p: { name: string }) => p.name)).toEqual(['role']);
    const noName = await harness.api('POST', '/v1/api-keys', { role: 'viewer' });
    expect(noName.body.invalid_params.map((p: { name: string }) => p.name)).toEqual(['name']);
  });

  it('refuses a revoked key with 401 on its very next request', async () => {
    const { id, key } = await newKey('operator');
    expect((await harness.api('GET', '/v1/collections', undefined, key)).status).toBe(200);
    expect((await harness.api('DELETE', `/v1/api-keys/${id}`)).status).toBe(204);
    for (const [method, path, body] of [
      ['GET', '/v1/collections', undefined],
      ['POST', '/v1/collections', { name: unique('c') }],
    ] as const) {
      expectProblem(await harness.api(method, path, body, key), 401, 'unauthorized');
    }
    const listed = (await harness.api('GET', '/v1/api-keys')).body.data;
    const revoked = listed.find((entry: { id: string }) => entry.id === id);
    expect(revoked.revokedAt).toEqual(expect.any(String));
    // Revoking again changes nothing, not even the time.
    expect((await harness.api('DELETE', `/v1/api-keys/${id}`)).status).toBe(204);
    const again = (await harness.api('GET', '/v1/api-keys')).body.data;
    expect(again.find((entry: { id: string }) => entry.id === id).revokedAt).toBe(
      revoked.revokedAt,
    );
  });

  it('answers 404 for an unknown id, an id that cannot exist and another tenant’s key', async () => {
    expectProblem(
      await harness.api('DELETE', '/v1/api-keys/00000000-0000-0000-0000-000000000000'),
      404,
      'not-found',
    );
    expectProblem(await harness.api('DELETE', '/v1/api-keys/not-a-uuid'), 404, 'not-found');
    const other = await harness.api('POST', '/v1/tenants', { name: unique('other') });
    const otherKey = await newKey('viewer', other.body.key);
    expectProblem(await harness.api('DELETE', `/v1/api-keys/${otherKey.id}`), 404, 'not-found');
    expect((await harness.api('GET', '/v1/collections', undefined, otherKey.key)).status).toBe(200);
  });

  it('refuses to let a key revoke itself, in any spelling of its id', async () => {
    const admin = await newKey('admin');
    for (const id of [admin.id, admin.id.toUpperCase()]) {
      const response = await harness.api('DELETE', `/v1/api-keys/${id}`, undefined, admin.key);
      expectProblem(response, 409, 'conflict');
    }
    expect((await harness.api('GET', '/v1/api-keys', undefined, admin.key)).status).toBe(200);
    // Another admin key may revoke it.
    expect((await harness.api('DELETE', `/v1/api-keys/${admin.id}`)).status).toBe(204);
  });

  it('needs the admin role for every api-keys route', async () => {
    const target = await newKey('viewer');
    for (const role of ['operator', 'viewer'] as const) {
      const key = await harness.keyWithRole(role);
      for (const [method, path, body] of [
        ['GET', '/v1/api-keys', undefined],
        ['POST', '/v1/api-keys', { name: 'x', role: 'admin' }],
        ['DELETE', `/v1/api-keys/${target.id}`, undefined],
      ] as const) {
        expectProblem(await harness.api(method, path, body, key), 403, 'forbidden');
      }
    }
    expect((await harness.api('GET', '/v1/collections', undefined, target.key)).status).toBe(200);
  });
});

describe('roles', () => {
  const job = () => ({ name: unique('job'), stages: [{ name: 'a', handler: 'noop' }] });

  it('lets a viewer read and nothing else', async () => {
    const viewer = (await newKey('viewer')).key;
    const collectionId = await seedCollection(harness, 1);
    const created = await harness.api('POST', '/v1/jobs', job());
    for (const path of [
      '/v1/collections',
      '/v1/jobs',
      '/v1/operations',
      `/v1/jobs/${created.body.id}`,
    ]) {
      expect((await harness.api('GET', path, undefined, viewer)).status).toBe(200);
    }
    for (const [method, path, body] of [
      ['POST', '/v1/operations', { job: created.body.name, collectionId }],
      ['POST', '/v1/collections', { name: unique('c') }],
      ['POST', `/v1/collections/${collectionId}/items`, { items: [{ key: 'v' }] }],
      ['POST', '/v1/operations/op-any/cancel', undefined],
      ['POST', '/v1/jobs', job()],
      // The role is checked before the body: a viewer learns nothing from validation.
      ['POST', '/v1/jobs', {}],
    ] as const) {
      expectProblem(await harness.api(method, path, body, viewer), 403, 'forbidden');
    }
  });

  it('lets an operator start and control operations but not manage jobs', async () => {
    const operator = (await newKey('operator')).key;
    const created = await harness.api('POST', '/v1/jobs', job());
    expect(created.status).toBe(201);
    for (const [method, path, body] of [
      ['POST', '/v1/jobs', job()],
      ['PUT', `/v1/jobs/${created.body.id}`, job()],
      ['DELETE', `/v1/jobs/${created.body.id}`, undefined],
    ] as const) {
      const response = await harness.api(method, path, body, operator);
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toContain('admin role');
    }
    const validated = await harness.api('POST', '/v1/jobs/validate', job(), operator);
    expect(validated.status).toBe(200);

    const collection = await harness.api(
      'POST',
      '/v1/collections',
      { name: unique('c') },
      operator,
    );
    expect(collection.status).toBe(201);
    const upserted = await harness.api(
      'POST',
      `/v1/collections/${collection.body.id}/items`,
      { items: [{ key: 'a' }] },
      operator,
    );
    expect(upserted.status).toBe(200);
    const started = await harness.api(
      'POST',
      '/v1/operations',
      { job: created.body.name, collectionId: collection.body.id },
      operator,
    );
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body.requestedBy).toMatch(/^operator-/);
    const cancelled = await harness.api(
      'POST',
      `/v1/operations/${started.body.id}/cancel`,
      undefined,
      operator,
    );
    // Cancelled in flight, or already done by the time the request arrived.
    expect([202, 409]).toContain(cancelled.status);
  });

  it('lets an admin manage jobs', async () => {
    const admin = (await newKey('admin')).key;
    const created = await harness.api('POST', '/v1/jobs', job(), admin);
    expect(created.status).toBe(201);
    const replaced = await harness.api(
      'PUT',
      `/v1/jobs/${created.body.id}`,
      { ...job(), name: created.body.name },
      admin,
    );
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(
      (await harness.api('DELETE', `/v1/jobs/${created.body.id}`, undefined, admin)).status,
    ).toBe(204);
  });

  it('says which role each gated route needs in the OpenAPI document', async () => {
    const document = (await (await fetch(`${harness.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { description?: string }>>;
    };
    const description = (path: string, method: string) =>
      document.paths[path]?.[method]?.description;
    expect(description('/v1/jobs', 'post')).toContain('admin role');
    expect(description('/v1/jobs/{id}', 'put')).toContain('admin role');
    expect(description('/v1/jobs/{id}', 'delete')).toContain('admin role');
    expect(description('/v1/api-keys', 'get')).toContain('admin role');
    expect(description('/v1/api-keys', 'post')).toContain('admin role');
    expect(description('/v1/api-keys/{id}', 'delete')).toContain('admin role');
    expect(description('/v1/tenants', 'get')).toContain('system key');
    expect(description('/v1/tenants', 'post')).toContain('system key');
  });
});
