import { setTimeout } from 'node:timers/promises';
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Config } from '../common/config';
import { WORKFLOW_TYPES } from '../common/constants';
import { type MaintenanceInput, maintenanceScheduleId } from '../common/maintenance';

type MaintenanceConfig = Pick<
  Config,
  'TASK_QUEUE' | 'MAINTENANCE_EVERY_SECONDS' | 'EVENT_RETENTION_DAYS' | 'TEST_RETENTION_DAYS'
>;

/**
 * Installs the deployment's one global maintenance schedule, or brings an existing one to this
 * definition: every process that starts calls it, and however many do, one schedule results.
 */
export async function installMaintenanceSchedule(
  temporal: Client,
  config: MaintenanceConfig,
  /** An unfinished operation is checked once its record has been still this long. */
  quietSeconds = 60,
): Promise<string> {
  const scheduleId = maintenanceScheduleId(config.TASK_QUEUE);
  const input: MaintenanceInput = {
    eventRetentionDays: config.EVENT_RETENTION_DAYS,
    testRetentionDays: config.TEST_RETENTION_DAYS,
    quietSeconds,
  };
  const spec = { intervals: [{ every: config.MAINTENANCE_EVERY_SECONDS * 1000 }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: WORKFLOW_TYPES.maintenance,
    workflowId: scheduleId,
    taskQueue: config.TASK_QUEUE,
    args: [input],
  };
  try {
    await temporal.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      state: { note: 'Conveyor global maintenance: reconciles, repairs, applies retention' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await updateWithPatience(() =>
      temporal.schedule.getHandle(scheduleId).update((previous) => ({
        ...previous,
        spec,
        action,
        policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP },
      })),
    );
  }
  return scheduleId;
}

/**
 * Another API process may have made or changed the schedule a moment ago (a cluster starts its
 * APIs one after another): an update can then meet the schedule mid-change. A few tries over
 * about three seconds ride that out; a lasting refusal still stops the start, with its reason.
 */
async function updateWithPatience(update: () => Promise<void>): Promise<void> {
  for (let wait = 200; ; wait *= 2) {
    try {
      return await update();
    } catch (error) {
      if (wait > 1_600) throw error;
      await setTimeout(wait);
    }
  }
}
