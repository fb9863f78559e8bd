import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';

let harness: Harness;
let collectionId: string;
const DELAY_MS = 20;

beforeAll(async () => {
  harness = await startHarness();
  collectionId = await seedCollection(harness, 20);
  await createJob(harness, {
    name: 'stats-main',
    stages: [
      { name: 'fetch', handler: 'noop', params: { failKeys: ['k1', 'k3'], cost: 0.5 } },
      { name: 'parse', handler: 'noop', params: { delayMs: DELAY_MS, cost: 2 } },
    ],
  });
  await createJob(harness, { name: 'stats-other', stages: [{ name: 'only', handler: 'noop' }] });
  for (const job of ['stats-main', 'stats-other']) {
    const id = await startOperation(harness, { job, collectionId });
    expect((await waitForStatus(harness, id, ['completed', 'failed'])).status).toBe('completed');
  }
  // Test mode keeps nothing beyond its own records: it must not show in the statistics.
  const test = await startOperation(harness, { job: 'stats-other', collectionId, mode: 'test' });
  await waitForStatus(harness, test, ['completed', 'failed']);
});
afterAll(async () => {
  await harness?.stop();
});

const get = (path: string, key?: string) => harness.api('GET', path, undefined, key);

function expectPlausible(durations: { mean: number; p50: number; p95: number; p99: number }) {
  expect(durations.p50).toBeGreaterThan(0);
  expect(durations.p50).toBeLessThanOrEqual(durations.p95);
  expect(durations.p95).toBeLessThanOrEqual(durations.p99);
  expect(durations.mean).toBeLessThanOrEqual(durations.p99 * 1.2);
}

describe('job statistics', () => {
  it('counts operations and item stages per job, with ordered percentiles', async () => {
    const response = await get('/v1/stats/jobs');
    expect(response.status).toBe(200);
    expect(response.body.seconds).toBe(24 * 3600);
    const [main, other] = response.body.data;
    expect(main).toMatchObject({
      job: 'stats-main',
      operations: { total: 1, byStatus: { completed: 1 } },
      // 20 items: 18 done and 2 failed in fetch; the 18 then done in parse. The failed items'
      // parse rows are skipped for them, not by a handler, so they are not outcomes.
      itemStages: { done: 36, failed: 2, skipped: 0, total: 38 },
    });
    expect(main.perSecond).toBeCloseTo(38 / (24 * 3600), 6);
    expectPlausible(main.durationMs);
    // Half the item stages sleep DELAY_MS, so the tail is at least that (bucket means are
    // within about 12% of the durations they hold).
    expect(main.durationMs.p99).toBeGreaterThanOrEqual(DELAY_MS * 0.85);
    expect(main.durationMs.p99).toBeLessThan(5_000);
    expect(other).toMatchObject({
      job: 'stats-other',
      operations: { total: 1, byStatus: { completed: 1 } },
      itemStages: { done: 20, failed: 0, total: 20 },
    });
  });

  it('filters by job and window', async () => {
    const filtered = await get('/v1/stats/jobs?job=stats-other');
    expect(filtered.body.data.map((row: { job: string }) => row.job)).toEqual(['stats-other']);

    const lastHours = await get('/v1/stats/jobs?window=2h');
    expect(lastHours.body.seconds).toBe(7200);
    expect(lastHours.body.data).toHaveLength(2);

    const to = new Date(Date.now() - 3 * 3600_000).toISOString();
    const earlier = await get(`/v1/stats/jobs?window=2h&to=${to}`);
    expect(earlier.status).toBe(200);
    expect(earlier.body.to).toBe(to);
    expect(earlier.body.data).toEqual([]);

    const from = new Date(Date.now() - 600_000).toISOString();
    const explicit = await get(`/v1/stats/jobs?from=${from}&job=stats-main`);
    expect(explicit.body.from).toBe(from);
    expect(explicit.body.data[0].itemStages.total).toBe(38);
  });

  it('answers viewers', async () => {
    const viewer = await harness.keyWithRole('viewer');
    expect((await get('/v1/stats/jobs', viewer)).status).toBe(200);
    expect((await get('/v1/stats/stages', viewer)).status).toBe(200);
    expect((await get('/v1/stats/costs', viewer)).status).toBe(200);
  });
});

describe('stage statistics', () => {
  it('counts items per stage, with durations that reflect the handler', async () => {
    const response = await get('/v1/stats/stages?job=stats-main');
    expect(response.status).toBe(200);
    const [fetch, parse] = response.body.data;
    expect(fetch).toMatchObject({
      job: 'stats-main',
      stage: 'fetch',
      items: { done: 18, failed: 2, skipped: 0, total: 20 },
    });
    expect(parse).toMatchObject({
      stage: 'parse',
      items: { done: 18, failed: 0, skipped: 0, total: 18 },
    });
    expectPlausible(fetch.durationMs);
    expectPlausible(parse.durationMs);
    expect(parse.durationMs.p50).toBeGreaterThanOrEqual(DELAY_MS * 0.85);
    expect(parse.durationMs.p50).toBeGreaterThan(fetch.durationMs.p50);
  });

  it('says nothing of a job or window without outcomes', async () => {
    expect((await get('/v1/stats/stages?job=nope')).body.data).toEqual([]);
    const to = new Date(Date.now() - 2 * 3600_000).toISOString();
    expect((await get(`/v1/stats/stages?window=1h&to=${to}`)).body.data).toEqual([]);
  });
});

