import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitFor,
  waitForStatus,
} from './harness';

/** Who a run is for (seed 003): the end user a start names, kept, shown, filtered and told. */

let harness: Harness;
let collectionId: string;

beforeAll(async () => {
  harness = await startHarness();
  collectionId = await seedCollection(harness, 2);
  await createJob(harness, { name: 'for-users', stages: [{ name: 'only', handler: 'noop' }] });
});
afterAll(async () => {
  await harness?.stop();
});

describe('the end user a run is for', () => {
  it('is kept, shown, filterable, and carried in the run’s events', async () => {
    const mine = await startOperation(harness, {
      job: 'for-users',
      collectionId,
      requestedFor: 'user-42',
    });
    // With a failure, so a bulk retry has something to take.
    const theirs = await startOperation(harness, {
      job: 'for-users',
      collectionId,
      requestedFor: 'user-7',
      params: { failKeys: ['k0'] },
    });
    const done = await waitForStatus(harness, mine, ['completed']);
    expect(done).toMatchObject({ requestedFor: 'user-42', requestedBy: expect.any(String) });
    await waitForStatus(harness, theirs, ['completed']);

    const listed = await harness.api('GET', '/v1/operations?requestedFor=user-42');
    expect(listed.body.data.map((operation: { id: string }) => operation.id)).toEqual([mine]);
    const bulk = await harness.api('POST', '/v1/operations/retry', {
      requestedFor: 'user-7',
      dryRun: true,
    });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body).toMatchObject({ matched: 1, operations: [{ id: theirs }] });

    const events = (await harness.api('GET', `/v1/operations/${mine}/events`)).body.data;
    const data = (type: string) =>
      events.find((event: { type: string }) => event.type === type)?.data;
    expect(data('operation.created')).toMatchObject({ requestedFor: 'user-42' });
    expect(data('operation.completed')).toMatchObject({ requestedFor: 'user-42' });
  });

  it('comes with a schedule’s runs', async () => {
    const schedule = await harness.api('POST', '/v1/schedules', {
      job: 'for-users',
      collectionId,
      requestedFor: 'user-9',
      spec: { cron: ['0 3 * * *'] },
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
    await harness.api('POST', `/v1/schedules/${schedule.body.id}/trigger`);
    const [run] = await waitFor(
      async () =>
        (await harness.api('GET', `/v1/operations?scheduleId=${schedule.body.id}`)).body.data,
      (runs) => runs.length === 1,
      { what: 'the schedule’s run' },
    );
    expect(run.requestedFor).toBe('user-9');
    await harness.api('DELETE', `/v1/schedules/${schedule.body.id}`);
  });
});
