import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineDiscoveryHandler, defineHandler, PermanentError } from '../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';

/** Keys the gate handler fails for good; tests empty it to let a retry succeed. */
const failing = new Set<string>();
const listed = defineDiscoveryHandler({
  name: 'test.list',
  version: '1',
  description: 'Discovers one item per key of its params.',
  params: z.object({ keys: z.array(z.string()) }),
  async *discover({ params }) {
    for (const key of params.keys) yield { key, data: { key } };
  },
});
const gate = defineHandler({
  name: 'test.gate',
  version: '1',
  description: 'Fails the keys in `failing`; passes the others.',
  params: z.object({}),
  async process(item) {
    if (failing.has(item.key)) throw new PermanentError(`test.gate: ${item.key} is failing`);
    return { key: item.key };
  },
});

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({
    handlers: createHandlerRegistry([...builtInHandlers, listed, gate]),
  });
});
afterAll(async () => {
  await harness?.stop();
});

/** An item's state in one stage, through the operation's items API (either ledger format). */
async function attemptsOf(operationId: string, stageIndex: number, key: string) {
  type Item = {
    key: string;
    stages: { attempts: number; status: string; error: string | null }[];
  };
  let cursor: string | null = null;
  do {
    const page: { status: number; body: any } = await harness.api(
      'GET',
      `/v1/operations/${operationId}/items?limit=1000${cursor === null ? '' : `&cursor=${cursor}`}`,
    );
    expect(page.status).toBe(200);
    const item = (page.body.data as Item[]).find((candidate) => candidate.key === key);
    if (item) {
      const stage = item.stages[stageIndex];
      return stage && { attempts: stage.attempts, status: stage.status, error: stage.error };
    }
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return undefined;
}

describe('an operation over a collection', () => {
  it('runs 500 items through a 2-stage noop job, failing failKeys and retrying flakyKeys', async () => {
    const collectionId = await seedCollection(harness, 500);
    await createJob(harness, {
      name: 'two-stage',
      stages: [
        {
          name: 'first',
          handler: 'noop',
          params: { failKeys: ['k7', 'k300'], flakyKeys: ['k11', 'k499'] },
          retry: { initialIntervalMs: 100 },
        },
        { name: 'second', handler: 'noop' },
      ],
    });
    const id = await startOperation(harness, { job: 'two-stage', collectionId });
    const operation = await waitForStatus(harness, id, ['completed', 'failed', 'cancelled']);

    expect(operation.status).toBe('completed');
    expect(operation.counts).toEqual({ items: 500, done: 498, failed: 2, skipped: 0, pending: 0 });
    const [first, second] = operation.stages;
    expect(first).toMatchObject({
      name: 'first',
      items: 500,
      done: 498,
      failed: 2,
      skipped: 0,
      pending: 0,
      inProgress: 0,
    });
    expect(second).toMatchObject({
      name: 'second',
      items: 500,
      done: 498,
      failed: 0,
      skipped: 2,
      pending: 0,
      inProgress: 0,
    });

    const failed = await attemptsOf(id, 0, 'k7');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed?.error).toContain('failKeys');
    // A stage skipped for an earlier failure never ran: no attempt, in either ledger format.
    expect(await attemptsOf(id, 1, 'k7')).toEqual({
      status: 'skipped',
      attempts: 0,
      error: 'an earlier stage failed',
    });
    expect(await attemptsOf(id, 0, 'k11')).toMatchObject({
      status: 'done',
      attempts: 2,
      error: null,
    });
    expect(await attemptsOf(id, 1, 'k11')).toMatchObject({ status: 'done', attempts: 1 });

    const described = await harness.temporal.workflow.getHandle(id).describe();
    expect(described.status.name).toBe('COMPLETED');
    expect(operation.temporal.uiUrl).toContain(`/workflows/${id}/`);

    const events = await harness.api('GET', `/v1/operations/${id}/events`);
    type Event = { type: string; stageName: string | null; data: Record<string, number> };
    // Progress snapshots come as often as batches are written; the rest is fixed.
    const milestones = events.body.data.filter(
      (event: Event) => event.type !== 'operation.progress',
    );
    const progress = events.body.data.filter((event: Event) => event.type === 'operation.progress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0].data).toMatchObject({ itemsTotal: 500 });
    expect(
      milestones.map((event: Event) => [event.type, event.stageName].filter(Boolean).join(':')),
    ).toEqual([
      'operation.created',
      'operation.started',
      'stage.started:first',
      'stage.completed:first',
      'stage.started:second',
      'stage.completed:second',
      'operation.completed',
    ]);
    expect(milestones[3].data).toEqual({ done: 498, failed: 2, skipped: 0 });
  });

  it('records results stamped with the handler version', async () => {
    const collectionId = await seedCollection(harness, 20);
    await createJob(harness, { name: 'one-stage', stages: [{ name: 'only', handler: 'noop' }] });
    const id = await startOperation(harness, { job: 'one-stage', collectionId });
    await waitForStatus(harness, id, ['completed']);
    // Through the collection's export, which reads both ledger formats' results.
    const exported = await harness.api('GET', `/v1/collections/${collectionId}/results/export`);
    expect(exported.status).toBe(200);
    const lines = String(exported.body)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(20);
    const stamps = lines.map(
      (line) => `${line.handler}@${line.handlerVersion} by ${line.stage} of ${line.operationId}`,
    );
    expect([...new Set(stamps)]).toEqual([`noop@1 by only of ${id}`]);
  });

  it('lists operations newest first and keeps the collection counts', async () => {
    const list = await harness.api('GET', '/v1/operations');
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThanOrEqual(2);
    const created = list.body.data.map((operation: { createdAt: string }) =>
      Date.parse(operation.createdAt),
    );
    expect([...created].sort((a, b) => b - a)).toEqual(created);

    const collections = await harness.api('GET', '/v1/collections');
    const withOperations = collections.body.data.filter(
      (c: { operationCount: number }) => c.operationCount > 0,
    );
    expect(withOperations.length).toBeGreaterThanOrEqual(2);
    expect(withOperations[0].lastOperation.status).toBe('completed');
  });

  it('streams events, progress among them, until the operation finishes', async () => {
    const collectionId = await seedCollection(harness, 300);
    await createJob(harness, {
      name: 'streamed',
      stages: [{ name: 's', handler: 'noop', params: { delayMs: 5 } }],
    });
    const id = await startOperation(harness, { job: 'streamed', collectionId });
    const response = await fetch(`${harness.url}/v1/operations/${id}/stream`, {
      headers: { authorization: `Bearer ${harness.adminKey}` },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const messages = text
      .split('\n\n')
      .filter((block) => block.includes('data:'))
      .map((block) => ({
        id: Number(/id: (\d+)/.exec(block)?.[1]),
        event: /event: ([\w.]+)/.exec(block)?.[1],
        data: JSON.parse(/data: (.*)/.exec(block)?.[1] ?? 'null'),
      }));
    const types = messages.map((m) => m.event);
    expect(types[0]).toBe('operation.created');
    expect(types.at(-1)).toBe('operation.completed');
    expect(messages.every((m) => m.data.type === m.event && m.data.id === m.id)).toBe(true);
    expect(types.filter((type) => type === 'stage.completed')).toHaveLength(1);
    expect(types).toContain('operation.progress');
    expect(messages.at(-1)?.data.data).toMatchObject({ itemsDone: 300 });
  });

  it('returns the same operation for a repeated idempotency key', async () => {
    const collectionId = await seedCollection(harness, 5);
    const body = { job: 'one-stage', collectionId, idempotencyKey: 'nightly-2026-11-24' };
    const first = await harness.api('POST', '/v1/operations', body);
    const second = await harness.api('POST', '/v1/operations', body);
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
  });
});

describe('a job that begins with discovery', () => {
  const keys = ['a', 'b', 'c', 'd', 'e'];
  let collectionId: string;
  let first: string;

  it('retries its failed items through the later stages only', async () => {
    collectionId = (await harness.api('POST', '/v1/collections', { name: 'discovered' })).body.id;
    await createJob(harness, {
      name: 'discover-then-gate',
      stages: [
        { name: 'discover', handler: 'test.list', params: { keys } },
        { name: 'gate', handler: 'test.gate', retry: { maximumAttempts: 1 } },
      ],
    });
    failing.add('b').add('d');
    first = await startOperation(harness, { job: 'discover-then-gate', collectionId });
    expect((await waitForStatus(harness, first, ['completed'])).counts).toMatchObject({
      items: 5,
      done: 3,
      failed: 2,
    });

    failing.clear();
    const retry = await harness.api('POST', `/v1/operations/${first}/retry`);
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ retryOf: first, scope: { kind: 'items', itemCount: 2 } });
    const retried = await waitForStatus(harness, retry.body.id, ['completed', 'failed']);
    expect(retried.status).toBe('completed');
    expect(retried.stages.map((stage: { name: string }) => stage.name)).toEqual(['gate']);
    expect(retried.counts).toMatchObject({ items: 2, done: 2, failed: 0 });
    const retriedKeys = (
      await harness.api('GET', `/v1/operations/${retry.body.id}/items`)
    ).body.data.map((item: { key: string }) => item.key);
    expect(retriedKeys).toEqual(['b', 'd']);

    const events = (await harness.api('GET', `/v1/operations/${first}/events`)).body.data;
    expect(
      events.find((e: { type: string }) => e.type === 'operation.retried')?.data,
    ).toMatchObject({ retryId: retry.body.id, items: 2 });
  });

  it('reprocesses only stale results, without discovering again', async () => {
    gate.version = '2';
    try {
      const body = { job: 'discover-then-gate', collectionId, only: 'stale' };
      // b and d were retried above under version 1 too: every result of the collection is stale.
      const plan = await harness.api('POST', '/v1/operations', { ...body, mode: 'dry_run' });
      expect(plan.status).toBe(200);
      expect(plan.body.plan).toMatchObject({ items: 5, discovery: null });
      expect(plan.body.plan.stages.map((stage: { name: string }) => stage.name)).toEqual(['gate']);

      const started = await harness.api('POST', '/v1/operations', {
        ...body,
        itemKeys: ['a', 'b', 'c'],
      });
      expect(started.status).toBe(202);
      expect(started.body.scope).toMatchObject({ kind: 'collection', collectionId, itemCount: 3 });
      const done = await waitForStatus(harness, started.body.id, ['completed', 'failed']);
      expect(done.counts).toMatchObject({ items: 3, done: 3 });
      expect(done.stages.map((stage: { name: string }) => stage.name)).toEqual(['gate']);

      const rest = await startOperation(harness, body);
      expect((await waitForStatus(harness, rest, ['completed'])).counts.items).toBe(2);
      const stats = (await harness.api('GET', `/v1/collections/${collectionId}/stats`)).body;
      expect(stats.stale).toBe(0);
      expect(stats.items).toBe(5);

      const nothing = await harness.api('POST', '/v1/operations', body);
      expect(nothing.status).toBe(409);
      expect(nothing.contentType).toContain('application/problem+json');
      expect(nothing.body.detail).toContain('nothing to reprocess');
    } finally {
      gate.version = '1';
    }
  });

  it('refuses what cannot run, naming the field', async () => {
    const items = (await harness.api('GET', `/v1/collections/${collectionId}/items`)).body.data;
    const stale = await harness.api('POST', '/v1/operations', {
      job: 'discover-then-gate',
      itemIds: [items[0].id],
      only: 'stale',
    });
    expect(stale.status).toBe(400);
    expect(stale.body.invalid_params[0].name).toBe('only');

    const global = await harness.api('POST', '/v1/operations', {
      job: 'discover-then-gate',
      scope: 'global',
    });
    // Well-formed, but at odds with the job it names: a conflict.
    expect(global.status).toBe(409);
    expect(global.body.invalid_params[0].name).toBe('scope');

    await createJob(harness, {
      name: 'discover-only',
      stages: [{ name: 'discover', handler: 'test.list', params: { keys } }],
    });
    const onlyDiscovery = await harness.api('POST', '/v1/operations', {
      job: 'discover-only',
      itemIds: [items[0].id],
    });
    expect(onlyDiscovery.status).toBe(409);
    expect(onlyDiscovery.body.invalid_params[0].name).toBe('job');

    const removed = await harness.api('POST', `/v1/collections/${collectionId}/reprocess-stale`, {
      job: 'discover-then-gate',
    });
    expect(removed.status).toBe(404);
  });
});
