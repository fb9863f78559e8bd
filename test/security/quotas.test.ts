import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { QUOTA_DEFAULTS } from '../../common/quotas';
import { defineDiscoveryHandler } from '../../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../../handlers/registry';
import { expectProblem, type Harness, startHarness, waitFor } from '../harness';
import { openSse, type SseConnection } from '../sse-client';

/**
 * A tenant admin reaching each of its quotas, through the real API: refused with the quota named
 * and its value (and `Retry-After` where waiting helps), while another tenant carries on, until a
 * system key raises the quota.
 */

/** Discovers one item per key of its params, in pages of the engine's size. */
const listed = defineDiscoveryHandler({
  name: 'test.list',
  version: '1',
  description: 'Discovers one item per key of its params.',
  params: z.object({ count: z.int().min(1) }),
  async *discover({ params }) {
    for (let n = 0; n < params.count; n++) yield { key: `found-${n}`, data: {} };
  },
});

let harness: Harness;
const streams: SseConnection[] = [];

beforeAll(async () => {
  harness = await startHarness({
    webhooks: { WEBHOOK_ALLOW_PRIVATE: true },
    handlers: createHandlerRegistry([...builtInHandlers, listed]),
  });
});
afterAll(async () => {
  for (const stream of streams) stream.close();
  // Nothing of a tenant's may keep running on the shared Temporal server after the file.
  const running = await harness.database.sql<{ id: string }[]>`
    select id from operations where status <> all(${['completed', 'failed', 'cancelled']})`;
  await Promise.all(
    running.map(({ id }) =>
      harness.temporal.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => {}),
    ),
  );
  await harness?.stop();
});

interface Tenant {
  id: string;
  key: string;
}

/** A request with the response's headers, which quota answers carry. */
async function call(method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${harness.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    // A stream answered 200 where a refusal was expected would otherwise never end.
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    contentType,
    retryAfter: response.headers.get('retry-after'),
    body: /^application\/(problem\+)?json/.test(contentType) && text ? JSON.parse(text) : text,
  };
}

