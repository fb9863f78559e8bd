import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app';
import type { ApiDeps } from '../api/env';
import { connectDatabase } from '../db/client';
import { closeServer, startApi } from '../runtime/api-server';
import { freePort } from '../runtime/ports';
import { type Harness, startHarness, waitFor } from './harness';

/** The zod schema the document declares for a route's answer of `status`. */
const routes = createApp({} as ApiDeps).openAPIRegistry.definitions.filter(
  (definition: any) => definition.type === 'route',
) as any[];
function declaredSchema(path: string, status: number, mediaType: string) {
  const route = routes.find((d) => d.route.method === 'get' && d.route.path === path)?.route;
  return route?.responses[String(status)]?.content?.[mediaType]?.schema;
}

async function get(url: string, key?: string) {
  const response = await fetch(url, key ? { headers: { authorization: `Bearer ${key}` } } : {});
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
  return { status: response.status, mediaType, body: (await response.json()) as any };
}

/** Asserts the answer is what the document declares for its route and status. */
function expectDocumented(path: string, answer: { status: number; mediaType: string; body: any }) {
  const schema = declaredSchema(path, answer.status, answer.mediaType);
  expect(schema, `${path} ${answer.status} ${answer.mediaType} is undocumented`).toBeDefined();
  const parsed = schema.safeParse(answer.body);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
}

let harness: Harness;
/** An API on the same Postgres and Temporal whose task queue no worker ever polled. */
let unpolled: { url: string; close: () => Promise<void>; taskQueue: string };

beforeAll(async () => {
  harness = await startHarness();
  const taskQueue = `unpolled-${randomBytes(6).toString('hex')}`;
  const api = await startApi(
    {
      config: {
        TASK_QUEUE: taskQueue,
        TEMPORAL_NAMESPACE: 'default',
        BATCH_SIZE: 100,
        CHUNK_SIZE: 2000,
        HISTORY_EVENTS_LIMIT: 8_000,
      },
      database: harness.database,
      temporal: harness.temporal,
    },
    '127.0.0.1',
    0,
  );
  unpolled = { url: api.url, taskQueue, close: () => closeServer(api.server) };
});
afterAll(async () => {
  await unpolled?.close();
  await harness?.stop();
});

describe('GET /v1/workers', () => {
  it('lists the harness worker polling its task queue, for a viewer key', async () => {
    const viewer = await harness.keyWithRole('viewer');
    const answer = await waitFor(
      () => get(`${harness.url}/v1/workers`, viewer),
      (answer) =>
        answer.status === 200 &&
        answer.body.workers.some((worker: any) => worker.polls.length === 2),
      { timeoutMs: 30_000, what: 'a worker polling both task types' },
    );
    expectDocumented('/v1/workers', answer);
    expect(answer.body.taskQueue).toBe(harness.taskQueue);
    expect(answer.body.namespace).toBe('default');
    const worker = answer.body.workers.find((worker: any) => worker.polls.length === 2);
    expect(worker.identity).toMatch(/\S/);
    expect(worker.polls.map((poll: any) => poll.taskQueueType).sort()).toEqual([
      'activity',
      'workflow',
    ]);
    for (const poll of worker.polls) {
      expect(poll.lastAccessTime).not.toBeNull();
      // Recent: Temporal records the time of the worker's last poll.
      expect(Math.abs(Date.now() - Date.parse(poll.lastAccessTime))).toBeLessThan(5 * 60_000);
    }
    // Temporal 1.32 (the dev server the tests run) reports stats for both task types.
    for (const type of ['workflow', 'activity']) {
      expect(answer.body.backlog[type]).toMatchObject({
        approximateCount: expect.any(Number),
        approximateAgeMs: expect.any(Number),
      });
    }
    const names = answer.body.expectedHandlers.map((handler: any) => handler.name);
    const handlers = await harness.api('GET', '/v1/handlers');
    expect(names).toEqual(handlers.body.data.map((handler: any) => handler.name));
    expect(names.length).toBeGreaterThan(0);
    // The worker's own word on what it runs, from its report to Postgres.
    expect(worker.handlers).toEqual(answer.body.expectedHandlers);
    expect(Date.parse(worker.reportedAt)).toBeGreaterThanOrEqual(Date.parse(worker.startedAt));
  });

  it('is empty for a task queue nobody polls', async () => {
    const answer = await get(`${unpolled.url}/v1/workers`, harness.adminKey);
    expect(answer.status).toBe(200);
    expectDocumented('/v1/workers', answer);
    expect(answer.body.taskQueue).toBe(unpolled.taskQueue);
    expect(answer.body.workers).toEqual([]);
  });

  it('reports the backlog of tasks waiting for a worker', async () => {
    const workflowId = `backlog-${randomBytes(4).toString('hex')}`;
    const handle = await harness.temporal.workflow.start('nothingRunsThis', {
      taskQueue: unpolled.taskQueue,
      workflowId,
    });
    try {
      const answer = await waitFor(
        () => get(`${unpolled.url}/v1/workers`, harness.adminKey),
        (answer) => answer.body.backlog?.workflow?.approximateCount >= 1,
        { timeoutMs: 30_000, what: 'the workflow task to count in the backlog' },
      );
      expectDocumented('/v1/workers', answer);
      expect(answer.body.workers).toEqual([]);
    } finally {
      await handle.terminate('test done');
    }
  });

  it('needs a key', async () => {
    const answer = await get(`${harness.url}/v1/workers`);
    expect(answer.status).toBe(401);
    expect(answer.mediaType).toBe('application/problem+json');
  });
});

describe('GET /ready', () => {
  it('is 200 with no key when Postgres, Temporal and a worker are there', async () => {
    const answer = await waitFor(
      () => get(`${harness.url}/ready`),
      (answer) => answer.status === 200,
      { timeoutMs: 30_000, what: '/ready to be 200' },
    );
    expectDocumented('/ready', answer);
    expect(answer.body).toEqual({
      status: 'ready',
      taskQueue: harness.taskQueue,
      checks: { postgres: true, temporal: true, worker: true },
    });
  });

  it('is a 503 problem naming the missing worker when nobody polls the task queue', async () => {
    const answer = await get(`${unpolled.url}/ready`);
    expect(answer.status).toBe(503);
    expect(answer.mediaType).toBe('application/problem+json');
    expectDocumented('/ready', answer);
    expect(answer.body.type).toBe('https://conveyor.dev/problems/unavailable');
    expect(answer.body.detail).toContain(
      `no worker is polling task queue ${unpolled.taskQueue}; start one with npm run start:worker`,
    );
    expect(answer.body.detail).not.toMatch(/Postgres|Temporal/);
  });

  it('is a 503 naming Postgres when it does not answer', async () => {
    const port = await freePort();
    const database = connectDatabase(`postgres://nobody@127.0.0.1:${port}/none`, { max: 1 });
    const app = createApp({
      config: {
        TASK_QUEUE: harness.taskQueue,
        TEMPORAL_NAMESPACE: 'default',
        BATCH_SIZE: 100,
        CHUNK_SIZE: 2000,
        HISTORY_EVENTS_LIMIT: 8_000,
      },
      database,
      temporal: harness.temporal,
    });
    try {
      const started = Date.now();
      const response = await app.request('/ready');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const body = (await response.json()) as any;
      expect(body.detail).toContain('Postgres is not reachable');
      expect(body.detail).not.toContain('no worker');
    } finally {
      await database.close();
    }
  });
});
