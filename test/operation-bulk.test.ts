import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForOperation,
  waitForStatus,
} from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

const eventTypes = async (id: string) =>
  (await harness.api('GET', `/v1/operations/${id}/events`)).body.data as {
    type: string;
    data: Record<string, unknown>;
  }[];

describe('bulk cancel by filter', () => {
  const running: string[] = [];

  beforeAll(async () => {
    const collectionId = await seedCollection(harness, 20);
    await createJob(harness, {
      name: 'slow',
      stages: [{ name: 's', handler: 'noop', params: { delayMs: 60_000 }, batchSize: 1 }],
    });
    for (let i = 0; i < 3; i++)
      running.push(await startOperation(harness, { job: 'slow', collectionId }));
    for (const id of running) await waitForStatus(harness, id, ['running']);
  });

  it('previews what it would cancel without touching anything', async () => {
    const preview = await harness.api('POST', '/v1/operations/cancel', {
      job: 'slow',
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ action: 'cancel', dryRun: true, matched: 3 });
    expect(preview.body.operations.map((op: { id: string }) => op.id).sort()).toEqual(
      [...running].sort(),
    );
    expect(preview.body.operations[0]).toEqual({
      id: expect.any(String),
      job: { id: expect.any(String), name: 'slow', version: 1 },
      status: 'running',
    });
    for (const id of running) {
      expect((await harness.api('GET', `/v1/operations/${id}`)).body.status).toBe('running');
    }
    // Priority filters as a number in the body (3 is every one's here, 1 none's).
    for (const [priority, matched] of [
      [3, 3],
      [1, 0],
    ]) {
      const byPriority = await harness.api('POST', '/v1/operations/cancel', {
        job: 'slow',
        priority,
        dryRun: true,
      });
      expect(byPriority.body.matched).toBe(matched);
    }
  });

  it('refuses no filter, a bad limit, a bad status and a viewer', async () => {
    const empty = await harness.api('POST', '/v1/operations/cancel', { dryRun: true });
    expect(empty.status).toBe(400);
    expect(empty.contentType).toContain('application/problem+json');
    expect(empty.body.invalid_params[0]).toMatchObject({ name: '(body)' });

    const tooMany = await harness.api('POST', '/v1/operations/retry', { job: 'slow', limit: 501 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.invalid_params[0].name).toBe('limit');

    const badStatus = await harness.api('POST', '/v1/operations/cancel', { status: 'sleeping' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.invalid_params[0].name).toContain('status');

    const viewer = await harness.keyWithRole('viewer');
    const forbidden = await harness.api('POST', '/v1/operations/cancel', { job: 'slow' }, viewer);
    expect(forbidden.status).toBe(403);
  });

  it('cancels the newest `limit` of them, each with an event', async () => {
    const acted = await harness.api('POST', '/v1/operations/cancel', {
      job: 'slow',
      status: 'running,paused',
      limit: 2,
    });
    expect(acted.status).toBe(202);
    expect(acted.body).toMatchObject({ action: 'cancel', dryRun: false, matched: 3 });
    expect(acted.body.operations).toHaveLength(2);
    for (const entry of acted.body.operations) {
      expect(entry.outcome).toBe('cancelling');
      await waitForStatus(harness, entry.id, ['cancelled']);
      const requested = (await eventTypes(entry.id)).find(
        (event) => event.type === 'operation.cancel_requested',
      );
      expect(requested?.data).toEqual({ requestedBy: expect.any(String), bulk: true });
    }
    const left = running.filter(
      (id) => !acted.body.operations.some((entry: { id: string }) => entry.id === id),
    );
    expect(left).toHaveLength(1);
    const [last] = left;

    // One by one: the documented 202, then a documented 409 once it is final.
    const cancel = await harness.api('POST', `/v1/operations/${last}/cancel`);
    expect(cancel.status).toBe(202);
    expect(cancel.body).toEqual({ id: last, status: 'cancelling' });
    await waitForStatus(harness, last as string, ['cancelled']);
    const again = await harness.api('POST', `/v1/operations/${last}/cancel`);
    expect(again.status).toBe(409);
    expect(again.contentType).toContain('application/problem+json');
    expect(again.body.detail).toContain('already cancelled');

    const none = await harness.api('POST', '/v1/operations/cancel', { job: 'slow' });
    expect(none.status).toBe(202);
    expect(none.body).toMatchObject({ matched: 0, operations: [] });
  });
});

describe('bulk retry by filter', () => {
  const failed: string[] = [];

  beforeAll(async () => {
    const collectionId = await seedCollection(harness, 10);
    await createJob(harness, {
      name: 'failing',
      stages: [{ name: 's', handler: 'noop', params: { failKeys: ['k2', 'k5'] } }],
    });
    for (let i = 0; i < 2; i++) {
      const id = await startOperation(harness, { job: 'failing', collectionId });
      await waitForStatus(harness, id, ['completed']);
      failed.push(id);
    }
    const clean = await startOperation(harness, {
      job: 'failing',
      collectionId,
      itemKeys: ['k0'],
    });
    await waitForStatus(harness, clean, ['completed']);
  });

  it('previews only the finished operations with failed items', async () => {
    const preview = await harness.api('POST', '/v1/operations/retry', {
      job: 'failing',
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.matched).toBe(2);
    expect(preview.body.operations.map((op: { id: string }) => op.id).sort()).toEqual(
      [...failed].sort(),
    );
  });

  it('retries each once, links it and leaves an event; a repeat finds the same retries', async () => {
    const acted = await harness.api('POST', '/v1/operations/retry', { job: 'failing' });
    expect(acted.status).toBe(202);
    expect(acted.body.matched).toBe(2);
    for (const entry of acted.body.operations) {
      expect(entry).toMatchObject({ outcome: 'retried', retryId: expect.any(String) });
      const retry = await waitForOperation(
        harness,
        entry.retryId,
        (op) => ['completed', 'failed'].includes(op.status),
        'retry to finish',
      );
      expect(retry).toMatchObject({ retryOf: entry.id, scope: { kind: 'items', itemCount: 2 } });
      const retried = (await eventTypes(entry.id)).find(
        (event) => event.type === 'operation.retried',
      );
      expect(retried?.data).toMatchObject({ retryId: entry.retryId, items: 2, bulk: true });
    }

    const repeat = await harness.api('POST', '/v1/operations/retry', {
      job: 'failing',
      createdBefore: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(repeat.status).toBe(202);
    const byId = new Map(
      acted.body.operations.map((entry: { id: string; retryId: string }) => [
        entry.id,
        entry.retryId,
      ]),
    );
    for (const entry of repeat.body.operations) {
      if (!byId.has(entry.id)) continue; // the retries themselves failed k2 and k5 again
      expect(entry).toMatchObject({ outcome: 'already_retried', retryId: byId.get(entry.id) });
    }
  });

  it('is not read as an operation id by the routes under /{id}', async () => {
    // A static path owns its methods: GET is refused, not looked up as operation "retry".
    const get = await harness.api('GET', '/v1/operations/retry');
    expect(get.status).toBe(405);
    expect(get.body.detail).toContain('it answers POST');
    const cancel = await harness.api('POST', '/v1/operations/cancel', {
      status: 'queued',
      dryRun: true,
    });
    expect(cancel.status).toBe(200);
  });
});
