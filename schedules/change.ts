import { ScheduleNotFoundError } from '@temporalio/client';
import { inTransaction } from '../db/client';
import { findTenantQuotas } from '../db/quotas';
import { deleteSchedule, type Schedule, updateSchedule } from '../db/schedules';
import { refuseShortInterval } from './quotas';
import { durationMs, type Overlap, type ScheduleSpecInput } from './spec';
import { orMissing, overlapPolicy, specRefused, temporalSpec } from './temporal';
import { findSchedule, type ScheduleContext } from './view';

/** What may change of a schedule; what is left out stays as it is. */
export interface ScheduleChanges {
  spec?: ScheduleSpecInput;
  overlap?: Overlap;
  catchupWindow?: string;
  note?: string;
}

/**
 * Changes when a schedule runs, its overlap policy, catch-up window or note, in its record and
 * in Temporal together: a change Temporal refuses leaves the record as it was.
 */
export async function changeSchedule(
  context: ScheduleContext,
  tenantId: string,
  id: string,
  changes: ScheduleChanges,
): Promise<Schedule> {
  const schedule = await findSchedule(context, tenantId, id);
  const spec = changes.spec ? temporalSpec(changes.spec) : undefined;
  if (changes.spec) {
    refuseShortInterval(
      await findTenantQuotas(context.database.sql, schedule.tenantId),
      changes.spec,
    );
  }
  return inTransaction(context.database, async (tx) => {
    const row = await updateSchedule(tx.db, schedule.id, {
      ...(changes.spec ? { spec: changes.spec } : {}),
      ...(changes.overlap ? { overlap: changes.overlap } : {}),
      ...(changes.catchupWindow
        ? { catchupWindowSeconds: durationMs(changes.catchupWindow) / 1000 }
        : {}),
      ...(changes.note !== undefined ? { note: changes.note } : {}),
    });
    await context.temporal.schedule
      .getHandle(schedule.id)
      .update((previous) => ({
        ...previous,
        spec: spec ?? previous.spec,
        policies: {
          ...previous.policies,
          ...(changes.overlap ? { overlap: overlapPolicy(changes.overlap) } : {}),
          ...(changes.catchupWindow ? { catchupWindow: durationMs(changes.catchupWindow) } : {}),
        },
        state: {
          ...previous.state,
          ...(changes.note !== undefined ? { note: changes.note } : {}),
        },
      }))
      .catch(orMissing(schedule.id))
      .catch(specRefused);
    return row ?? schedule;
  });
}

/** Deletes a schedule from Temporal and then its record; the operations it started go on. */
export async function removeSchedule(
  context: ScheduleContext,
  tenantId: string,
  id: string,
): Promise<void> {
  const schedule = await findSchedule(context, tenantId, id);
  await context.temporal.schedule
    .getHandle(schedule.id)
    .delete()
    .catch((error) => {
      // Already gone from Temporal: the record goes too.
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    });
  await deleteSchedule(context.database.db, schedule.id);
}

/** Pauses a schedule (no run starts until it is unpaused) or unpauses it, with a note why. */
export async function setSchedulePaused(
  context: ScheduleContext,
  tenantId: string,
  id: string,
  paused: boolean,
  note?: string,
): Promise<Schedule> {
  const schedule = await findSchedule(context, tenantId, id);
  const handle = context.temporal.schedule.getHandle(schedule.id);
  await (paused
    ? handle.pause(note ?? 'paused through the API')
    : handle.unpause(note ?? 'unpaused through the API')
  ).catch(orMissing(schedule.id));
  return schedule;
}
