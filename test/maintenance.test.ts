import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../common/config';
import type { MaintenanceInput } from '../common/maintenance';
import { installMaintenanceSchedule } from '../runtime/maintenance-schedule';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitFor,
  waitForStatus,
} from './harness';

let harness: Harness;
let scheduleId: string;

beforeAll(async () => {
  harness = await startHarness();
  const config = {
    TASK_QUEUE: harness.taskQueue,
    MAINTENANCE_EVERY_SECONDS: 3600,
    EVENT_RETENTION_DAYS: 30,
    TEST_RETENTION_DAYS: 7,
  };
  // Ten processes starting at once: one schedule.
  const ids = await Promise.all(
    Array.from({ length: 10 }, () => installMaintenanceSchedule(harness.temporal, config, 0)),
  );
  scheduleId = ids[0] ?? '';
});
afterAll(async () => {
  await harness.temporal.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await harness?.stop();
});

describe('global maintenance', () => {
  it('is one schedule however many processes install it', async () => {
    const ids: string[] = [];
    for await (const schedule of harness.temporal.schedule.list()) {
      if (schedule.scheduleId === scheduleId) ids.push(schedule.scheduleId);
    }
    expect(ids).toEqual([scheduleId]);
    const described = await harness.temporal.schedule.getHandle(scheduleId).describe();
    expect(described.spec.intervals?.[0]?.every).toBe(3_600_000);
  });

  it('runs every minute by default and checks operations still for 30 s: a close outside Conveyor shows within 90 s', async () => {
    const config = loadConfig({ ...process.env, TASK_QUEUE: `${harness.taskQueue}-defaults` });
    const id = await installMaintenanceSchedule(harness.temporal, config);
    try {
      const described = await harness.temporal.schedule.getHandle(id).describe();
      expect(described.spec.intervals?.[0]?.every).toBe(60_000);
      const action = described.action as { args?: MaintenanceInput[] };
      expect(action.args?.[0]?.quietSeconds).toBe(30);
    } finally {
      await harness.temporal.schedule.getHandle(id).delete();
    }
  });

  it('records the true status of an operation whose workflow was terminated behind its back', async () => {
    const collectionId = await seedCollection(harness, 40);
    await createJob(harness, {
      name: 'terminated',
      stages: [{ name: 'slow', handler: 'noop', params: { delayMs: 500 } }],
    });
    const lost = await startOperation(harness, { job: 'terminated', collectionId });
    const healthy = await startOperation(harness, { job: 'terminated', collectionId });
    await waitForStatus(harness, lost, ['running']);
    await harness.temporal.workflow.getHandle(lost).terminate('terminated outside Conveyor');
    expect((await harness.api('GET', `/v1/operations/${lost}`)).body.status).toBe('running');

    // Events past retention (30 days) go in the same run; newer ones stay. So do the summaries
    // of maintenance runs as old.
    await harness.database.sql`
      insert into maintenance_runs (workflow_id, started_at, summary)
      values ('maintenance-of-old', now() - interval '40 days', '{}')`;
    const [tenant] = await harness.database.sql<{ id: string }[]>`select id from tenants limit 1`;
    await harness.database.sql`
      insert into events (tenant_id, type, data, created_at)
      select ${tenant?.id ?? ''}::uuid, 'operation.progress', '{"old":true}', now() - interval '40 days'
      from generate_series(1, 3)`;
    // A handler's log line as old goes too.
    await harness.database.sql`
      insert into operation_logs (tenant_id, operation_id, stage_name, level, message, created_at)
      values (${tenant?.id ?? ''}::uuid, ${lost}, 'slow', 'info', 'old line', now() - interval '40 days')`;
    await harness.temporal.schedule.getHandle(scheduleId).trigger();
    const repaired = await waitFor(
      async () => (await harness.api('GET', `/v1/operations/${lost}`)).body,
      (operation) => operation.status !== 'running',
      { what: 'the terminated operation reconciled' },
    );
    expect(repaired).toMatchObject({ status: 'failed' });
    expect(repaired.error).toContain('terminated outside Conveyor');
    // An operation whose workflow runs is left alone.
    expect(['running', 'completed']).toContain(
      (await harness.api('GET', `/v1/operations/${healthy}`)).body.status,
    );

    const runs = await waitFor(
      async () => (await harness.api('GET', '/v1/maintenance')).body,
      (body) => body.data.length > 0,
      { what: 'the maintenance run recorded' },
    );
    expect(runs.scheduleId).toBe(scheduleId);
    expect(runs.data[0].summary).toMatchObject({
      reconciled: 1,
      eventsDeleted: 3,
      logLinesDeleted: 1,
      maintenanceRunsDeleted: 1,
    });
    const [left] = await harness.database.sql<{ count: number }[]>`
      select count(*)::int as count from events where data ? 'old'`;
    expect(left?.count).toBe(0);
    const events = await harness.api('GET', '/v1/events?type=maintenance.completed');
    expect(events.body.data[0].data.reconciled[0]).toMatchObject({
      operationId: lost,
      was: 'running',
      now: 'failed',
    });
  });
});
