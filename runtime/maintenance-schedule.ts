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
  log: (line: string) => void = () => {},
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
  const install = async () => {
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
      await temporal.schedule.getHandle(scheduleId).update((previous) => ({
        ...previous,
        spec,
        action,
        policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP },
      }));
    }
  };
  await withPatience(install, log);
  return scheduleId;
}

/** How long a start waits for Temporal to take the schedule before it gives up, with the reason. */
const PATIENCE_MS = 120_000;

/**
 * Temporal may not answer yet (a fresh cluster warms up for seconds: "Failed to describe
 * schedule (4 DEADLINE_EXCEEDED)"), and another API process may have made or changed the
 * schedule a moment ago, so an update meets it mid-change. Tries again with backoff, saying so,
 * for up to two minutes; a lasting refusal still stops the start, with its reason.
 */
async function withPatience(work: () => Promise<void>, log: (line: string) => void) {
  const deadline = Date.now() + PATIENCE_MS;
  for (let wait = 200; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() + wait > deadline) throw error;
      log(
        `Temporal did not take the maintenance schedule yet (${(error as Error).message}); trying again in ${wait / 1000} s …`,
      );
      await setTimeout(wait);
    }
  }
}
