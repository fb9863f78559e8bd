/** What global maintenance is told by the configuration that installed its schedule. */
export interface MaintenanceInput {
  eventRetentionDays: number;
  testRetentionDays: number;
  /** An unfinished operation whose record has not moved this long is checked against Temporal. */
  quietSeconds: number;
}

/**
 * How long a worker's deployment keeps events and test operations. Maintenance keeps at least
 * this much whatever its workflow input says: anyone who can start a workflow on Temporal could
 * otherwise ask for a retention of zero days and delete every tenant's events.
 */
export interface RetentionFloor {
  EVENT_RETENTION_DAYS: number;
  TEST_RETENTION_DAYS: number;
}

export interface MaintenanceSummary {
  reconciled: { operationId: string; tenantId: string; was: string; now: string; why: string }[];
  releasedClaims: number;
  eventsDeleted: number;
  /** Handler log lines of operations past the event retention, deleted. */
  logLinesDeleted: number;
  testOperationsDeleted: number;
  /** Summaries of earlier maintenance runs past the event retention, deleted. */
  maintenanceRunsDeleted: number;
  rollUps: string;
}

/** The maintenance schedule of a deployment: one per task queue. */
export const maintenanceScheduleId = (taskQueue: string) => `conveyor-maintenance-${taskQueue}`;
