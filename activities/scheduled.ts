import { ApplicationFailure } from '@temporalio/activity';
import { DomainError, QuotaExceeded } from '../common/domain-errors';
import { DEFAULT_PARALLELISM, lanesFor } from '../common/engine';
import type { ScheduledOperation, ScheduledRunInput } from '../common/schedules';
import { appendEvent } from '../db/events';
import { findJob } from '../db/jobs';
import { getScheduleById } from '../db/schedules';
import { findTenantSettings } from '../db/tenants';
import { startRequest } from '../operations/request';
import { type Requester, recordOperation } from '../operations/start';
import { operationWorkflowStart } from '../operations/workflow-start';
import type { ActivityDeps } from './deps';

const refused = (message: string) =>
  ApplicationFailure.nonRetryable(message, 'ScheduledRequestRefused');

export function createScheduledActivities({ database, handlers }: ActivityDeps) {
  return {
    /**
     * Records a schedule run's operation through the same checks and transaction as
     * `POST /v1/operations`; null when its job is paused or a quota refuses it (the run starts
     * nothing; a `schedule.skipped` event says which quota). A request
     * that can no longer succeed (its job or collection deleted) fails the run at once.
     *
     * The tenant and the request are the schedule record's, not the input's: anyone who can
     * start a workflow on Temporal could otherwise start operations as any tenant. An input
     * that disagrees with the record is refused, naming the mismatch.
     */
    async recordScheduledOperation(input: ScheduledRunInput): Promise<ScheduledOperation | null> {
      const schedule = await getScheduleById(database.db, input.scheduleId);
      if (!schedule) throw refused(`schedule ${input.scheduleId} no longer exists`);
      if (schedule.tenantId !== input.tenantId) {
        throw refused(
          `schedule ${input.scheduleId} belongs to tenant ${schedule.tenantId}, not to tenant ${input.tenantId} as its run's input says; nothing was started`,
        );
      }
      const tenantId = schedule.tenantId;
      const request = startRequest.parse(schedule.request);
      const job = await findJob(database.db, tenantId, request.job);
      if (job?.pausedAt) return null;
      const tenant = await findTenantSettings(database.db, tenantId);
      const requester: Requester = {
        tenantId,
        tenantName: tenant?.name ?? tenantId,
        fairnessWeight: tenant?.fairnessWeight ?? 1,
        parallelism: tenant?.parallelism ?? DEFAULT_PARALLELISM,
        requestedBy: `schedule ${input.scheduleId}`,
      };
      try {
        const { operation } = await recordOperation(
          { database, handlers, settings: input.settings },
          requester,
          request,
          {
            scheduleId: input.scheduleId,
            alsoRecord: (tx, operation) =>
              appendEvent(tx.db, {
                tenantId: operation.tenantId,
                operationId: operation.id,
                type: 'schedule.fired',
                data: { scheduleId: input.scheduleId },
              }),
          },
        );
        if (!operation) return null;
        // The tenant's parallelism as it is now, not as it was when the schedule was made.
        return operationWorkflowStart(operation, requester, {
          operationId: operation.id,
          settings: { ...input.settings, ...lanesFor(requester.parallelism) },
        });
      } catch (error) {
        // Over a quota: this run starts nothing and says why; the schedule's next run tries again.
        if (error instanceof QuotaExceeded) {
          await appendEvent(database.db, {
            tenantId: input.tenantId,
            type: 'schedule.skipped',
            data: {
              scheduleId: input.scheduleId,
              quota: error.quota,
              limit: error.limit,
              reason: error.message,
            },
          });
          return null;
        }
        if (error instanceof DomainError) {
          throw refused(
            `schedule ${input.scheduleId} cannot start its operation: ${error.message}`,
          );
        }
        throw error;
      }
    },
  };
}
