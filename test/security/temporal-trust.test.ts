import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES } from '../../common/constants';
import type { ScheduledRunInput } from '../../common/schedules';
import { webhookPolicy } from '../../common/webhooks';
import { deliveryIdFor, getDelivery, insertDeliveries, insertWebhook } from '../../db/webhooks';
import { closeServer, startApi } from '../../runtime/api-server';
import { freePort } from '../../runtime/ports';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  waitFor,
  waitForStatus,
} from '../harness';

/** Temporal as anyone who reaches its frontend sees it: workflows started by hand. */
let harness: Harness;
let tenantA: string;
let tenantB: string;
let collectionId: string;

beforeAll(async () => {
  harness = await startHarness();
  collectionId = await seedCollection(harness, 3);
  await createJob(harness, { name: 'nightly', stages: [{ name: 'only', handler: 'noop' }] });
  const [row] = await harness.database.sql<{ id: string }[]>`select id from tenants limit 1`;
  tenantA = row?.id ?? '';
  const other = await harness.api('POST', '/v1/tenants', { name: 'tenant-b' });
  expect(other.status, JSON.stringify(other.body)).toBe(201);
  tenantB = other.body.id;
});
afterAll(async () => {
  await harness?.stop();
});

/** The failure a workflow ended with, as one string of its causes' messages. */
async function failureOf(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const messages: string[] = [];
  for (let cause = error as Error | undefined; cause; cause = cause.cause as Error | undefined) {
    messages.push(cause.message);
  }
  return messages.join(' / ');
}

