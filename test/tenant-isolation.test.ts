import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiResponse,
  type Harness,
  seedCollection,
  startHarness,
  waitForStatus,
} from './harness';
import { openSse } from './sse-client';

/**
 * A second tenant, made through POST /v1/tenants, probes everything of the first: every GET
 * route that takes an id (read from /openapi.json, so new routes are probed too) answers 404,
 * every list shows none of the first tenant's records, and writes by id change nothing.
 */

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

const suffix = randomBytes(4).toString('hex');
/** Put into the first tenant's item keys and data, so a leak shows in any response body. */
const marker = `first-tenant-secret-${suffix}`;

interface FirstTenant {
  collectionId: string;
  itemIds: number[];
  jobId: string;
  jobName: string;
  operationId: string;
  keyId: string;
  keyName: string;
  webhookId: string;
  scheduleId: string;
}

function expect404(response: ApiResponse, what: string) {
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(404);
  expect(response.contentType).toContain('application/problem+json');
  expect(response.body.type).toBe('https://conveyor.dev/problems/not-found');
}

async function seedFirstTenant(): Promise<FirstTenant> {
  const collectionId = await seedCollection(harness, 0, `shared-name-${suffix}`);
  const upserted = await harness.api('POST', `/v1/collections/${collectionId}/items`, {
    items: [0, 1, 2].map((n) => ({ key: `${marker}-${n}`, data: { marker } })),
  });
  expect(upserted.status).toBe(200);
  const items = await harness.api('GET', `/v1/collections/${collectionId}/items`);
  const job = await harness.api('POST', '/v1/jobs', {
    name: `shared-job-${suffix}`,
    stages: [{ name: 'a', handler: 'noop' }],
  });
  expect(job.status).toBe(201);
  const key = await harness.api('POST', '/v1/api-keys', { name: `${marker}-key`, role: 'viewer' });
  expect(key.status).toBe(201);
  const started = await harness.api('POST', '/v1/operations', {
    job: job.body.name,
    collectionId,
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await waitForStatus(harness, started.body.id, ['completed']);
  const webhook = await harness.api('POST', '/v1/webhooks', {
    url: 'http://93.184.216.34/hook',
    description: marker,
  });
  expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
  const schedule = await harness.api('POST', '/v1/schedules', {
    job: job.body.name,
    collectionId,
    spec: { cron: ['0 3 * * *'] },
    note: marker,
  });
  expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
  return {
    webhookId: webhook.body.id,
    scheduleId: schedule.body.id,
    collectionId,
    itemIds: items.body.data.map((item: { id: number }) => item.id),
    jobId: job.body.id,
    jobName: job.body.name,
    operationId: started.body.id,
    keyId: key.body.id,
    keyName: key.body.name,
  };
}

let first: FirstTenant;
let second: string;
beforeAll(async () => {
  first = await seedFirstTenant();
  const tenant = await harness.api('POST', '/v1/tenants', { name: `second-${suffix}` });
  expect(tenant.status).toBe(201);
  second = tenant.body.key;
});

/** The first tenant's value for each path parameter, by the resource the path names. */
function firstTenantPath(path: string): string {
  const resource = path.split('/')[2];
  const ids: Record<string, string | undefined> = {
    collections: first.collectionId,
    jobs: first.jobId,
    operations: first.operationId,
    'api-keys': first.keyId,
    webhooks: first.webhookId,
    schedules: first.scheduleId,
    items: String(first.itemIds[0]),
  };
  return path.replace(/\{(\w+)\}/g, (_, param: string) => {
    if (param === 'version') return '1';
    if (param === 'itemId') return String(first.itemIds[0]);
    const id = param === 'id' ? resource && ids[resource] : undefined;
    if (!id) {
      throw new Error(
        `No first-tenant value for {${param}} in ${path}: seed one in seedFirstTenant and map it here, so the route's isolation is tested.`,
      );
    }
    return id;
  });
}

/** A GET whose body may be a stream (SSE) rather than JSON; a problem is parsed. */
async function get(path: string, key: string): Promise<ApiResponse> {
  const response = await fetch(`${harness.url}${path}`, {
    headers: { authorization: `Bearer ${key}` },
    signal: AbortSignal.timeout(30_000),
  });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  return {
    status: response.status,
    contentType,
    body: /^application\/(problem\+)?json/.test(contentType) ? JSON.parse(text) : text,
  };
}

const listed = (path: string, key: string) => harness.api('GET', path, undefined, key);

/** What an event stream sends from the start of the log (`Last-Event-ID: 0`) in a second. */
async function streamBacklog(path: string, key: string): Promise<ApiResponse> {
  const stream = await openSse(`${harness.url}${path}`, key, { 'last-event-id': '0' });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  stream.close();
  await stream.ended;
  return { status: stream.status, contentType: 'text/event-stream', body: stream.messages };
}

async function documentPaths(): Promise<Record<string, Record<string, unknown>>> {
  const response = await fetch(`${harness.url}/openapi.json`);
  return ((await response.json()) as { paths: Record<string, Record<string, unknown>> }).paths;
}

/** Lists of what the deployment runs, not of any tenant's records. */
const DEPLOYMENT_WIDE = new Set(['/v1/handlers', '/v1/workers']);

function expectNoFirstTenantRecords(response: ApiResponse, what: string) {
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(200);
  const text = JSON.stringify(response.body);
  for (const value of [
    first.collectionId,
    first.jobId,
    first.operationId,
    first.keyId,
    first.webhookId,
    first.scheduleId,
    marker,
  ]) {
    expect(text, `${what} shows ${value}`).not.toContain(value);
  }
}

describe("a second tenant's key", () => {
  it('gets a 404 from every GET route given an id of the first tenant', async () => {
    const paths = Object.entries(await documentPaths())
      .filter(
        ([path, methods]) => path.startsWith('/v1/') && path.includes('{') && 'get' in methods,
      )
      .map(([path]) => path);
    expect(paths.length).toBeGreaterThanOrEqual(8);
    for (const path of paths) {
      const url = firstTenantPath(path);
      // The owner sees it, so the 404 below is the tenant boundary, not a bad id.
      expect((await get(url, harness.adminKey)).status, `owner GET ${url}`).toBe(200);
      expect404(await get(url, second), `GET ${url}`);
    }
    // Jobs are also found by name.
    expect404(
      await harness.api('GET', `/v1/jobs/${first.jobName}`, undefined, second),
      'job by name',
    );
  });

  it("sees none of the first tenant's records in any list", async () => {
    const lists = Object.entries(await documentPaths())
      .filter(
        ([path, methods]) =>
          path.startsWith('/v1/') &&
          !path.includes('{') &&
          'get' in methods &&
          !DEPLOYMENT_WIDE.has(path),
      )
      .map(([path]) => path)
      .filter((path) => path !== '/v1/tenants');
    expect(lists).toEqual(
      expect.arrayContaining(['/v1/collections', '/v1/jobs', '/v1/operations', '/v1/api-keys']),
    );
    for (const path of lists) {
      const read = path.endsWith('/stream') ? streamBacklog : listed;
      expectNoFirstTenantRecords(await read(path, second), `GET ${path}`);
    }
    for (const query of [
      `collectionId=${first.collectionId}`,
      `job=${first.jobName}`,
      `requestedBy=admin`,
      'scope=collection',
    ]) {
      const filtered = await harness.api('GET', `/v1/operations?${query}`, undefined, second);
      expectNoFirstTenantRecords(filtered, `operations?${query}`);
      expect(filtered.body.data).toEqual([]);
    }
    const keys = await harness.api('GET', '/v1/api-keys', undefined, second);
    expect(keys.body.data.map((key: { name: string }) => key.name)).toEqual(['admin']);
    // Tenant admins are not system keys: the tenant list stays out of reach.
    expect((await harness.api('GET', '/v1/tenants', undefined, second)).status).toBe(403);
  });

  it('cannot start operations over the first tenant’s job, collection or items', async () => {
    const job = await harness.api(
      'POST',
      '/v1/jobs',
      { name: `own-job-${suffix}`, stages: [{ name: 'a', handler: 'noop' }] },
      second,
    );
    expect(job.status).toBe(201);
    for (const [body, field] of [
      [{ job: first.jobName, scope: 'global' }, 'job'],
      [{ job: job.body.name, collectionId: first.collectionId }, 'collectionId'],
      [{ job: job.body.name, scope: 'items', itemIds: first.itemIds }, 'itemIds'],
    ] as const) {
      const response = await harness.api('POST', '/v1/operations', body, second);
      // Another tenant's records do not exist for this key: a 404 naming the field.
      expect(response.status, JSON.stringify(response.body)).toBe(404);
      expect(response.body.invalid_params.map((p: { name: string }) => p.name)).toEqual([field]);
    }
  });

  it('gets a 404 from every write by id, and the first tenant’s records stay as they were', async () => {
    const { collectionId, jobId, operationId, keyId } = first;
    for (const [method, path, body] of [
      ['PATCH', `/v1/collections/${collectionId}`, { name: 'taken-over' }],
      ['DELETE', `/v1/collections/${collectionId}`, undefined],
      ['POST', `/v1/collections/${collectionId}/items`, { items: [{ key: 'planted' }] }],
      ['DELETE', `/v1/collections/${collectionId}/items`, { keys: [`${marker}-0`] }],
      [
        'PUT',
        `/v1/jobs/${jobId}`,
        { name: first.jobName, stages: [{ name: 'b', handler: 'noop' }] },
      ],
      ['DELETE', `/v1/jobs/${jobId}`, undefined],
      ['POST', `/v1/operations/${operationId}/cancel`, undefined],
      ['POST', `/v1/operations/${operationId}/pause`, undefined],
      ['POST', `/v1/operations/${operationId}/resume`, undefined],
      ['POST', `/v1/operations/${operationId}/retry`, undefined],
      ['DELETE', `/v1/api-keys/${keyId}`, undefined],
    ] as const) {
      expect404(await harness.api(method, path, body, second), `${method} ${path}`);
    }
    const collection = await harness.api('GET', `/v1/collections/${collectionId}`);
    expect(collection.body).toMatchObject({ name: `shared-name-${suffix}`, itemCount: 3 });
    expect((await harness.api('GET', `/v1/jobs/${jobId}`)).body.version).toBe(1);
    const keys = (await harness.api('GET', '/v1/api-keys')).body.data;
    expect(keys.find((key: { id: string }) => key.id === keyId).revokedAt).toBeNull();
  });

  it('keeps names per tenant: the same names are free in the second tenant, and stay apart', async () => {
    const collection = await harness.api(
      'POST',
      '/v1/collections',
      { name: `shared-name-${suffix}` },
      second,
    );
    expect(collection.status).toBe(201);
    const job = await harness.api(
      'POST',
      '/v1/jobs',
      { name: first.jobName, stages: [{ name: 'a', handler: 'noop' }] },
      second,
    );
    expect(job.status).toBe(201);
    const own = await harness.api('GET', '/v1/collections', undefined, second);
    expect(own.body.data.map((row: { id: string }) => row.id)).toEqual([collection.body.id]);
    // And the other way round: the first tenant sees none of the second's.
    const firstView = JSON.stringify((await harness.api('GET', '/v1/collections?limit=500')).body);
    expect(firstView).not.toContain(collection.body.id);
    expect(JSON.stringify((await harness.api('GET', '/v1/jobs')).body)).not.toContain(job.body.id);
  });
});
