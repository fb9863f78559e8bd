import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { MaintenanceInput, MaintenanceSummary } from '../common/maintenance';

const maintenance = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 3, initialInterval: '5s' },
});

/**
 * One global maintenance run, on the schedule installed at start: each step an activity with
 * retries, the whole cancellable from the Web UI; returns what it did.
 */
export async function maintenanceWorkflow(input: MaintenanceInput): Promise<MaintenanceSummary> {
  const startedAt = workflowInfo().runStartTime.getTime();
  const reconciled = await maintenance.reconcileOperations(input);
  const releasedClaims = await maintenance.releaseFinishedClaims();
  const retention = await maintenance.applyRetention(input);
  const summary: MaintenanceSummary = {
    reconciled,
    releasedClaims,
    ...retention,
    // Statistics roll-ups are written with each batch's outcomes: there is nothing to refresh.
    rollUps: 'kept with each write; nothing to refresh',
  };
  await maintenance.recordMaintenance({ startedAt, summary });
  return summary;
}
