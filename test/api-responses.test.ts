import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app';
import type { ApiDeps } from '../api/env';
import { type Harness, seedCollection, startHarness, waitForOperation } from './harness';

/**
 * Every answer checked against the response the document declares for its route and status,
 * with the very zod schema that generated it: the description does not only list routes, it
 * says what they return.
 */
const routes = createApp({} as ApiDeps)
  .openAPIRegistry.definitions.filter((definition: any) => definition.type === 'route')
  .map((definition: any) => ({
    method: definition.route.method as string,
    pattern: new RegExp(`^${definition.route.path.replace(/\{\w+\}/g, '[^/]+')}$`),
    responses: definition.route.responses as Record<string, any>,
  }));

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

const seen = new Set<string>();

async function call(method: string, path: string, body?: unknown, key?: string) {
  const response = await harness.api(method, path, body, key);
  const bare = path.split('?')[0] ?? path;
  const route = routes.find(
    (candidate) => candidate.method === method.toLowerCase() && candidate.pattern.test(bare),
  );
  const where = `${method} ${path} → ${response.status}`;
  expect(route, where).toBeDefined();
  const declared = route?.responses[String(response.status)];
  expect(declared, `${where} is not a documented status`).toBeDefined();
  const mediaType = response.contentType.split(';')[0] ?? '';
  if (declared.content) {
    const schema = declared.content[mediaType]?.schema;
    expect(schema, `${where}: undocumented ${mediaType}`).toBeDefined();
    // NDJSON: the schema describes each line.
    const values =
      mediaType === 'application/x-ndjson'
        ? String(response.body)
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line))
        : [response.body];
    for (const value of values) {
      const parsed = schema.safeParse(value);
      expect(parsed.success, `${where}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  } else {
    expect(response.body, where).toBeUndefined();
  }
  seen.add(`${method} ${route?.pattern.source} ${response.status}`);
  return response;
}

describe('responses match the document', () => {
  it('for collections and items', async () => {
    const created = await call('POST', '/v1/collections', { name: 'conform', metadata: { a: 1 } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await call('POST', '/v1/collections', { name: 'conform' }); // 409
    await call('POST', '/v1/collections', { name: '' }); // 400
    await call('POST', `/v1/collections/${id}/items`, {
      items: [{ key: 'a', data: { n: 1 } }, { key: 'b' }, { key: 'c', data: 'text' }],
    });
    await call('POST', `/v1/collections/${id}/items`, { items: [] }); // 400
    expect((await call('GET', `/v1/collections/${id}/items?limit=2`)).body.nextCursor).toBeTruthy();
    await call('GET', `/v1/collections/${id}/items?keyPrefix=a`);
    await call('DELETE', `/v1/collections/${id}/items`, { keys: ['c'] });
    await call('GET', '/v1/collections?limit=1');
    await call('GET', '/v1/collections?limit=0'); // 400
    await call('GET', `/v1/collections/${id}`);
    await call('GET', '/v1/collections/00000000-0000-0000-0000-000000000000'); // 404
    await call('PATCH', `/v1/collections/${id}`, { description: 'now described' });
    await call('GET', `/v1/collections/${id}/stats`);
    const other = (await call('POST', '/v1/collections', { name: 'to-delete' })).body.id;
    expect((await call('DELETE', `/v1/collections/${other}`)).status).toBe(204);
    await call('DELETE', `/v1/collections/${other}`); // 404
    await call('GET', '/v1/collections', undefined, 'cvk_unknown'); // 401
    const viewer = await harness.keyWithRole('viewer');
    await call('POST', '/v1/collections', { name: 'viewer' }, viewer); // 403
  });

  it('for jobs and handlers', async () => {
    await call('GET', '/v1/handlers');
    const job = { name: 'conform-job', stages: [{ name: 'only', handler: 'noop' }] };
    const created = await call('POST', '/v1/jobs', job);
    expect(created.status).toBe(201);
    await call('POST', '/v1/jobs', job); // 409
    await call('POST', '/v1/jobs/validate', job);
    await call('POST', '/v1/jobs/validate', { name: 'bad', stages: [{ name: 'x', handler: '?' }] });
    await call('GET', '/v1/jobs');
    await call('GET', '/v1/jobs/conform-job');
    await call('GET', '/v1/jobs/missing'); // 404
    await call('PUT', `/v1/jobs/${created.body.id}`, { ...job, description: 'v2' });
    const doomed = await call('POST', '/v1/jobs', { ...job, name: 'conform-doomed' });
    expect((await call('DELETE', `/v1/jobs/${doomed.body.id}`)).status).toBe(204);
    expect((await call('GET', '/v1/jobs/conform-job/versions')).body.data).toHaveLength(2);
    expect((await call('GET', '/v1/jobs/conform-job/versions/1')).status).toBe(200);
    await call('GET', '/v1/jobs/conform-job/versions/9'); // 404
  });

  it('for operations', async () => {
    const collectionId = await seedCollection(harness, 5);
    await call('POST', '/v1/jobs', {
      name: 'conform-run',
      stages: [{ name: 'only', handler: 'noop', params: { failKeys: ['k1'], cost: 0.5 } }],
    });
    const plan = await call('POST', '/v1/operations', {
      job: 'conform-run',
      collectionId,
      mode: 'dry_run',
    });
    expect(plan.body.plan.items).toBe(5);
    await call('POST', '/v1/operations', { job: 'conform-run' }); // 400
    const start = { job: 'conform-run', collectionId, idempotencyKey: 'conform-1' };
    const started = await call('POST', '/v1/operations', start);
    expect(started.status).toBe(202);
    expect((await call('POST', '/v1/operations', start)).status).toBe(200);
    const id = started.body.id;
    await waitForOperation(harness, id, (op) => op.status === 'completed', 'completion');
    await call('GET', `/v1/operations/${id}`);
    await call('GET', '/v1/operations/op-missing'); // 404
    await call('GET', `/v1/operations?status=completed,failed&collectionId=${collectionId}`);
    await call('GET', '/v1/operations?status=bogus'); // 400
    await call('GET', `/v1/operations/${id}/items?status=failed`);
    await call('GET', `/v1/operations/${id}/items?stage=nope`); // 404
    await call('GET', `/v1/operations/${id}/events?limit=2`);
    const events = await call('GET', '/v1/events?type=operation.completed&job=conform-run');
    expect(events.body.data.length).toBeGreaterThan(0);
    await call('GET', '/v1/events?type=nope'); // 400

    const hook = (await call('POST', '/v1/webhooks', { url: 'http://93.184.216.34/hook' })).body;
    await call('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hook' }); // 400: loopback
    await call('GET', '/v1/webhooks');
    await call('PATCH', `/v1/webhooks/${hook.id}`, { description: 'conformance' });
    await call('GET', `/v1/webhooks/${hook.id}/deliveries?status=failed`);
    await call('POST', `/v1/webhooks/${hook.id}/deliveries/msg_1_${hook.id}/redeliver`); // 404
    await call('DELETE', `/v1/webhooks/${hook.id}`);
    await call('GET', `/v1/webhooks/${hook.id}`); // 404

    const schedule = (
      await call('POST', '/v1/schedules', {
        job: 'conform-run',
        collectionId,
        spec: { cron: ['0 3 * * *'], timezone: 'Europe/Paris' },
      })
    ).body;
    await call('POST', '/v1/schedules', { job: 'conform-run', collectionId, spec: {} }); // 400
    await call('GET', '/v1/schedules');
    await call('GET', `/v1/schedules/${schedule.id}`);
    await call('PATCH', `/v1/schedules/${schedule.id}`, { overlap: 'buffer_one', note: 'n' });
    await call('POST', `/v1/schedules/${schedule.id}/pause`, { note: 'paused' });
    await call('POST', `/v1/schedules/${schedule.id}/unpause`);
    expect((await call('POST', `/v1/schedules/${schedule.id}/trigger`)).status).toBe(202);
    const from = new Date(Date.now() - 3 * 86_400_000).toISOString();
    await call('POST', `/v1/schedules/${schedule.id}/backfill`, { from, to: from }); // 409
    await call('POST', '/v1/jobs/conform-run/pause');
    await call('POST', '/v1/jobs/conform-run/resume');
    await call('POST', '/v1/jobs/nope/pause'); // 404
    await call('DELETE', `/v1/schedules/${schedule.id}`);
    await call('GET', `/v1/schedules/${schedule.id}`); // 404
    await call('GET', '/v1/maintenance');
    expect((await call('GET', '/metrics')).body).toContain('conveyor_http_requests_total');
    for (const action of ['cancel', 'pause', 'resume']) {
      expect((await call('POST', `/v1/operations/${id}/${action}`)).status).toBe(409);
    }
    await call('GET', `/v1/operations/${id}/results?limit=2`);
    await call('GET', `/v1/operations/${id}/logs?level=warn&limit=5`);
    await call('GET', `/v1/operations/${id}/logs?level=loud`); // 400
    const [item] = (await call('GET', `/v1/collections/${collectionId}/items?limit=1`)).body.data;
    await call('GET', `/v1/collections/${collectionId}/items/${item.id}`);
    await call('GET', `/v1/collections/${collectionId}/items/999999999`); // 404
    await call('GET', `/v1/collections/${collectionId}/results/export?stage=only`);
    await call('GET', `/v1/operations/${id}/results?stage=nope`); // 400
    const preview = await call('POST', '/v1/operations/retry', {
      job: 'conform-run',
      dryRun: true,
    });
    expect(preview.body.matched).toBeGreaterThan(0);
    await call('POST', '/v1/operations/cancel', { job: 'conform-run' });
    await call('POST', '/v1/operations/cancel', { dryRun: true }); // 400: no filter
    await call('POST', '/v1/operations', { job: 'conform-run', collectionId, only: 'stale' });
    const retry = await call('POST', `/v1/operations/${id}/retry`);
    expect(retry.status).toBe(202);
    await waitForOperation(harness, retry.body.id, (op) => op.finishedAt, 'the retry');
    expect((await call('POST', `/v1/operations/${retry.body.id}/retry`)).status).toBe(202);

    await call('POST', '/v1/jobs', {
      name: 'conform-slow',
      stages: [{ name: 'slow', handler: 'noop', params: { delayMs: 2_000 } }],
    });
    const slow = await call('POST', '/v1/operations', { job: 'conform-slow', collectionId });
    await waitForOperation(harness, slow.body.id, (op) => op.status === 'running', 'running');
    expect((await call('POST', `/v1/operations/${slow.body.id}/pause`)).status).toBe(200);
    expect((await call('POST', `/v1/operations/${slow.body.id}/resume`)).status).toBe(200);
    expect((await call('POST', `/v1/operations/${slow.body.id}/cancel`)).status).toBe(202);
  });

  it('for health', async () => {
    const response = await fetch(`${harness.url}/health`);
    expect(response.status).toBe(200);
    const route = routes.find((candidate) => candidate.pattern.test('/health'));
    expect(
      route?.responses['200'].content['application/json'].schema.safeParse(await response.json())
        .success,
    ).toBe(true);
  });

  it('for workers and readiness', async () => {
    expect((await call('GET', '/v1/workers')).status).toBe(200);
    expect((await call('GET', '/v1/diagnostics')).body.postgres.migrations.pending).toEqual([]);
    // /ready needs no key; the harness sends one, which it ignores.
    expect((await call('GET', '/ready')).status).toBe(200);
  });

  it('for statistics', async () => {
    await call('GET', '/v1/stats/jobs?window=7d');
    await call('GET', '/v1/stats/stages?job=conform-run');
    await call('GET', '/v1/stats/costs?days=7&groupBy=stage');
    await call('GET', '/v1/stats/costs?days=0'); // 400
  });

  it('for tenants and keys', async () => {
    const tenant = await call('POST', '/v1/tenants', { name: 'conform-tenant' });
    expect(tenant.status).toBe(201);
    await call('POST', '/v1/tenants', { name: 'conform-tenant' }); // 409
    await call('GET', '/v1/tenants');
    const weighted = await call('PATCH', `/v1/tenants/${tenant.body.id}`, { fairnessWeight: 3 });
    expect(weighted.body.fairnessWeight).toBe(3);
    await call('PATCH', `/v1/tenants/${tenant.body.id}`, { fairnessWeight: 0 }); // 400
    await call('PATCH', `/v1/tenants/${tenant.body.id}`, {}); // 400: nothing to change
    await call('PATCH', '/v1/tenants/00000000-0000-0000-0000-000000000000', { fairnessWeight: 2 }); // 404
    const admin = await harness.keyWithRole('admin');
    await call('GET', '/v1/tenants', undefined, admin); // 403: not a system key
    const key = await call('POST', '/v1/api-keys', { name: 'conform-viewer', role: 'viewer' });
    expect(key.status).toBe(201);
    await call('POST', '/v1/api-keys', { name: 'x', role: 'root' }); // 400
    await call('GET', '/v1/api-keys');
    expect((await call('DELETE', `/v1/api-keys/${key.body.id}`)).status).toBe(204);
    await call('DELETE', '/v1/api-keys/00000000-0000-0000-0000-000000000000'); // 404
  });

  it('touched every documented route', () => {
    const touched = new Set([...seen].map((entry) => entry.split(' ').slice(0, 2).join(' ')));
    const untouched = routes
      .map((route) => `${route.method.toUpperCase()} ${route.pattern.source}`)
      .filter((route) => !touched.has(route) && !/health|stream/.test(route));
    expect(untouched).toEqual([]);
  });
});
