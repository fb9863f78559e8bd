import type { Client } from '@temporalio/client';
import { NotFound } from '../common/domain-errors';
import type { Database } from '../db/client';
import { getSchedule, lastScheduledOperation, listSchedules, type Schedule } from '../db/schedules';
import { describeTemporalSchedule } from './temporal';

/** What a schedule's use cases work with; nothing of HTTP. */
export interface ScheduleContext {
  database: Database;
  temporal: Client;
}

/** A schedule as it is shown: its record, Temporal's state and its last operation. */
export interface ScheduleView {
  id: string;
  job: string;
  request: Record<string, unknown>;
  spec: Record<string, unknown>;
  overlap: string;
  catchupWindow: string | null;
  note: string | null;
  paused: boolean;
  nextRuns: string[];
  runs: number;
  lastRun: { at: string; operationId: string; status: string } | null;
  createdAt: string;
}

/** The tenant's schedule with this id; NotFound when it has none. */
export async function findSchedule(
  context: ScheduleContext,
  tenantId: string,
  id: string,
): Promise<Schedule> {
  const schedule = await getSchedule(context.database.db, tenantId, id);
  if (!schedule) throw NotFound.resource('schedule', id);
  return schedule;
}

export async function viewSchedule(
  context: ScheduleContext,
  schedule: Schedule,
): Promise<ScheduleView> {
  const [temporal, last] = await Promise.all([
    describeTemporalSchedule(context.temporal, schedule),
    lastScheduledOperation(context.database.db, schedule.tenantId, schedule.id),
  ]);
  return {
    id: schedule.id,
    job: schedule.jobName,
    request: schedule.request,
    spec: schedule.spec,
    overlap: schedule.overlap,
    catchupWindow: schedule.catchupWindowSeconds ? `${schedule.catchupWindowSeconds}s` : null,
    note: temporal.note ?? schedule.note,
    paused: temporal.paused,
    nextRuns: temporal.nextRuns,
    runs: temporal.runs,
    lastRun: last
      ? { at: last.createdAt.toISOString(), operationId: last.id, status: last.status }
      : null,
    createdAt: schedule.createdAt.toISOString(),
  };
}

/** Every schedule of the tenant, newest first, as shown. */
export async function listScheduleViews(
  context: ScheduleContext,
  tenantId: string,
): Promise<ScheduleView[]> {
  const rows = await listSchedules(context.database.db, tenantId);
  return Promise.all(rows.map((row) => viewSchedule(context, row)));
}
