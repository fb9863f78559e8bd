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
/** The second tenant's admin key. */
let other: string;
beforeAll(async () => {
  // Two batch slots: the backlog waits in Temporal's task queue, where fairness orders it.
  harness = await startHarness({ maxConcurrentActivities: 2 });
  const tenant = await harness.api('POST', '/v1/tenants', { name: 'tenant-b' });
  other = tenant.body.key;
});
afterAll(async () => {
  await harness?.stop();
});

const smallJob = { name: 'small', stages: [{ name: 'only', handler: 'noop' }] };

describe('fair sharing between tenants', () => {
  it('runs a small operation of one tenant ahead of another tenant’s backlog', async () => {
    await createJob(harness, {
      name: 'backfill',
      stages: [{ name: 'slow', handler: 'noop', params: { delayMs: 5 }, concurrency: 10 }],
    });
    await createJob(harness, smallJob);
    expect((await harness.api('POST', '/v1/jobs', smallJob, other)).status).toBe(201);
    const backfills = [];
    for (let i = 0; i < 3; i++) {
      const collectionId = await seedCollection(harness, 4_000);
      backfills.push(await startOperation(harness, { job: 'backfill', collectionId }));
    }
    const mine = await seedCollection(harness, 100);
    const theirs = (await harness.api('POST', '/v1/collections', { name: 'theirs' }, other)).body
      .id;
    const items = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}` }));
    await harness.api('POST', `/v1/collections/${theirs}/items`, { items }, other);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // The backfill's own tenant starts a small run first; the other tenant's comes just after.
    const started = Date.now();
    const sameTenant = await startOperation(harness, { job: 'small', collectionId: mine });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const start = await harness.api(
      'POST',
      '/v1/operations',
      { job: 'small', collectionId: theirs },
      other,
    );
    expect(start.status).toBe(202);
    const sameDone = await waitForStatus(harness, sameTenant, ['completed']);
    const otherDone = await waitFor(start.body.id);
    const finished = (operation: { finishedAt: string }) =>
      new Date(operation.finishedAt).getTime() - started;
    // Behind its own tenant's backlog a run waits its turn; the other tenant's does not.
    expect(finished(sameDone)).toBeGreaterThan(1_000);
    expect(finished(otherDone)).toBeLessThan(finished(sameDone));
    for (const id of backfills) await harness.api('POST', `/v1/operations/${id}/cancel`);
  });

  it('shares the workers about 3:1 between tenants of weights 3 and 1 while both wait', async () => {
    const tenants = (await harness.api('GET', '/v1/tenants')).body.data;
    const weights = { default: 3, 'tenant-b': 1 } as Record<string, number>;
    for (const tenant of tenants) {
      if (weights[tenant.name]) {
        const set = await harness.api('PATCH', `/v1/tenants/${tenant.id}`, {
          fairnessWeight: weights[tenant.name],
        });
        expect(set.body.fairnessWeight).toBe(weights[tenant.name]);
      }
    }
    // Fixed batches of 50 short items: many dispatches, so the shares show within seconds.
    const job = {
      name: 'steady',
      stages: [
        { name: 'work', handler: 'noop', params: { delayMs: 10 }, concurrency: 5, batchSize: 50 },
      ],
    };
    await createJob(harness, job);
    expect((await harness.api('POST', '/v1/jobs', job, other)).status).toBe(201);
    const started: Record<'mine' | 'theirs', string[]> = { mine: [], theirs: [] };
    for (let i = 0; i < 2; i++) {
      const mine = await seedCollection(harness, 6_000);
      const theirs = (await harness.api('POST', '/v1/collections', { name: `steady-${i}` }, other))
        .body.id;
      for (const from of [0, 3_000]) {
        const items = Array.from({ length: 3_000 }, (_, n) => ({ key: `s${from + n}` }));
        await harness.api('POST', `/v1/collections/${theirs}/items`, { items }, other);
      }
      started.mine.push(await startOperation(harness, { job: 'steady', collectionId: mine }));
      const theirStart = await harness.api(
        'POST',
        '/v1/operations',
        { job: 'steady', collectionId: theirs },
        other,
      );
      started.theirs.push(theirStart.body.id);
    }
    const done = async (ids: string[], key?: string) => {
      let sum = 0;
      for (const id of ids) {
        sum += (await harness.api('GET', `/v1/operations/${id}`, undefined, key)).body.counts.done;
      }
      return sum;
    };
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const before = { mine: await done(started.mine), theirs: await done(started.theirs, other) };
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const after = { mine: await done(started.mine), theirs: await done(started.theirs, other) };
    const mine = after.mine - before.mine;
    const theirs = after.theirs - before.theirs;
    // Both still had work waiting at the end of the window, or the shares would say nothing.
    expect(after.mine).toBeLessThan(12_000);
    expect(after.theirs).toBeLessThan(12_000);
    expect(theirs).toBeGreaterThan(0);

    expect(mine / theirs).toBeGreaterThan(2);
    expect(mine / theirs).toBeLessThan(4.5);
    for (const id of started.mine) await harness.api('POST', `/v1/operations/${id}/cancel`);
    for (const id of started.theirs)
      await harness.api('POST', `/v1/operations/${id}/cancel`, undefined, other);
  });

  it('lays an operation out within its tenant’s parallelism, for starts and schedule runs', async () => {
    const tenants = (await harness.api('GET', '/v1/tenants')).body.data;
    const tenantB = tenants.find((tenant: { name: string }) => tenant.name === 'tenant-b');
    const set = await harness.api('PATCH', `/v1/tenants/${tenantB.id}`, { parallelism: 6 });
    expect(set.body).toMatchObject({ parallelism: 6, fairnessWeight: 1 });
    const invalid = await harness.api('PATCH', `/v1/tenants/${tenantB.id}`, { parallelism: 0 });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body.invalid_params)).toContain('parallelism');

    const job = { name: 'laid-out', stages: [{ name: 'only', handler: 'noop' }] };
    expect((await harness.api('POST', '/v1/jobs', job, other)).status).toBe(201);
    const collectionId = (await harness.api('POST', '/v1/collections', { name: 'laid' }, other))
      .body.id;
    await harness.api(
      'POST',
      `/v1/collections/${collectionId}/items`,
      { items: [{ key: 'a' }] },
      other,
    );
    const started = await harness.api(
      'POST',
      '/v1/operations',
      { job: 'laid-out', collectionId },
      other,
    );
    expect(started.status).toBe(202);
    // Four chunks side by side with one batch each: at most 6 batches, as the tenant allows.
    expect((await workflowInput(started.body.id)).settings).toMatchObject({
      parallelChunks: 4,
      parallelBatches: 1,
    });
    await waitFor(started.body.id);

    // A schedule made before the change runs with the tenant's parallelism as it is now.
    const schedule = await harness.api(
      'POST',
      '/v1/schedules',
      { job: 'laid-out', collectionId, spec: { cron: ['0 3 * * *'] } },
      other,
    );
    expect(schedule.status).toBe(201);
    await harness.api('PATCH', `/v1/tenants/${tenantB.id}`, { parallelism: 2 });
    await harness.api('POST', `/v1/schedules/${schedule.body.id}/trigger`, undefined, other);
    let scheduled: { id: string } | undefined;
    while (!scheduled) {
      const listed = await harness.api(
        'GET',
        `/v1/operations?scheduleId=${schedule.body.id}`,
        undefined,
        other,
      );
      scheduled = listed.body.data[0];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await waitFor(scheduled.id);
    expect((await workflowInput(scheduled.id)).settings).toMatchObject({
      parallelChunks: 2,
      parallelBatches: 1,
    });
    await harness.api('DELETE', `/v1/schedules/${schedule.body.id}`, undefined, other);
  });
});

/** The input an operation's workflow was started with, as Temporal recorded it. */
async function workflowInput(operationId: string) {
  const history = await harness.temporal.workflow.getHandle(operationId).fetchHistory();
  const payload =
    history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return JSON.parse(Buffer.from(payload?.data ?? '').toString());
}

async function waitFor(id: string) {
  for (;;) {
    const operation = (await harness.api('GET', `/v1/operations/${id}`, undefined, other)).body;
    if (operation.status === 'completed') return operation;
    if (['failed', 'cancelled'].includes(operation.status))
      throw new Error(`operation ${id} ended ${operation.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
