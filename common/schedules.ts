import type { EngineSettings, OperationInput } from './engine';

/** What a schedule's every run starts: the body of `POST /v1/operations`, for its tenant. */
export interface ScheduledRunInput {
  tenantId: string;
  scheduleId: string;
  request: Record<string, unknown>;
  /** The engine settings of the API that made the schedule. */
  settings: EngineSettings;
}

/** A run's recorded operation, which the run's workflow then runs as its child. */
export interface ScheduledOperation {
  operationId: string;
  input: OperationInput;
  searchAttributes: { tenant: string; job: string; collection: string; mode: string };
  /** The operation's Temporal task-queue priority and fairness (see operationPriority). */
  priority: { priorityKey: number; fairnessKey: string; fairnessWeight: number };
  /** Tenant and job by name, for the Web UI. */
  memo: { tenant: string; tenantId: string; job: string };
  /** What the Web UI shows of the operation's workflow (see common/operation-summary). */
  summary: string;
  details: string;
}

export const SCHEDULE_ID_PREFIX = 'sch-';
export const MAINTENANCE_SCHEDULE_ID = 'conveyor-maintenance';
