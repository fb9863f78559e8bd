import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Config } from '../common/config';
import { WORKFLOW_TYPES } from '../common/constants';
import { type MaintenanceInput, maintenanceScheduleId } from '../common/maintenance';
import { type Dependency, isTemporalNotReadyYet, type WaitOptions, waitOut } from './waiting';

const TEMPORAL_TAKES_SCHEDULE: Dependency = {
  name: 'Temporal to take the maintenance schedule',
  fix: 'start it, or fix TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE)',
  passes: isTemporalNotReadyYet,
};

/** Each try's bound, so one lost request does not hold the start. */
const TRY_MS = 10_000;

type MaintenanceConfig = Pick<
  Config,
  'TASK_QUEUE' | 'MAINTENANCE_EVERY_SECONDS' | 'EVENT_RETENTION_DAYS' | 'TEST_RETENTION_DAYS'
>;

/**
 * Installs the deployment's one global maintenance schedule, or brings an existing one to this
 * definition: every API process that starts calls it, and however many do, one schedule results.
 * A Temporal still warming up ("Failed to describe schedule (4 DEADLINE_EXCEEDED)" on a fresh
 * cluster), or another process changing the schedule at this moment, is waited out.
 */
export async function installMaintenanceSchedule(
  temporal: Client,
  config: MaintenanceConfig,
  /**
   * An unfinished operation is checked once its record has been still this long: with runs a
   * minute apart, a workflow closed outside Conveyor shows on its operation within 90 s.
   */
  quietSeconds = 30,
  wait: WaitOptions = { log: () => {} },
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
  await waitOut(
    TEMPORAL_TAKES_SCHEDULE,
    () => temporal.connection.withDeadline(Date.now() + TRY_MS, install),
    wait,
  );
  return scheduleId;
}
