import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let harness: Harness;
let collectionId: string;

beforeAll(async () => {
  harness = await startHarness();
  collectionId = await seedCollection(harness, 5);
  await createJob(harness, { name: 'scheduled', stages: [{ name: 'only', handler: 'noop' }] });
  await createJob(harness, {
    name: 'scheduled-slow',
    stages: [{ name: 'only', handler: 'noop', params: { delayMs: 700 } }],
  });
});
afterAll(async () => {
  await harness?.stop();
});

type Operation = { id: string; status: string; startedAt: string; finishedAt: string | null };

const operationsOf = async (scheduleId: string): Promise<Operation[]> =>
  (await harness.api('GET', `/v1/operations?scheduleId=${scheduleId}&limit=500`)).body.data;

async function startOperationOf(job: string, over: string): Promise<string> {
  const response = await harness.api('POST', '/v1/operations', { job, collectionId: over });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.id;
}

async function createSchedule(body: Record<string, unknown>) {
  const response = await harness.api('POST', '/v1/schedules', { collectionId, ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; nextRuns: string[]; paused: boolean };
}

describe('schedules', () => {
  it('are created, listed with next runs, triggered, paused, unpaused and deleted', async () => {
    const schedule = await createSchedule({
      job: 'scheduled',
      spec: { intervals: [{ every: '1h' }] },
      note: 'hourly',
    });
    expect(schedule.nextRuns.length).toBeGreaterThan(0);
    const handle = harness.temporal.schedule.getHandle(schedule.id);
    const described = await handle.describe();
    expect(described.spec.intervals?.[0]?.every).toBe(3_600_000);

    const listed = await harness.api('GET', '/v1/schedules');
    expect(listed.body.data.map((row: { id: string }) => row.id)).toContain(schedule.id);

    expect((await harness.api('POST', `/v1/schedules/${schedule.id}/trigger`)).status).toBe(202);
    const [operation] = await waitFor(
      () => operationsOf(schedule.id),
      (rows) => rows.some((row) => row.status === 'completed'),
      { what: 'the triggered operation' },
    );
    const shown = await harness.api('GET', `/v1/schedules/${schedule.id}`);
    expect(shown.body.lastRun).toMatchObject({ operationId: operation?.id, status: 'completed' });

    const paused = await harness.api('POST', `/v1/schedules/${schedule.id}/pause`, {
      note: 'maintenance window',
    });
    expect(paused.body).toMatchObject({ paused: true, note: 'maintenance window' });
    expect((await handle.describe()).state.paused).toBe(true);
    const unpaused = await harness.api('POST', `/v1/schedules/${schedule.id}/unpause`);
    expect(unpaused.body.paused).toBe(false);

    expect((await harness.api('DELETE', `/v1/schedules/${schedule.id}`)).status).toBe(204);
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expectProblem(await harness.api('GET', `/v1/schedules/${schedule.id}`), 404);
  });

  it('never runs two at once under skip, every second', async () => {
    const schedule = await createSchedule({
      job: 'scheduled-slow',
      spec: { intervals: [{ every: '1s' }] },
      overlap: 'skip',
    });
    const finished = await waitFor(
      async () => (await operationsOf(schedule.id)).filter((row) => row.finishedAt),
      (rows) => rows.length >= 2,
      { what: 'two scheduled runs', timeoutMs: 30_000 },
    );
    await harness.api('DELETE', `/v1/schedules/${schedule.id}`);
    const runs = (await operationsOf(schedule.id))
      .filter((row) => row.startedAt)
      .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    expect(finished.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < runs.length; i++) {
      const previous = runs[i - 1] as Operation;
      expect(previous.finishedAt, 'a run started before the previous finished').not.toBeNull();
      expect(Date.parse((runs[i] as Operation).startedAt)).toBeGreaterThanOrEqual(
        Date.parse(previous.finishedAt ?? ''),
      );
    }
  });

  it('backfills a past window with one run per due time, even while paused', async () => {
    const schedule = await createSchedule({
      job: 'scheduled',
      spec: { intervals: [{ every: '1m' }] },
    });
    // Paused, so the every-minute spec itself cannot add a run while the test waits; a backfill
    // is a manual action and runs anyway.
    expect((await harness.api('POST', `/v1/schedules/${schedule.id}/pause`, {})).status).toBe(200);
    const minute = 60_000;
    const from = Math.floor(Date.now() / minute) * minute - 10 * minute + 30_000;
    const response = await harness.api('POST', `/v1/schedules/${schedule.id}/backfill`, {
      from: new Date(from).toISOString(),
      to: new Date(from + 3 * minute).toISOString(),
    });
    expect(response.status).toBe(202);
    const runs = await waitFor(
      () => operationsOf(schedule.id),
      (rows) => rows.length >= 3 && rows.every((row) => row.status === 'completed'),
      { what: 'three backfilled runs' },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await operationsOf(schedule.id)).toHaveLength(runs.length);
    expect(runs).toHaveLength(3);
    await harness.api('DELETE', `/v1/schedules/${schedule.id}`);
  });

  it('sleep with their job: a paused job pauses its schedules and operations, resume wakes both', async () => {
    // Twenty batches of ten, four at a time: a pause leaves most of them waiting.
    await createJob(harness, {
      name: 'sleepy',
      stages: [{ name: 'only', handler: 'noop', batchSize: 10, params: { delayMs: 50 } }],
    });
    const many = await seedCollection(harness, 200);
    // A finished run with a failure, for a retry to be refused while the job sleeps.
    const failedOne = await startOperation(harness, {
      job: 'sleepy',
      collectionId: await seedCollection(harness, 2),
      params: { failKeys: ['k0'] },
    });
    expect((await waitForStatus(harness, failedOne, ['completed'])).counts.failed).toBe(1);
    const schedule = await createSchedule({ job: 'sleepy', spec: { cron: ['0 3 * * *'] } });
    const running = await startOperationOf('sleepy', many);
    await waitFor(
      async () => (await harness.api('GET', `/v1/operations/${running}`)).body.status,
      (status) => status === 'running',
      { what: 'the operation running' },
    );

    const paused = await harness.api('POST', '/v1/jobs/sleepy/pause');
    expect(paused.body).toMatchObject({ paused: true, schedules: 1, operations: 1 });
    expect((await harness.api('GET', `/v1/schedules/${schedule.id}`)).body.paused).toBe(true);
    const jobs = await harness.api('GET', '/v1/jobs');
    const sleepy = jobs.body.data.find((job: { name: string }) => job.name === 'sleepy');
    expect(sleepy.pausedAt).not.toBeNull();
    await waitFor(
      async () => (await harness.api('GET', `/v1/operations/${running}`)).body.status,
      (status) => status === 'paused',
      { what: 'the operation paused' },
    );
    // A run asked for while the job sleeps starts nothing.
    await harness.api('POST', `/v1/schedules/${schedule.id}/trigger`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await operationsOf(schedule.id)).toEqual([]);
    // Neither does a start by hand, nor a retry; a plan still answers.
    const start = await harness.api('POST', '/v1/operations', {
      job: 'sleepy',
      collectionId: many,
    });
    expectProblem(start, 409);
    expect(start.body.detail).toContain('Job sleepy is paused');
    expect(start.body.detail).toContain('POST /v1/jobs/sleepy/resume');
    const plan = await harness.api('POST', '/v1/operations', {
      job: 'sleepy',
      collectionId: many,
      mode: 'dry_run',
    });
    expect(plan.status).toBe(200);
    const retry = await harness.api('POST', `/v1/operations/${failedOne}/retry`);
    expectProblem(retry, 409);
    expect(retry.body.detail).toContain('Job sleepy is paused');

    const resumed = await harness.api('POST', '/v1/jobs/sleepy/resume');
    expect(resumed.body, JSON.stringify(resumed.body)).toMatchObject({
      paused: false,
      schedules: 1,
      operations: 1,
    });
    expect((await harness.api('GET', `/v1/schedules/${schedule.id}`)).body.paused).toBe(false);
    await waitFor(
      async () => (await harness.api('GET', `/v1/operations/${running}`)).body.status,
      (status) => status === 'completed',
      { what: 'the operation completed after resume' },
    );
    await harness.api('DELETE', `/v1/schedules/${schedule.id}`);
  });

  it('change what they run (job, params, scope), checked as a start is', async () => {
    const schedule = await createSchedule({ job: 'scheduled', spec: { cron: ['0 3 * * *'] } });
    await createJob(harness, {
      name: 'rescheduled',
      stages: [{ name: 'only', handler: 'noop', params: { cost: 1 } }],
    });
    const other = await seedCollection(harness, 2);
    const changed = await harness.api('PATCH', `/v1/schedules/${schedule.id}`, {
      job: 'rescheduled',
      collectionId: other,
      params: { cost: 2 },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      job: 'rescheduled',
      request: { job: 'rescheduled', collectionId: other, params: { cost: 2 } },
    });
    await harness.api('POST', `/v1/schedules/${schedule.id}/trigger`);
    const [run] = await waitFor(
      () => operationsOf(schedule.id),
      (runs) => runs.length === 1,
      { what: 'the changed schedule’s run' },
    );
    expect(run).toMatchObject({
      job: { name: 'rescheduled' },
      scope: { kind: 'collection', collectionId: other },
    });
    // Refused as a start would be, and nothing of the schedule changes.
    const unknownJob = await harness.api('PATCH', `/v1/schedules/${schedule.id}`, {
      job: 'no-such-job',
    });
    expectProblem(unknownJob, 404);
    const badParams = await harness.api('PATCH', `/v1/schedules/${schedule.id}`, {
      params: { cost: -1 },
    });
    expectProblem(badParams, 409);
    expect(JSON.stringify(badParams.body.invalid_params)).toContain('cost');
    // Fields the document allows alone but a start needs together: a conflict, naming them.
    const halfScope = await harness.api('PATCH', `/v1/schedules/${schedule.id}`, {
      scope: 'items',
    });
    expectProblem(halfScope, 409);
    expect(JSON.stringify(halfScope.body.invalid_params)).toContain('itemIds');
    const kept = await harness.api('GET', `/v1/schedules/${schedule.id}`);
    expect(kept.body.request).toMatchObject({ job: 'rescheduled', params: { cost: 2 } });
    await harness.api('DELETE', `/v1/schedules/${schedule.id}`);
  });

  it('refuses an unknown job, a bad cron and a bad time zone, naming the field', async () => {
    const missing = await harness.api('POST', '/v1/schedules', {
      job: 'nope',
      collectionId,
      spec: { cron: ['0 3 * * *'] },
    });
    expectProblem(missing, 404);
    const cron = await harness.api('POST', '/v1/schedules', {
      job: 'scheduled',
      collectionId,
      spec: { cron: ['61 3 * * *'] },
    });
    expectProblem(cron, 400);
    expect(JSON.stringify(cron.body.invalid_params)).toContain('spec');
    const zone = await harness.api('POST', '/v1/schedules', {
      job: 'scheduled',
      collectionId,
      spec: { cron: ['0 3 * * *'], timezone: 'Mars/Olympus' },
    });
    expectProblem(zone, 400);
    expect(JSON.stringify(zone.body.invalid_params)).toContain('timezone');
    const offset = await harness.api('POST', '/v1/schedules', {
      job: 'scheduled',
      collectionId,
      spec: { intervals: [{ every: '1m', offset: '2m' }] },
    });
    expectProblem(offset, 409);
  });
});
