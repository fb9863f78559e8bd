/**
 * The API's shapes as the console reads them (see /openapi.json for the full ones).
 * operation: one run of a job; stage: one step of it; item: one unit of work in a collection.
 */

import type { components } from '../../client/schema';

export {
  FINISHED_STATUSES,
  OPERATION_STATUSES,
  type OperationStatus,
  PAUSABLE_STATUSES,
} from '../../common/operation-statuses';

export interface Page<T> {
  data: T[];
  nextCursor?: string | null;
}

/** The API's own shapes, generated from /openapi.json (`npm run client:generate`). */
type Schemas = components['schemas'];

export type Operation = Schemas['Operation'];
export type StageProgress = Schemas['StageProgress'];
export type OperationDetail = Schemas['OperationDetail'];
export type OperationItem = Schemas['OperationItem'];
export type ConveyorEvent = Schemas['Event'];
export type RunLogLine = Schemas['RunLogLine'];
export type DryRunPlan = Schemas['DryRunPlan'];
export type BulkResult = Schemas['OperationBulkResult'];
export type Collection = Schemas['Collection'];
export type CollectionSummary = Schemas['CollectionSummary'];
export type CollectionStats = Schemas['CollectionStats'];
export type Item = Schemas['Item'];
export type ListedItem = Schemas['ListedItem'];
export type ItemDetail = Schemas['ItemDetail'];
export type Job = Schemas['Job'];
export type Schedule = Schemas['Schedule'];
export type StageStats = Schemas['StageStats'];
export type DailyCosts = Schemas['CostStats'];
export type Workers = Schemas['Workers'];
export type Handler = Schemas['Handler'];
export type MaintenanceRuns = { scheduleId: string; data: Schemas['MaintenanceRun'][] };
