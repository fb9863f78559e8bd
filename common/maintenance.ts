/** What global maintenance is told by the configuration that installed its schedule. */
export interface MaintenanceInput {
  eventRetentionDays: number;
  testRetentionDays: number;
  /** An unfinished operation whose record has not moved this long is checked against Temporal. */
  quietSeconds: number;
}

export interface MaintenanceSummary {
  reconciled: { operationId: string; tenantId: string; was: string; now: string; why: string }[];
  releasedClaims: number;
  eventsDeleted: number;
  testOperationsDeleted: number;
  rollUps: string;
}

/** The maintenance schedule of a deployment: one per task queue. */
export const maintenanceScheduleId = (taskQueue: string) => `conveyor-maintenance-${taskQueue}`;
