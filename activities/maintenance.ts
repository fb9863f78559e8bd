import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { FinalStatus } from '../common/engine';
import type { MaintenanceInput, MaintenanceSummary } from '../common/maintenance';
import { appendEvent } from '../db/events';
import {
  deleteOldEvents,
  deleteOldMaintenanceRuns,
  deleteOldTestOperations,
  quietUnfinishedOperations,
  recordMaintenanceRun,
  releaseFinishedClaims,
} from '../db/maintenance';
import { deleteOldRunLogs } from '../db/operation-logs';
import type { ActivityDeps } from './deps';
import { createLifecycleActivities } from './lifecycle';

const PAGE = 500;

/** What an operation's record should say, given how Temporal says its workflow closed. */
function outcomeOf(closed: string | undefined): { status: FinalStatus; why: string } | undefined {
  switch (closed) {
    case undefined:
      return { status: 'failed', why: 'its workflow does not exist in Temporal' };
    case 'RUNNING':
      return undefined;
    case 'COMPLETED':
      return { status: 'completed', why: 'its workflow completed but the record was not updated' };
    case 'CANCELLED':
      return { status: 'cancelled', why: 'its workflow was cancelled' };
    case 'TERMINATED':
      return { status: 'failed', why: 'its workflow was terminated outside Conveyor' };
    case 'TIMED_OUT':
      return { status: 'failed', why: 'its workflow timed out' };
    default:
      return { status: 'failed', why: `its workflow ended ${closed.toLowerCase()}` };
  }
}

export function createMaintenanceActivities(deps: ActivityDeps) {
  const { database, temporal } = deps;
  const { finishOperation } = createLifecycleActivities(deps);
  return {
    /**
     * Operations Postgres calls queued, running or paused while Temporal says their workflow
     * closed or never existed: the true status is recorded, with an error that says why.
     */
    async reconcileOperations(input: MaintenanceInput): Promise<MaintenanceSummary['reconciled']> {
      const reconciled: MaintenanceSummary['reconciled'] = [];
      for (const operation of await quietUnfinishedOperations(
        database.sql,
        input.quietSeconds,
        PAGE,
      )) {
        Context.current().heartbeat(operation.id);
        let closed: string | undefined;
        try {
          closed = (await temporal.workflow.getHandle(operation.id).describe()).status.name;
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
        const outcome = outcomeOf(closed);
        if (!outcome) continue;
        const error = `maintenance: ${outcome.why}`;
        const recorded = await finishOperation({
          operationId: operation.id,
          status: outcome.status,
          ...(outcome.status === 'completed' ? {} : { error }),
        });
        reconciled.push({
          operationId: operation.id,
          tenantId: operation.tenantId,
          was: operation.status,
          now: recorded.status,
          why: outcome.why,
        });
      }
      return reconciled;
    },

    /** Claims left by operations that have finished, given back. */
    async releaseFinishedClaims(): Promise<number> {
      const rows = await releaseFinishedClaims(database.sql, 1);
      return rows.reduce((sum, row) => sum + row.released, 0);
    },

    async applyRetention(input: MaintenanceInput) {
      const eventDays = Math.max(input.eventRetentionDays, deps.retention.EVENT_RETENTION_DAYS);
      const testDays = Math.max(input.testRetentionDays, deps.retention.TEST_RETENTION_DAYS);
      // In slices, so no one statement holds locks over a whole month of events.
      let eventsDeleted = 0;
      for (;;) {
        const deleted = await deleteOldEvents(database.sql, eventDays, PAGE * 20);
        eventsDeleted += deleted;
        Context.current().heartbeat(eventsDeleted);
        if (deleted < PAGE * 20) break;
      }
      // Run logs are kept as long as events, in slices too.
      let logLinesDeleted = 0;
      for (;;) {
        const deleted = await deleteOldRunLogs(database.sql, eventDays, PAGE * 20);
        logLinesDeleted += deleted;
        Context.current().heartbeat(logLinesDeleted);
        if (deleted < PAGE * 20) break;
      }
      const testOperationsDeleted = await deleteOldTestOperations(database.sql, testDays, PAGE);
      // A run a minute: their summaries go with the events of their time.
      const maintenanceRunsDeleted = await deleteOldMaintenanceRuns(database.sql, eventDays);
      return { eventsDeleted, logLinesDeleted, testOperationsDeleted, maintenanceRunsDeleted };
    },

    /** The run's summary, kept for `GET /v1/maintenance`, and an event for each tenant touched. */
    async recordMaintenance(input: { startedAt: number; summary: MaintenanceSummary }) {
      const { workflowId } = Context.current().info.workflowExecution ?? { workflowId: 'unknown' };
      await recordMaintenanceRun(database.db, {
        workflowId,
        startedAt: new Date(input.startedAt),
        summary: { ...input.summary, reconciled: input.summary.reconciled.length },
      });
      const byTenant = new Map<string, MaintenanceSummary['reconciled']>();
      for (const row of input.summary.reconciled) {
        byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row]);
      }
      for (const [tenantId, rows] of byTenant) {
        await appendEvent(database.db, {
          tenantId,
          type: 'maintenance.completed',
          data: { workflowId, reconciled: rows.map(({ tenantId: _, ...row }) => row) },
        });
      }
    },
  };
}