describe('roll-ups', () => {
  it('keep operation counts per hour equal to the operations they count, deletes included', async () => {
    const { sql } = harness.database;
    const counted = () => sql`
      select job_name, status, sum(count)::int as n from operation_counts
      group by 1, 2 having sum(count) <> 0 order by 1, 2`;
    const actual = await sql`
      select job_name, status, count(*)::int as n from operations
      where mode = 'production' group by 1, 2 order by 1, 2`;
    expect(actual.length).toBeGreaterThan(0);
    expect(await counted()).toEqual(actual);

    const rolledBack = new Error('roll back');
    await expect(
      sql.begin(async (tx) => {
        await tx`delete from operations where job_name = 'stats-other'`;
        const [left] = await tx`
          select coalesce(sum(count), 0)::int as n from operation_counts where job_name = 'stats-other'`;
        expect(left?.n).toBe(0);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
  });

  it('read a closed hour once and add the open hour to it on every request', async () => {
    const { sql } = harness.database;
    const [row] = await sql<
      { tenantId: string }[]
    >`select tenant_id as "tenantId" from operations limit 1`;
    const tenantId = row?.tenantId ?? '';
    const addRollUp = (hoursAgo: number, bucket: number, done: number, failed: number) => sql`
      insert into stage_stats (tenant_id, job_name, stage_name, hour, bucket, done, failed, duration_ms_sum)
      values (${tenantId}, 'stats-closed', 'only', date_trunc('hour', now() - ${`${hoursAgo} hours`}::interval, 'UTC'),
        ${bucket}, ${done}, ${failed}, ${(done + failed) * 10})
      on conflict (tenant_id, job_name, stage_name, hour, bucket) do update
        set done = stage_stats.done + excluded.done, failed = stage_stats.failed + excluded.failed`;
    const items = async () => (await get('/v1/stats/stages?job=stats-closed')).body.data[0]?.items;

    await addRollUp(3, 10, 5, 0);
    expect(await items()).toMatchObject({ done: 5, failed: 0, total: 5 });
    await addRollUp(0, 12, 3, 1);
    expect(await items()).toMatchObject({ done: 8, failed: 1, total: 9 });
    // A closed hour takes no writes from the engine, so its sums are not read again.
    await addRollUp(3, 10, 100, 0);
    expect(await items()).toMatchObject({ done: 8, failed: 1, total: 9 });
  });
});

describe('cost statistics', () => {
  const today = new Date().toISOString().slice(0, 10);

  it('sums costs per day and job', async () => {
    const response = await get('/v1/stats/costs?days=7');
    expect(response.status).toBe(200);
    expect(response.body.groupBy).toBe('job');
    expect(response.body.data).toEqual([
      { day: today, job: 'stats-main', stage: null, unit: 'unit', amount: 45, entries: 36 },
    ]);
  });

  it('sums costs per day and stage', async () => {
    const response = await get('/v1/stats/costs?days=1&groupBy=stage');
    expect(response.body.since).toBe(today);
    expect(response.body.data).toEqual([
      { day: today, job: 'stats-main', stage: 'fetch', unit: 'unit', amount: 9, entries: 18 },
      { day: today, job: 'stats-main', stage: 'parse', unit: 'unit', amount: 36, entries: 18 },
    ]);
  });
});

describe('invalid statistics queries', () => {
  const cases: [string, string][] = [
    ['/v1/stats/costs?days=0', 'days'],
    ['/v1/stats/costs?days=367', 'days'],
    ['/v1/stats/costs?days=week', 'days'],
    ['/v1/stats/costs?groupBy=operation', 'groupBy'],
    ['/v1/stats/jobs?window=3w', 'window'],
    ['/v1/stats/jobs?window=91d', 'window'],
    ['/v1/stats/stages?window=0h', 'window'],
    ['/v1/stats/jobs?from=yesterday', 'from'],
    ['/v1/stats/stages?to=soon', 'to'],
  ];
  // Each parameter fits the document; together they cannot hold: a 409 naming the field.
  const contradictions: [string, string][] = [
    [`/v1/stats/jobs?from=${new Date().toISOString()}&window=1h`, 'window'],
    ['/v1/stats/jobs?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
    ['/v1/stats/stages?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
  ];
  const expectProblemNaming = async (path: string, status: number, field: string) => {
    const response = await get(path);
    expect(response.status).toBe(status);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body.invalid_params.map((param: { name: string }) => param.name)).toEqual([
      field,
    ]);
  };
  it.each(cases)('%s is a 400 naming %s', (path, field) => expectProblemNaming(path, 400, field));
  it.each(contradictions)('%s is a 409 naming %s', (path, field) =>
    expectProblemNaming(path, 409, field),
  );
});