describe('a scheduled run started on Temporal by hand', () => {
  it("is refused when it names another tenant than its schedule's, and records nothing", async () => {
    const made = await harness.api('POST', '/v1/schedules', {
      job: 'nightly',
      collectionId,
      spec: { cron: ['0 3 * * *'] },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const scheduleId: string = made.body.id;
    const description = await harness.temporal.schedule.getHandle(scheduleId).describe();
    const genuine = (description.action as { args: ScheduledRunInput[] }).args[0];
    expect(genuine?.tenantId).toBe(tenantA);
    if (!genuine) return;

    const forged = await harness.temporal.workflow.start(WORKFLOW_TYPES.scheduledOperation, {
      taskQueue: harness.taskQueue,
      workflowId: `forged-${scheduleId}`,
      args: [{ ...genuine, tenantId: tenantB }],
    });
    const failure = await failureOf(forged.result());
    expect(failure).toContain(`belongs to tenant ${tenantA}, not to tenant ${tenantB}`);
    const recorded = await harness.database.sql<{ tenantId: string }[]>`
      select tenant_id as "tenantId" from operations where schedule_id = ${scheduleId}
        or tenant_id = ${tenantB}::uuid`;
    expect(recorded).toEqual([]);

    // The same input with its own tenant starts the schedule's operation, for that tenant.
    const own = await harness.temporal.workflow.start(WORKFLOW_TYPES.scheduledOperation, {
      taskQueue: harness.taskQueue,
      workflowId: `own-${scheduleId}`,
      args: [genuine],
    });
    const operationId = (await own.result()) as string;
    const [operation] = await harness.database.sql<{ tenantId: string }[]>`
      select tenant_id as "tenantId" from operations where id = ${operationId}`;
    expect(operation?.tenantId).toBe(tenantA);
  }, 30_000);
});

describe('a webhook delivery started on Temporal by hand', () => {
  it('keeps to the worker’s address policy, whatever policy its input carries', async () => {
    let hits = 0;
    const target = createServer((_, response) => {
      hits++;
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const port = (target.address() as AddressInfo).port;
    // As a host that resolved to a public address when the webhook was made and to loopback
    // now would: the row is written directly, past the API's own check.
    const hook = await insertWebhook(harness.database.db, {
      tenantId: tenantA,
      url: `http://localhost:${port}/hooks`,
      eventTypes: [],
      jobName: null,
      collectionId: null,
      description: null,
      secret: 'whsec_test',
    });
    const [event] = await harness.database.sql<{ id: number; type: string }[]>`
      select id::int8 as id, type from events where tenant_id = ${tenantA}::uuid limit 1`;
    if (!event) throw new Error('the tenant has no event');
    const deliveryId = deliveryIdFor(hook.id, event.id);
    await insertDeliveries(harness.database.db, [
      {
        id: deliveryId,
        webhookId: hook.id,
        tenantId: tenantA,
        eventId: event.id,
        eventType: event.type,
      },
    ]);
    const forged = await harness.temporal.workflow.start(WORKFLOW_TYPES.webhookDelivery, {
      taskQueue: harness.taskQueue,
      workflowId: `forged-${deliveryId}`,
      args: [
        {
          deliveryId,
          policy: webhookPolicy({ WEBHOOK_ALLOW_PRIVATE: true, WEBHOOK_RETRY_INITIAL_SECONDS: 60 }),
        },
      ],
    });
    try {
      // The forged run's own attempt: its failure is the worker's refusal, not a send.
      const attempted = await waitFor(
        async () => (await forged.describe()).raw.pendingActivities?.[0]?.lastFailure?.message,
        (message) => Boolean(message),
        { what: 'the forged run’s first attempt', timeoutMs: 15_000 },
      );
      expect(attempted).toMatch(
        /not sent: localhost \(127\.0\.0\.1\) is a private, loopback or link-local address; set WEBHOOK_ALLOW_PRIVATE=true/,
      );
      const found = await getDelivery(harness.database.db, deliveryId);
      expect(found?.delivery.lastError).toContain('not sent');
      expect(found?.delivery.status).toBe('pending');
      expect(hits).toBe(0);
    } finally {
      await forged.terminate('test over');
      await new Promise((resolve) => target.close(resolve));
    }
  }, 30_000);
});

describe('a start Temporal did not take', () => {
  it('answers 503 with Retry-After, and the same idempotency key then starts it', async () => {
    // A second API on the same database whose Temporal is down: the first request reaches it.
    const down = new Client({
      connection: Connection.lazy({
        address: `127.0.0.1:${await freePort()}`,
        connectTimeout: '2s',
        // No retries of the refused call: the point is one start that fails.
        interceptors: [],
      }),
    });
    const api = await startApi(
      {
        config: {
          TASK_QUEUE: harness.taskQueue,
          TEMPORAL_NAMESPACE: 'default',
          BATCH_SIZE: 100,
          CHUNK_SIZE: 2000,
          HISTORY_EVENTS_LIMIT: 8_000,
        },
        database: harness.database,
        temporal: down,
      },
      '127.0.0.1',
      0,
    );
    const body = { job: 'nightly', collectionId, idempotencyKey: 'retry-me' };
    try {
      const refused = await fetch(`${api.url}/v1/operations`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${harness.adminKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const problem = (await refused.json()) as { detail: string };
      expect(problem.detail).toContain('same idempotencyKey');
      expect(problem.detail).not.toContain('\n');
    } finally {
      await closeServer(api.server);
    }
    const [stranded] = await harness.database.sql<{ id: string; status: string }[]>`
      select id, status from operations where idempotency_key = 'retry-me'`;
    expect(stranded?.status).toBe('queued');

    const retried = await harness.api('POST', '/v1/operations', body);
    expect(retried.status, JSON.stringify(retried.body)).toBe(202);
    expect(retried.body.id).toBe(stranded?.id);
    const done = await waitForStatus(harness, retried.body.id, ['completed']);
    expect(done.counts.done).toBe(3);
    expect(done.error ?? null).toBeNull();
    // Once started, the key answers as a repeat.
    expect((await harness.api('POST', '/v1/operations', body)).status).toBe(200);
  }, 40_000);
});

describe('/metrics', () => {
  it('names no job, stage or collection', async () => {
    const scrape = await (await fetch(`${harness.url}/metrics`)).text();
    expect(scrape).toContain('conveyor_items_total{');
    expect(scrape).not.toMatch(/[{,](job|stage|collection)="/);
    expect(scrape).not.toContain('nightly');
    expect(scrape).not.toContain(collectionId);
  });
});

/** A receiver that answers slowly and notes how many requests it holds at once. */
async function slowReceiver(delayMs: number) {
  const state = { received: new Set<string>(), open: 0, most: 0 };
  const server: Server = createServer((request, response) => {
    state.open++;
    state.most = Math.max(state.most, state.open);
    request.resume();
    setTimeout(() => {
      state.received.add(String(request.headers['webhook-id']));
      state.open--;
      response.writeHead(204).end();
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { state, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('a tenant’s deliveries', () => {
  let capped: Harness;
  beforeAll(async () => {
    capped = await startHarness({
      webhooks: { WEBHOOK_ALLOW_PRIVATE: true, WEBHOOK_MAX_IN_FLIGHT_PER_TENANT: 2 },
    });
  });
  afterAll(async () => {
    await capped?.stop();
  });

  it('wait past the cap in flight, all arrive, and carry the tenant’s fairness key', async () => {
    const receiver = await slowReceiver(300);
    try {
      const hook = await capped.api('POST', '/v1/webhooks', { url: receiver.url });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      const collection = await seedCollection(capped, 5);
      await createJob(capped, {
        name: 'chatty',
        stages: [
          { name: 'one', handler: 'noop' },
          { name: 'two', handler: 'noop' },
        ],
      });
      const started = await capped.api('POST', '/v1/operations', {
        job: 'chatty',
        collectionId: collection,
      });
      await waitForStatus(capped, started.body.id, ['completed']);
      const rows = await waitFor(
        () =>
          capped.database.sql<{ id: string; status: string; tenantId: string }[]>`
            select id, status, tenant_id as "tenantId" from webhook_deliveries`,
        (found) => found.length >= 8 && found.every((row) => row.status === 'succeeded'),
        { what: 'every delivery succeeded', timeoutMs: 25_000 },
      );
      expect(receiver.state.received).toEqual(new Set(rows.map((row) => row.id)));
      expect(receiver.state.most).toBe(2);
      const described = await capped.temporal.workflow
        .getHandle(`webhook-${rows[0]?.id}`)
        .describe();
      expect(described.priority?.fairnessKey).toBe(rows[0]?.tenantId);
    } finally {
      await receiver.close();
    }
  }, 40_000);
});

describe('a maintenance run started on Temporal by hand', () => {
  it('keeps the deployment’s retention, whatever retention its input asks for', async () => {
    const young = await harness.database.sql<{ id: string }[]>`
      insert into events (tenant_id, type, data, created_at)
      values (${tenantB}::uuid, 'operation.progress', '{"young":true}', now() - interval '2 days')
      returning id`;
    const old = await harness.database.sql<{ id: string }[]>`
      insert into events (tenant_id, type, data, created_at)
      values (${tenantB}::uuid, 'operation.progress', '{"old":true}', now() - interval '40 days')
      returning id`;
    const run = await harness.temporal.workflow.start(WORKFLOW_TYPES.maintenance, {
      taskQueue: harness.taskQueue,
      workflowId: `forged-maintenance-${Date.now()}`,
      args: [{ eventRetentionDays: 0, testRetentionDays: 0, quietSeconds: 3_600 }],
    });
    await run.result();
    const left = await harness.database.sql<{ id: string }[]>`
      select id from events where id in (${young[0]?.id ?? '0'}, ${old[0]?.id ?? '0'})`;
    // The worker's 30 days (its default) hold: only the 40-day-old event goes.
    expect(left.map((row) => row.id)).toEqual([young[0]?.id]);
  });
});
