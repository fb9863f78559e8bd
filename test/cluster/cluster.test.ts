import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClusterTopology,
  type ConveyorProcess,
  startClusterTopology,
} from '../../cluster/topology';
import { maintenanceScheduleId } from '../../common/maintenance';
import { openSse } from '../sse-client';

/**
 * Conveyor on a Temporal cluster (four server processes on Postgres) with two API processes
 * and two workers of its own: what runs on one machine in the other tests, here across
 * processes that know each other only through Temporal and Postgres.
 */
let topology: ClusterTopology;
let temporal: Client;
let dir: string;
let collectionId: string;

const log = (line: string) => console.log(`[cluster] ${line}`);

async function api(target: ConveyorProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${topology.adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 120_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const first = () => topology.apis[0] as ConveyorProcess;
const second = () => topology.apis[1] as ConveyorProcess;
const operation = (target: ConveyorProcess, id: string) =>
  api(target, 'GET', `/v1/operations/${id}`);
const finished = (status: string) => ['completed', 'failed', 'cancelled'].includes(status);

async function start(job: string, target = first()): Promise<string> {
  const started = await api(target, 'POST', '/v1/operations', { job, collectionId });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return started.body.id;
}

async function runsToExactCounts(id: string, items: number) {
  const done = await waitFor(
    () => operation(second(), id),
    (r) => finished(r.body.status),
    `${id} to finish`,
  );
  expect(done.body.status).toBe('completed');
  expect(done.body.counts).toMatchObject({ items, done: items, failed: 0, pending: 0 });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conveyor-cluster-'));
  topology = await startClusterTopology({ dir, apis: 2, workers: 2, log });
  temporal = new Client({
    connection: await Connection.connect({ address: topology.temporal.address }),
  });
  const collection = await api(first(), 'POST', '/v1/collections', { name: 'cluster' });
  collectionId = collection.body.id;
  const items = Array.from({ length: 5000 }, (_, i) => ({ key: `item-${i}`, data: { n: i } }));
  expect(
    (await api(first(), 'POST', `/v1/collections/${collectionId}/items`, { items })).status,
  ).toBe(200);
  for (const [name, delayMs] of [
    ['quick', 0],
    ['steady', 4],
  ] as const) {
    const job = await api(first(), 'POST', '/v1/jobs', {
      name,
      stages: [
        { name: 'fetch', handler: 'noop', params: { delayMs } },
        { name: 'parse', handler: 'noop' },
      ],
    });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
  }
}, 900_000);

afterAll(async () => {
  await temporal?.connection.close();
  await topology?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('Conveyor on a Temporal cluster', () => {
  it('runs a chunked operation started on one API and steered from the other, with exact counts', async () => {
    const id = await start('steady');
    const seen = await waitFor(
      () => operation(second(), id),
      (r) => r.body.status === 'running',
      'running',
    );
    expect(seen.body.id).toBe(id);
    const paused = await api(second(), 'POST', `/v1/operations/${id}/pause`);
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    await waitFor(
      () => operation(first(), id),
      (r) => r.body.status === 'paused',
      'paused',
    );
    expect((await api(second(), 'POST', `/v1/operations/${id}/resume`)).status).toBe(200);
    await runsToExactCounts(id, 5000);
  });

  it('finds the runs by their search attributes in Postgres visibility', async () => {
    const id = await start('quick');
    await runsToExactCounts(id, 5000);
    const sql = postgres(topology.databaseUrl, { max: 1 });
    const [row] = await sql<{ tenantId: string }[]>`
      select tenant_id as "tenantId" from operations where id = ${id}`;
    await sql.end();
    const query = `ConveyorTenant = '${row?.tenantId}' AND ConveyorJob = 'quick' AND ConveyorCollection = '${collectionId}' AND ConveyorMode = 'production'`;
    const found = await waitFor(
      async () => {
        const ids: string[] = [];
        for await (const run of temporal.workflow.list({ query })) ids.push(run.workflowId);
        return ids;
      },
      (ids) => ids.length === 1,
      'the run in visibility',
    );
    expect(found).toEqual([id]);
  });

  it('serves each worker’s metrics and the Temporal SDK’s own', async () => {
    const id = await start('quick');
    await runsToExactCounts(id, 5000);
    let processed = 0;
    for (const worker of topology.workers) {
      const [own, sdk] = await Promise.all(
        worker.metrics.map(async (url) => (await fetch(url)).text()),
      );
      for (const line of (own ?? '').split('\n')) {
        if (
          line.startsWith('conveyor_items_total{') &&
          line.includes('handler="noop"') &&
          line.includes('outcome="done"')
        ) {
          processed += Number(line.split(' ').at(-1));
        }
      }
      expect(sdk).toMatch(/temporal_(worker_task_slots_available|request)/);
    }
    // Every run so far (`steady`, then `quick` twice), each item in both of its noop stages,
    // counted once each across the two workers: metrics name handlers, not a tenant's jobs.
    expect(processed).toBe(30_000);
  });

  it('finishes when a worker is killed for good mid-run', async () => {
    const id = await start('steady');
    await waitFor(
      () => operation(first(), id),
      (r) => r.body.counts.done > 200 || r.body.status === 'running',
      'progress',
    );
    await topology.workers[0]?.kill('SIGKILL');
    await runsToExactCounts(id, 5000);
    topology.workers[0] = await topology.startWorker('worker-1b');
  });

  it('finishes when the history service is restarted mid-run', async () => {
    const id = await start('steady');
    await waitFor(
      () => operation(first(), id),
      (r) => r.body.status === 'running',
      'running',
    );
    await topology.temporal.restart('history');
    await runsToExactCounts(id, 5000);
  });

  it('resumes an event stream on the other API after its API was killed', async () => {
    const id = await start('steady');
    const stream = await openSse(`${first().url}/v1/operations/${id}/stream`, topology.adminKey);
    await stream.until((messages) => messages.length >= 3);
    await first().kill('SIGKILL');
    await stream.ended;
    const lastSeen = stream.messages.at(-1)?.id ?? '0';
    const rest = await openSse(`${second().url}/v1/operations/${id}/stream`, topology.adminKey, {
      'last-event-id': lastSeen,
    });
    await rest.ended;
    expect(rest.messages.at(-1)?.event).toBe('operation.completed');
    const log = await api(second(), 'GET', `/v1/operations/${id}/events?limit=1000`);
    const received = [...stream.messages, ...rest.messages].map((message) => Number(message.id));
    expect(received).toEqual(log.body.data.map((event: { id: number }) => event.id));
    topology.apis[0] = await topology.startApi('api-1b');
  });

  it('runs schedules and maintenance once across API processes', async () => {
    const ids: string[] = [];
    for await (const schedule of temporal.schedule.list()) ids.push(schedule.scheduleId);
    expect(ids.filter((id) => id === maintenanceScheduleId(topology.taskQueue))).toHaveLength(1);

    // A run every second, past the default quota of one a minute: the system key allows it.
    const tenants = await api(first(), 'GET', '/v1/tenants');
    const own = tenants.body.data.find((tenant: { name: string }) => tenant.name === 'default');
    const allowed = await api(first(), 'PATCH', `/v1/tenants/${own?.id}`, {
      quotas: { scheduleIntervalSeconds: 1 },
    });
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
    const created = await api(first(), 'POST', '/v1/schedules', {
      job: 'quick',
      collectionId,
      spec: { intervals: [{ every: '1s' }] },
      overlap: 'skip',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const listed = await api(second(), 'GET', '/v1/schedules');
    expect(listed.body.data.map((row: { id: string }) => row.id)).toContain(created.body.id);
    type Run = { startedAt: string | null; finishedAt: string | null };
    const runs = await waitFor(
      async (): Promise<Run[]> =>
        (await api(second(), 'GET', `/v1/operations?scheduleId=${created.body.id}`)).body.data,
      (rows) => rows.filter((row) => row.finishedAt).length >= 2,
      'two scheduled runs',
    );
    expect((await api(second(), 'DELETE', `/v1/schedules/${created.body.id}`)).status).toBe(204);
    const sorted = runs
      .flatMap((row) =>
        row.startedAt ? [{ started: Date.parse(row.startedAt), finished: row.finishedAt }] : [],
      )
      .sort((a, b) => a.started - b.started);
    for (const [index, run] of sorted.entries()) {
      const previous = sorted[index - 1];
      if (!previous) continue;
      expect(previous.finished, 'a run started before the previous one finished').not.toBeNull();
      expect(run.started).toBeGreaterThanOrEqual(Date.parse(previous.finished ?? ''));
    }
  });
});