async function newTenant(quotas?: Record<string, number>): Promise<Tenant> {
  const created = await harness.api('POST', '/v1/tenants', {
    name: `quota-${randomBytes(4).toString('hex')}`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const tenant = { id: created.body.id as string, key: created.body.key as string };
  if (quotas) await setQuotas(tenant, quotas);
  return tenant;
}

async function setQuotas(tenant: Tenant, quotas: Record<string, number | null>) {
  const set = await harness.api('PATCH', `/v1/tenants/${tenant.id}`, { quotas });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
  return set.body;
}

/** The answer is the quota problem: its status, the quota and value, and Retry-After or none. */
function expectQuota(
  response: Awaited<ReturnType<typeof call>>,
  quota: string,
  limit: number,
  retryAfter: string | null,
  status = 429,
) {
  expectProblem(response, status, 'quota-exceeded');
  expect(response.body).toMatchObject({ quota, limit });
  expect(response.body.detail).toContain(quota);
  expect(response.retryAfter).toBe(retryAfter);
}

/** A collection of `count` items and two jobs: `slow` keeps an operation running, `quick` not. */
async function prepare(tenant: Tenant, count = 1): Promise<string> {
  const collection = await call('POST', '/v1/collections', tenant.key, { name: 'c' });
  expect(collection.status).toBe(201);
  const items = Array.from({ length: count }, (_, n) => ({ key: `k${n}`, data: {} }));
  expect(
    (await call('POST', `/v1/collections/${collection.body.id}/items`, tenant.key, { items }))
      .status,
  ).toBe(200);
  for (const [name, delayMs] of [
    ['slow', 600_000],
    ['quick', 0],
  ] as const) {
    const job = await call('POST', '/v1/jobs', tenant.key, {
      name,
      stages: [{ name: 'only', handler: 'noop', params: { delayMs } }],
    });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
  }
  return collection.body.id;
}

const start = (tenant: Tenant, body: Record<string, unknown>) =>
  call('POST', '/v1/operations', tenant.key, body);

describe('quotas per tenant', () => {
  it('shows every quota, lets a system key change them and no tenant admin', async () => {
    const tenant = await newTenant();
    const listed = await harness.api('GET', '/v1/tenants');
    const shown = listed.body.data.find((row: { id: string }) => row.id === tenant.id);
    expect(shown.quotas).toEqual(QUOTA_DEFAULTS);

    const own = await call('PATCH', `/v1/tenants/${tenant.id}`, tenant.key, {
      quotas: { operationsInFlight: 1_000_000 },
    });
    expectProblem(own, 403, 'forbidden');

    const set = await setQuotas(tenant, { operationsInFlight: 7, highestPriority: 2 });
    expect(set.quotas).toEqual({ ...QUOTA_DEFAULTS, operationsInFlight: 7, highestPriority: 2 });
    const reset = await setQuotas(tenant, { operationsInFlight: null });
    expect(reset.quotas).toEqual({ ...QUOTA_DEFAULTS, highestPriority: 2 });

    for (const quotas of [{ unknownQuota: 1 }, { highestPriority: 0 }, { webhooks: -1 }]) {
      const refused = await harness.api('PATCH', `/v1/tenants/${tenant.id}`, { quotas });
      expectProblem(refused, 400, 'validation');
      expect(JSON.stringify(refused.body.invalid_params)).toContain('quotas');
    }
  });

  it('refuses an operation past the ones in flight, and admits it once raised', async () => {
    const tenant = await newTenant({ operationsInFlight: 1 });
    const other = await newTenant({ operationsInFlight: 1 });
    const collectionId = await prepare(tenant);
    const otherCollection = await prepare(other);

    expect((await start(tenant, { job: 'slow', collectionId })).status).toBe(202);
    expectQuota(await start(tenant, { job: 'quick', collectionId }), 'operationsInFlight', 1, '30');
    // A dry run starts nothing, so it is no operation in flight.
    expect((await start(tenant, { job: 'quick', collectionId, mode: 'dry_run' })).status).toBe(200);
    expect((await start(other, { job: 'quick', collectionId: otherCollection })).status).toBe(202);

    await setQuotas(tenant, { operationsInFlight: 2 });
    expect((await start(tenant, { job: 'quick', collectionId })).status).toBe(202);
  });

  it('admits exactly one of concurrent starts at the limit', async () => {
    const tenant = await newTenant({ operationsInFlight: 1 });
    const collectionId = await prepare(tenant);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => start(tenant, { job: 'slow', collectionId })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 429, 429, 429, 429, 429]);
    const listed = await call('GET', '/v1/operations?status=queued,running', tenant.key);
    expect(listed.body.data).toHaveLength(1);
  });

  it('refuses a priority above the tenant’s highest with 409, from a start, a job or a schedule', async () => {
    const tenant = await newTenant({ highestPriority: 3 });
    const collectionId = await prepare(tenant);
    expectQuota(
      await start(tenant, { job: 'quick', collectionId, priority: 1 }),
      'highestPriority',
      3,
      null,
      409,
    );
    const urgent = await call('POST', '/v1/jobs', tenant.key, {
      name: 'urgent',
      priority: 2,
      stages: [{ name: 'only', handler: 'noop' }],
    });
    expect(urgent.status).toBe(201);
    expectQuota(
      await start(tenant, { job: 'urgent', collectionId }),
      'highestPriority',
      3,
      null,
      409,
    );
    const schedule = await call('POST', '/v1/schedules', tenant.key, {
      job: 'quick',
      collectionId,
      priority: 2,
      spec: { intervals: [{ every: '1h' }] },
    });
    expectQuota(schedule, 'highestPriority', 3, null, 409);
    expect((await start(tenant, { job: 'quick', collectionId, priority: 4 })).status).toBe(202);

    await setQuotas(tenant, { highestPriority: 1 });
    expect((await start(tenant, { job: 'urgent', collectionId, priority: 1 })).status).toBe(202);
  });

  it('refuses items past a collection’s quota and writes none of them', async () => {
    const tenant = await newTenant({ itemsPerCollection: 3 });
    const other = await newTenant({ itemsPerCollection: 3 });
    const collectionId = await prepare(tenant, 2);
    const items = (keys: string[]) => ({ items: keys.map((key) => ({ key, data: { v: 2 } })) });
    const path = `/v1/collections/${collectionId}/items`;

    expectQuota(
      await call('POST', path, tenant.key, items(['a', 'b'])),
      'itemsPerCollection',
      3,
      null,
    );
    const collection = await call('GET', `/v1/collections/${collectionId}`, tenant.key);
    expect(collection.body.itemCount).toBe(2);
    expect((await call('GET', `${path}?keyPrefix=a`, tenant.key)).body.data).toEqual([]);
    // Updating items it holds, and one more up to the quota, still go through.
    expect((await call('POST', path, tenant.key, items(['k0', 'k1', 'a']))).status).toBe(200);

    const otherCollection = await prepare(other, 3);
    expect(
      (await call('GET', `/v1/collections/${otherCollection}`, other.key)).body.itemCount,
    ).toBe(3);

    await setQuotas(tenant, { itemsPerCollection: 10 });
    expect((await call('POST', path, tenant.key, items(['b', 'c']))).status).toBe(200);
  });

  it('holds discovery to a collection’s quota too, failing the stage with the quota named', async () => {
    const tenant = await newTenant({ itemsPerCollection: 5 });
    const collectionId = await prepare(tenant, 2);
    const job = await call('POST', '/v1/jobs', tenant.key, {
      name: 'discover',
      stages: [{ name: 'find', handler: 'test.list', params: { count: 10 } }],
    });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    const started = await start(tenant, { job: 'discover', collectionId });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const failed = await waitFor(
      async () => (await call('GET', `/v1/operations/${started.body.id}`, tenant.key)).body,
      (operation) => ['completed', 'failed'].includes(operation.status),
      { what: 'the discovery operation to end' },
    );
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/over the tenant's quota itemsPerCollection \(5\)/);
    const collection = await call('GET', `/v1/collections/${collectionId}`, tenant.key);
    expect(collection.body.itemCount).toBeLessThanOrEqual(5);
  });

  it('bounds schedules: their count, their shortest interval and their backfills', async () => {
    const tenant = await newTenant({
      schedules: 1,
      scheduleIntervalSeconds: 3600,
      backfillRuns: 3,
    });
    const collectionId = await prepare(tenant);
    const schedule = (spec: unknown) =>
      call('POST', '/v1/schedules', tenant.key, { job: 'quick', collectionId, spec });

    for (const [spec, gap] of [
      [{ intervals: [{ every: '1m' }] }, 60],
      [{ cron: ['*/30 * * * *'] }, 1800],
      [{ cron: ['0 * * * *', '1 * * * *'] }, 60],
      [{ intervals: [{ every: '2h' }, { every: '2h', offset: '1s' }] }, 1],
      [{ cron: ['0 * * * *'], intervals: [{ every: '2h', offset: '30m' }] }, 1800],
    ] as const) {
      const refused = await schedule(spec);
      expectQuota(refused, 'scheduleIntervalSeconds', 3600, null);
      expect(refused.body.detail).toContain(`${gap} s apart`);
    }

    const made = await schedule({ intervals: [{ every: '2h' }] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await call('POST', `/v1/schedules/${made.body.id}/pause`, tenant.key);
    expectQuota(await schedule({ cron: ['0 3 * * *'] }), 'schedules', 1, null);
    const faster = await call('PATCH', `/v1/schedules/${made.body.id}`, tenant.key, {
      spec: { cron: ['* * * * *'] },
    });
    expectQuota(faster, 'scheduleIntervalSeconds', 3600, null);

    const hours = (n: number) => new Date(Date.UTC(2024, 0, 1, n)).toISOString();
    const backfill = (to: number) =>
      call('POST', `/v1/schedules/${made.body.id}/backfill`, tenant.key, {
        from: hours(0),
        to: hours(to),
      });
    // Runs at 02:00, 04:00, 06:00 and 08:00: one more than the quota.
    expectQuota(await backfill(9), 'backfillRuns', 3, null);
    expect((await backfill(5)).status).toBe(202);

    const other = await newTenant({ schedules: 1 });
    const otherCollection = await prepare(other);
    const theirs = await call('POST', '/v1/schedules', other.key, {
      job: 'quick',
      collectionId: otherCollection,
      spec: { cron: ['0 3 * * *'] },
    });
    expect(theirs.status).toBe(201);

    await setQuotas(tenant, { schedules: 2 });
    expect((await schedule({ cron: ['0 3 * * *'] })).status).toBe(201);
  });

  it('skips a schedule run over the operations in flight and says why in an event', async () => {
    const tenant = await newTenant({ operationsInFlight: 1 });
    const collectionId = await prepare(tenant);
    expect((await start(tenant, { job: 'slow', collectionId })).status).toBe(202);
    const made = await call('POST', '/v1/schedules', tenant.key, {
      job: 'quick',
      collectionId,
      spec: { cron: ['0 3 * * *'] },
    });
    expect((await call('POST', `/v1/schedules/${made.body.id}/trigger`, tenant.key)).status).toBe(
      202,
    );
    const events = await waitFor(
      async () => (await call('GET', '/v1/events?type=schedule.skipped', tenant.key)).body.data,
      (rows: { data: unknown }[]) => rows.length > 0,
      { what: 'a schedule.skipped event' },
    );
    expect(events[0]?.data).toMatchObject({
      scheduleId: made.body.id,
      quota: 'operationsInFlight',
      limit: 1,
    });
    const operations = await call('GET', `/v1/operations?scheduleId=${made.body.id}`, tenant.key);
    expect(operations.body.data).toEqual([]);
  });

  it('bounds webhooks by count', async () => {
    const tenant = await newTenant({ webhooks: 1 });
    const webhook = { url: 'http://127.0.0.1:9/hook', eventTypes: ['webhook.disabled'] };
    expect((await call('POST', '/v1/webhooks', tenant.key, webhook)).status).toBe(201);
    expectQuota(await call('POST', '/v1/webhooks', tenant.key, webhook), 'webhooks', 1, null);
    const other = await newTenant({ webhooks: 1 });
    expect((await call('POST', '/v1/webhooks', other.key, webhook)).status).toBe(201);
    await setQuotas(tenant, { webhooks: 2 });
    expect((await call('POST', '/v1/webhooks', tenant.key, webhook)).status).toBe(201);
  });

  it('bounds open event streams across the tenant’s and its operations’ streams', async () => {
    const tenant = await newTenant({ openStreams: 1 });
    const other = await newTenant({ openStreams: 1 });
    const collectionId = await prepare(tenant);
    const operation = await start(tenant, { job: 'quick', collectionId });

    const first = await openSse(`${harness.url}/v1/events/stream`, tenant.key);
    streams.push(first);
    expect(first.status).toBe(200);
    expectQuota(await streamAnswer('/v1/events/stream', tenant.key), 'openStreams', 1, '5');
    expectQuota(
      await streamAnswer(`/v1/operations/${operation.body.id}/stream`, tenant.key),
      'openStreams',
      1,
      '5',
    );
    const theirs = await openSse(`${harness.url}/v1/events/stream`, other.key);
    streams.push(theirs);
    expect(theirs.status).toBe(200);

    // A closed stream gives its place back.
    first.close();
    const next = await waitFor(
      () => openSse(`${harness.url}/v1/events/stream`, tenant.key),
      (connection) => {
        if (connection.status !== 200) connection.close();
        return connection.status === 200;
      },
      { what: 'a stream once the first closed', timeoutMs: 10_000 },
    );
    streams.push(next);
  });

  it('bounds exports at once, counting what other API processes hold until it expires', async () => {
    const tenant = await newTenant({ exportsAtOnce: 1 });
    const collectionId = await prepare(tenant);
    const path = `/v1/collections/${collectionId}/results/export`;
    // One after the other, each export gives its place back when it ends.
    expect((await call('GET', path, tenant.key)).status).toBe(200);
    expect((await call('GET', path, tenant.key)).status).toBe(200);

    // An export another API process streams holds a lease in Postgres.
    const [lease] = await harness.database.sql<{ id: string }[]>`
      insert into quota_leases (tenant_id, quota, expires_at)
      values (${tenant.id}, 'exportsAtOnce', now() + interval '1 minute') returning id`;
    expectQuota(await call('GET', path, tenant.key), 'exportsAtOnce', 1, '10');
    const other = await newTenant({ exportsAtOnce: 1 });
    const otherCollection = await prepare(other);
    expect(
      (await call('GET', `/v1/collections/${otherCollection}/results/export`, other.key)).status,
    ).toBe(200);

    // That process died: once its lease expires, the place is free again.
    await harness.database.sql`
      update quota_leases set expires_at = now() - interval '1 second' where id = ${lease?.id ?? ''}`;
    expect((await call('GET', path, tenant.key)).status).toBe(200);
  });
});

/** A stream request whose refusal is read whole (a 200 would be left open). */
async function streamAnswer(path: string, key: string) {
  const answer = await call('GET', path, key);
  expect(answer.status).not.toBe(200);
  return answer;
}
