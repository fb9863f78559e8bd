import type { LedgerVersion } from '../common/domain';
import { Conflict, DomainError, QuotaExceeded } from '../common/domain-errors';
import { DEFAULT_PARALLELISM, lanesFor } from '../common/engine';
import type { ScheduledOperation, ScheduledRunInput } from '../common/schedules';
import type { Database } from '../db/client';
import { appendEvent } from '../db/events';
import { findJob } from '../db/jobs';
import { getScheduleById } from '../db/schedules';
import { findTenantSettings } from '../db/tenants';
import type { HandlerRegistry } from '../handlers/registry';
import { startRequest } from '../operations/request';
import { type Requester, recordOperation } from '../operations/start';
import { operationWorkflowStart } from '../operations/workflow-start';

/** What firing a schedule works with: no Temporal, since the run starts the operation itself. */
export interface FireContext {
  database: Database;
  handlers: HandlerRegistry;
  /** The ledger the worker's deployment records new operations in (LEDGER_VERSION). */
  ledger: LedgerVersion;
}

/**
 * Fires one run of a schedule: records its operation through the same checks and transaction
 * as `POST /v1/operations`, and says how the run starts it. Null when the job is paused or a
 * quota refuses the run (it starts nothing; a `schedule.skipped` event says which quota). A run
 * that can never succeed (its schedule deleted, its job or collection gone) is a Conflict whose
 * message says why.
 *
 * The tenant and the request are the schedule record's, not the input's: anyone who can start
 * a workflow on Temporal could otherwise start operations as any tenant. An input that
 * disagrees with the record is refused, naming the mismatch.
 */
export async function fireSchedule(
  context: FireContext,
  input: ScheduledRunInput,
): Promise<ScheduledOperation | null> {
  const { database } = context;
  const schedule = await getScheduleById(database.db, input.scheduleId);
  if (!schedule) throw new Conflict(`schedule ${input.scheduleId} no longer exists`);
  if (schedule.tenantId !== input.tenantId) {
    throw new Conflict(
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
      {
        database,
        handlers: context.handlers,
        settings: { ...input.settings, ledger: context.ledger },
      },
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
      throw new Conflict(
        `schedule ${input.scheduleId} cannot start its operation: ${error.message}`,
      );
    }
    throw error;
  }
}
