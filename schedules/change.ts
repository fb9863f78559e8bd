import { ScheduleNotFoundError } from '@temporalio/client';
import { Conflict, InvalidInput } from '../common/domain-errors';
import { inTransaction } from '../db/client';
import { findJob } from '../db/jobs';
import { findTenantQuotas } from '../db/quotas';
import { deleteSchedule, type Schedule, updateSchedule } from '../db/schedules';
import { type StartRequest, startRequest } from '../operations/request';
import { type Requester, type StartContext, startOperation } from '../operations/start';
import { refuseShortInterval } from './quotas';
import { durationMs, type Overlap, type ScheduleSpecInput } from './spec';
import { orMissing, overlapPolicy, specRefused, temporalSpec } from './temporal';
import { findSchedule, type ScheduleContext } from './view';

/** What may change of a schedule; what is left out stays as it is. */
export interface ScheduleChanges {
  /** What its runs start: another job, other params, another scope (all three of it at once). */
  job?: string;
  params?: Record<string, unknown>;
  collectionId?: string;
  itemIds?: number[];
  scope?: StartRequest['scope'];
  spec?: ScheduleSpecInput;
  overlap?: Overlap;
  catchupWindow?: string;
  note?: string;
}

/** The run request with the changes laid over it; undefined when none touches what runs. */
function changedRequest(
  request: Schedule['request'],
  changes: ScheduleChanges,
): Schedule['request'] | undefined {
  const { job, params, collectionId, itemIds, scope } = changes;
  const rescoped = collectionId !== undefined || itemIds !== undefined || scope !== undefined;
  if (job === undefined && params === undefined && !rescoped) return undefined;
  const { collectionId: _c, itemIds: _i, scope: _s, ...kept } = request;
  return {
    ...(rescoped ? kept : request),
    ...(job !== undefined ? { job } : {}),
    ...(params !== undefined ? { params } : {}),
    ...(rescoped ? { collectionId, itemIds, scope } : {}),
  };
}

/**
 * Changes what a schedule's runs start (job, params, scope: checked as a start would be, with a
 * dry run), when they run, its overlap policy, catch-up window or note, in its record and in
 * Temporal together: a change Temporal refuses leaves the record as it was.
 */
export async function changeSchedule(
  context: StartContext,
  requester: Requester,
  id: string,
  changes: ScheduleChanges,
): Promise<Schedule> {
  const schedule = await findSchedule(context, requester.tenantId, id);
  const request = changedRequest(schedule.request, changes);
  let jobName: string | undefined;
  if (request) {
    const asked = startRequest.parse(request);
    // The change is well-formed by the document, which cannot say which scope fields go
    // together; a combination a start refuses is a conflict of the parts, as for other routes.
    await startOperation(context, requester, { ...asked, mode: 'dry_run' }).catch((error) => {
      throw error instanceof InvalidInput ? Conflict.over(error.fields) : error;
    });
    jobName = (await findJob(context.database.db, requester.tenantId, asked.job))?.name;
  }
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
      ...(request ? { request, ...(jobName ? { jobName } : {}) } : {}),
    });
    await context.temporal.schedule
      .getHandle(schedule.id)
      .update((previous) => ({
        ...previous,
        // The record's request is what a run starts; Temporal's copy is kept the same for its UI.
        action:
          request && previous.action.type === 'startWorkflow'
            ? {
                ...previous.action,
                args: (previous.action.args ?? []).map((arg) =>
                  typeof arg === 'object' && arg !== null ? { ...arg, request } : arg,
                ),
              }
            : previous.action,
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
