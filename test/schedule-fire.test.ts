import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduledActivities } from '../activities/scheduled';
import { DEFAULT_LEDGER_VERSION } from '../common/domain';
import { Conflict } from '../common/domain-errors';
import type { ScheduledRunInput } from '../common/schedules';
import { createHandlerRegistry } from '../handlers/registry';
import { fireSchedule } from '../schedules/fire';
import { createJob, type Harness, seedCollection, startHarness } from './harness';

// Firing a schedule's run as the use case, on the suite's real Postgres: what it records, when
// it records nothing, and how the activity fails a run that can never succeed. The run's input
// is the one Temporal holds for the schedule, as a real run gets it.

let harness: Harness;
const handlers = createHandlerRegistry();

beforeAll(async () => {
  harness = await startHarness();
  await createJob(harness, { name: 'fired', stages: [{ name: 'only', handler: 'noop' }] });
});
afterAll(async () => {
  await harness?.stop();
});

/** A schedule that is not due for a long time, and the input each of its runs gets. */
async function yearlySchedule(collectionId: string) {
  const made = await harness.api('POST', '/v1/schedules', {
    job: 'fired',
    collectionId,
    spec: { cron: ['0 3 1 1 *'] },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const description = await harness.temporal.schedule.getHandle(made.body.id).describe();
  const [input] = (description.action as { args: ScheduledRunInput[] }).args;
  if (!input) throw new Error('the schedule holds no run input');
  return { id: made.body.id as string, input };
}

const context = () => ({ database: harness.database, handlers, ledger: DEFAULT_LEDGER_VERSION });

const recordedBy = (scheduleId: string) => harness.database.sql<
  { id: string; requestedBy: string; status: string }[]
>`select id, requested_by as "requestedBy", status from operations
    where schedule_id = ${scheduleId}`;

describe('firing a schedule', () => {
  it('records its operation as the schedule’s, with a schedule.fired event', async () => {
    const schedule = await yearlySchedule(await seedCollection(harness, 3));
    const fired = await fireSchedule(context(), schedule.input);
    expect(fired?.input.operationId).toBe(fired?.operationId);
    expect(await recordedBy(schedule.id)).toEqual([
      { id: fired?.operationId, requestedBy: `schedule ${schedule.id}`, status: 'queued' },
    ]);
    const events = await harness.database.sql<{ type: string }[]>`
      select type from events where operation_id = ${fired?.operationId ?? ''} order by id`;
    expect(events.map((event) => event.type)).toEqual(['operation.created', 'schedule.fired']);
  });

  it('starts nothing while its job is paused', async () => {
    const schedule = await yearlySchedule(await seedCollection(harness, 1));
    expect((await harness.api('POST', '/v1/jobs/fired/pause')).status).toBe(200);
    try {
      expect(await fireSchedule(context(), schedule.input)).toBeNull();
    } finally {
      expect((await harness.api('POST', '/v1/jobs/fired/resume')).status).toBe(200);
    }
    expect(await recordedBy(schedule.id)).toEqual([]);
  });

  it('is a conflict saying why once its request can no longer succeed', async () => {
    const collectionId = await seedCollection(harness, 1);
    const schedule = await yearlySchedule(collectionId);
    expect((await harness.api('DELETE', `/v1/collections/${collectionId}`)).status).toBe(204);
    const refusal = fireSchedule(context(), schedule.input);
    await expect(refusal).rejects.toBeInstanceOf(Conflict);
    await expect(refusal).rejects.toThrow(
      `schedule ${schedule.id} cannot start its operation: collectionId: no collection ${collectionId} in this tenant`,
    );
    expect(await recordedBy(schedule.id)).toEqual([]);
  });

  it('fails the activity at once, without retries, once its schedule is deleted', async () => {
    const schedule = await yearlySchedule(await seedCollection(harness, 1));
    expect((await harness.api('DELETE', `/v1/schedules/${schedule.id}`)).status).toBe(204);
    const activities = createScheduledActivities({
      database: harness.database,
      handlers,
      temporal: harness.temporal,
      retention: { EVENT_RETENTION_DAYS: 30, TEST_RETENTION_DAYS: 7 },
    });
    const failure = await activities.recordScheduledOperation(schedule.input).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'ScheduledRequestRefused',
      nonRetryable: true,
      message: `schedule ${schedule.id} no longer exists`,
    });
    expect(await recordedBy(schedule.id)).toEqual([]);
  });
});
