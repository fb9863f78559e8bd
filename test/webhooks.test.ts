import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../common/webhook-signature';
import {
  createJob,
  expectProblem,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitFor,
  waitForStatus,
} from './harness';
import { WebhookReceiver } from './webhook-receiver';

let harness: Harness;
let collectionId: string;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  harness = await startHarness({
    webhooks: {
      WEBHOOK_ALLOW_PRIVATE: true,
      WEBHOOK_RETRY_INITIAL_SECONDS: 1,
      WEBHOOK_RETRY_MAX_SECONDS: 2,
    },
  });
  collectionId = await seedCollection(harness, 50);
  await createJob(harness, {
    name: 'hooked',
    stages: [
      { name: 'fetch', handler: 'noop' },
      { name: 'parse', handler: 'noop' },
    ],
  });
});
afterAll(async () => {
  for (const receiver of receivers) await receiver.stop();
  await harness?.stop();
});

async function receiver() {
  const made = new WebhookReceiver();
  await made.start();
  receivers.push(made);
  return made;
}

async function createWebhook(body: Record<string, unknown>) {
  const response = await harness.api('POST', '/v1/webhooks', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; secret: string };
}

/** Every request verified against the secret, as a Standard Webhooks receiver would. */
function verified(received: WebhookReceiver['received'], secret: string) {
  return received.map((request) => {
    expect(verifyWebhook(secret, request, request.body)).toBe(true);
    expect(verifyWebhook(secret, request, `${request.body} `)).toBe(false);
    return { id: request.id, ...JSON.parse(request.body) };
  });
}

describe('webhooks', () => {
  it('are created, listed without their secret, changed and deleted', async () => {
    const target = await receiver();
    const made = await createWebhook({ url: target.url, description: 'crud' });
    expect(made.secret).toMatch(/^whsec_/);
    const listed = await harness.api('GET', '/v1/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(made.secret);
    expect(listed.body.data.map((hook: { id: string }) => hook.id)).toContain(made.id);

    const changed = await harness.api('PATCH', `/v1/webhooks/${made.id}`, {
      eventTypes: ['operation.failed'],
      filters: { job: 'hooked' },
      enabled: false,
    });
    expect(changed.body).toMatchObject({
      eventTypes: ['operation.failed'],
      filters: { job: 'hooked', collectionId: null },
      enabled: false,
      description: 'crud',
    });
    expect((await harness.api('DELETE', `/v1/webhooks/${made.id}`)).status).toBe(204);
    expectProblem(await harness.api('GET', `/v1/webhooks/${made.id}`), 404);
  });

  it('refuses a URL that is not http(s), naming the field', async () => {
    const response = await harness.api('POST', '/v1/webhooks', { url: 'ftp://example.com/x' });
    expectProblem(response, 400, 'validation');
    expect(JSON.stringify(response.body.invalid_params)).toContain('url');
    const viewer = await harness.keyWithRole('viewer');
    const refused = await harness.api('POST', '/v1/webhooks', { url: 'https://a.example' }, viewer);
    expectProblem(refused, 403);
  });

  it('delivers the chosen events, signed, and records each delivery', async () => {
    const target = await receiver();
    const hook = await createWebhook({
      url: target.url,
      eventTypes: ['stage.completed', 'operation.completed'],
      filters: { job: 'hooked' },
    });
    const began = Date.now();
    const id = await startOperation(harness, { job: 'hooked', collectionId });
    await waitForStatus(harness, id, ['completed']);
    await waitFor(
      async () => target.received.length,
      (count) => count >= 3,
      { what: 'three deliveries' },
    );
    const bodies = verified(target.received, hook.secret);
    // Each delivery is a workflow of its own: they arrive side by side, in no promised order.
    expect(bodies.map((body) => body.type).sort()).toEqual([
      'operation.completed',
      'stage.completed',
      'stage.completed',
    ]);
    expect(bodies.every((body) => body.data.operationId === id)).toBe(true);

    const deliveries = await harness.api('GET', `/v1/webhooks/${hook.id}/deliveries`);
    expect(deliveries.body.data).toHaveLength(3);
    const elapsed = Date.now() - began;
    for (const delivery of deliveries.body.data) {
      expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, responseStatus: 204 });
      // Whole milliseconds of one request, which fits in the test's own time.
      expect(Number.isInteger(delivery.latencyMs)).toBe(true);
      expect(delivery.latencyMs).toBeLessThanOrEqual(elapsed);
    }

    const [first] = deliveries.body.data;
    const again = await harness.api(
      'POST',
      `/v1/webhooks/${hook.id}/deliveries/${first.id}/redeliver`,
    );
    expect(again.status).toBe(202);
    await waitFor(
      async () => target.received.filter((request) => request.id === first.id).length,
      (count) => count === 2,
      { what: 'the redelivery' },
    );
  });

  it('gets every event, each delivery once, to a receiver that was down for 30 s', async () => {
    const target = await receiver();
    const hook = await createWebhook({ url: target.url, filters: { job: 'hooked' } });
    await target.stop();
    const id = await startOperation(harness, { job: 'hooked', collectionId });
    await waitForStatus(harness, id, ['completed']);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    const pending = await harness.api('GET', `/v1/webhooks/${hook.id}/deliveries?status=pending`);
    expect(pending.body.data.length).toBeGreaterThan(0);
    expect(pending.body.data[0].attempts).toBeGreaterThan(1);

    await target.start();
    const events = await harness.api('GET', `/v1/operations/${id}/events?limit=1000`);
    const expected = events.body.data.length;
    await waitFor(
      async () => new Set(target.received.map((request) => request.id)).size,
      (count) => count >= expected,
      { what: `${expected} deliveries after the receiver came back`, timeoutMs: 30_000 },
    );
    const bodies = verified(target.received, hook.secret);
    expect(bodies.map((body) => body.data.id).sort((a, b) => a - b)).toEqual(
      events.body.data.map((event: { id: number }) => event.id),
    );
    const ids = target.received.map((request) => request.id);
    expect(new Set(ids).size).toBe(ids.length);
  }, 90_000);
});

