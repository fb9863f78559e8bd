import { randomUUID } from 'node:crypto';
import { NotFound } from '../common/domain-errors';
import { SCHEDULE_ID_PREFIX } from '../common/schedules';
import { inTransaction } from '../db/client';
import { findJob } from '../db/jobs';
import { findTenantQuotas } from '../db/quotas';
import { insertSchedule, type Schedule } from '../db/schedules';
import { engineSettings } from '../operations/plan';
import { admitOneMore } from '../operations/quotas';
import type { StartRequest } from '../operations/request';
import { type Requester, type StartContext, startOperation } from '../operations/start';
import { refuseShortInterval } from './quotas';
import { durationMs, type Overlap, type ScheduleSpecInput } from './spec';
import { createTemporalSchedule, temporalSpec } from './temporal';

/** A new schedule: what each run starts (a start request) and when. */
export interface NewSchedule {
  request: Omit<StartRequest, 'idempotencyKey'>;
  spec: ScheduleSpecInput;
  overlap: Overlap;
  catchupWindow?: string;
  note?: string;
}

/**
 * Makes a schedule: its record and its Temporal Schedule, both or neither. Its request passes
 * the checks a start would (job, collection, items, params) before anything is made, and a job
 * that is paused gets a schedule that is paused too.
 */
export async function createSchedule(
  context: StartContext,
  requester: Requester,
  input: NewSchedule,
): Promise<Schedule> {
  const { request, spec, overlap, catchupWindow, note } = input;
  const { database, settings } = context;
  const tenantId = requester.tenantId;
  const temporal = temporalSpec(spec);
  refuseShortInterval(await findTenantQuotas(database.sql, tenantId), spec);
  await startOperation(context, requester, { ...request, mode: 'dry_run' });
  const job = await findJob(database.db, tenantId, request.job);
  if (!job) throw new NotFound([{ name: 'job', reason: `no job "${request.job}"` }]);
  const id = `${SCHEDULE_ID_PREFIX}${randomUUID()}`;
  return inTransaction(database, async (tx) => {
    await admitOneMore(tx, tenantId, 'schedules');
    const row = await insertSchedule(tx.db, {
      id,
      tenantId,
      jobName: job.name,
      request,
      spec,
      overlap,
      catchupWindowSeconds: catchupWindow ? durationMs(catchupWindow) / 1000 : null,
      note: note ?? null,
    });
    // Inside the transaction: a schedule Temporal refused leaves no record.
    await createTemporalSchedule(context.temporal, {
      id,
      spec: temporal,
      overlap,
      catchupWindowMs: catchupWindow ? durationMs(catchupWindow) : undefined,
      note,
      paused: job.pausedAt !== null,
      taskQueue: settings.taskQueue,
      run: {
        tenantId,
        scheduleId: id,
        request,
        settings: engineSettings(settings, requester.parallelism),
      },
    });
    return row;
  });
}
