import { Conflict } from '../common/domain-errors';
import { findTenantQuotas } from '../db/quotas';
import type { Schedule } from '../db/schedules';
import { refuseLargeBackfill } from './quotas';
import type { Overlap } from './spec';
import { orMissing, overlapPolicy } from './temporal';
import { findSchedule, type ScheduleContext } from './view';

/** Runs asked of a schedule by hand: one now, or those a past window would have had. */

/** Asks Temporal for one run now, under the schedule's overlap policy unless told another. */
export async function triggerSchedule(
  context: ScheduleContext,
  tenantId: string,
  id: string,
  overlap?: Overlap,
): Promise<Schedule> {
  const schedule = await findSchedule(context, tenantId, id);
  await context.temporal.schedule
    .getHandle(schedule.id)
    .trigger(overlapPolicy(overlap ?? (schedule.overlap as Overlap)))
    .catch(orMissing(schedule.id));
  return schedule;
}

/**
 * Asks Temporal for the runs a past window would have had, all of them unless an overlap
 * policy says otherwise; a window holding more runs than the tenant's quota asks for none.
 */
export async function backfillSchedule(
  context: ScheduleContext,
  tenantId: string,
  id: string,
  window: { from: string; to: string; overlap?: Overlap },
): Promise<Schedule> {
  const schedule = await findSchedule(context, tenantId, id);
  const { from, to, overlap } = window;
  if (Date.parse(from) >= Date.parse(to)) {
    throw Conflict.over([{ name: 'to', reason: 'must be after `from`' }]);
  }
  await refuseLargeBackfill(
    context.temporal,
    await findTenantQuotas(context.database.sql, schedule.tenantId),
    schedule.id,
    { from: new Date(from), to: new Date(to) },
  ).catch(orMissing(schedule.id));
  await context.temporal.schedule
    .getHandle(schedule.id)
    .backfill({
      start: new Date(from),
      end: new Date(to),
      overlap: overlapPolicy(overlap ?? 'allow_all'),
    })
    .catch(orMissing(schedule.id));
  return schedule;
}