describe('a failing endpoint', () => {
  let failing: Harness;
  beforeAll(async () => {
    failing = await startHarness({
      webhooks: {
        WEBHOOK_ALLOW_PRIVATE: true,
        WEBHOOK_RETRY_INITIAL_SECONDS: 1,
        WEBHOOK_RETRY_MAX_SECONDS: 1,
        WEBHOOK_DISABLE_AFTER_SECONDS: 3,
      },
    });
  });
  afterAll(async () => {
    await failing?.stop();
  });

  it('is disabled once it has failed for the configured time, with an event', async () => {
    const target = await receiver();
    target.status = 500;
    const collection = await seedCollection(failing, 3);
    await createJob(failing, { name: 'doomed', stages: [{ name: 'only', handler: 'noop' }] });
    const made = await failing.api('POST', '/v1/webhooks', {
      url: target.url,
      eventTypes: ['operation.completed'],
    });
    await startOperation(failing, { job: 'doomed', collectionId: collection });
    const hook = await waitFor(
      async () => (await failing.api('GET', `/v1/webhooks/${made.body.id}`)).body,
      (body) => body.enabled === false,
      { what: 'the webhook disabled', timeoutMs: 30_000 },
    );
    expect(hook.disabledReason).toContain('answered 500');
    const events = await failing.api('GET', '/v1/events?type=webhook.disabled');
    expect(events.body.data).toHaveLength(1);
    expect(events.body.data[0].data).toMatchObject({ webhookId: made.body.id });
    const delivery = await waitFor(
      async () =>
        (await failing.api('GET', `/v1/webhooks/${made.body.id}/deliveries`)).body.data[0],
      (row) => row.status === 'failed',
      { what: 'the delivery recorded failed' },
    );
    expect(delivery).toMatchObject({ responseStatus: 500 });
    expect(delivery.attempts).toBeGreaterThanOrEqual(3);
  });
});

describe('a route that takes a body', () => {
  it('answers a request without one with 415, not as a change of nothing', async () => {
    const hook = await createWebhook({ url: 'http://127.0.0.1:9/none' });
    const response = await fetch(`${harness.url}/v1/webhooks/${hook.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${harness.adminKey}` },
    });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const unauthenticated = await fetch(`${harness.url}/v1/webhooks/${hook.id}`, {
      method: 'PATCH',
    });
    expect(unauthenticated.status).toBe(401);
  });
});
