import type { Operation } from '../db/operations';
import type { Principal } from '../db/tenants';

// What an operation's workflow carries in Temporal besides its input: its memo and priority.

/** What starting an operation's workflow needs of its tenant. */
export type TenantOfStart = Pick<Principal, 'tenantName' | 'fairnessWeight' | 'parallelism'>;

/** What the Web UI lists beside a run: whose it is and which job, by name. */
export const operationMemo = (operation: Operation, tenant: TenantOfStart) => ({
  tenant: tenant.tenantName,
  tenantId: operation.tenantId,
  job: operation.jobName,
});

/**
 * Temporal's task-queue priority of the operation's workflow, inherited by its chunks and
 * batches: its priority first, then fair shares between tenants by their weights, so one
 * tenant's backlog does not hold back another's work.
 */
export const operationPriority = (operation: Operation, tenant: TenantOfStart) => ({
  priorityKey: operation.priority,
  fairnessKey: operation.tenantId,
  fairnessWeight: tenant.fairnessWeight,
});
