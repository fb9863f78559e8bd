/**
 * The API's shapes as the console reads them (see /openapi.json for the full ones).
 * operation: one run of a job; stage: one step of it; item: one unit of work in a collection.
 */

export const OPERATION_STATUSES = [
  'queued',
  'running',
  'paused',
  'completed',
  'failed',
  'cancelled',
] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
export const FINISHED: readonly OperationStatus[] = ['completed', 'failed', 'cancelled'];

export interface Page<T> {
  data: T[];
  nextCursor?: string | null;
}

export interface Operation {
  id: string;
  status: OperationStatus;
  mode: 'production' | 'test' | 'dry_run';
  priority: number;
  job: { id: string | null; name: string; version: number };
  scope: {
    kind: 'collection' | 'items' | 'global';
    collectionId: string | null;
    itemCount?: number;
  };
  params: Record<string, unknown>;
  counts: { items: number; done: number; failed: number; skipped: number; pending: number };
  requestedBy: string | null;
  retryOf: string | null;
  scheduleId: string | null;
  error: string | null;
  temporal: { workflowId: string; runId: string | null; namespace: string; uiUrl: string | null };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface StageProgress {
  name: string;
  handler: string;
  items: number;
  pending: number;
  inProgress: number;
  done: number;
  failed: number;
  skipped: number;
}

export interface OperationDetail extends Operation {
  stages: StageProgress[];
  costs: { stageName: string; unit: string; amount: number; items: number }[];
}

export interface OperationItem {
  itemId: number;
  key: string;
  stages: {
    stage: string;
    status: string;
    attempts: number;
    error: string | null;
    durationMs: number | null;
  }[];
}

export interface ConveyorEvent {
  id: number;
  operationId: string | null;
  type: string;
  stageName: string | null;
  jobName: string | null;
  collectionId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

export interface DryRunPlan {
  mode: 'dry_run';
  job: string;
  plan: {
    items: number;
    sampleKeys: string[];
    chunks: number;
    discovery: { stage?: string; note: string } | null;
    stages: {
      name: string;
      handler: string;
      params: Record<string, unknown>;
      batchSize: number;
      adaptiveBatchSize: boolean;
      concurrency: number;
      rateLimitPerSecond: number | null;
      batches: number;
    }[];
  };
}

export interface BulkResult {
  action: 'cancel' | 'retry';
  dryRun: boolean;
  matched: number;
  operations: {
    id: string;
    job: { name: string };
    status: OperationStatus;
    outcome?: string;
    retryId?: string;
    detail?: string;
  }[];
}

export interface Collection {
  id: string;
  name: string;
  description?: string | null;
  itemCount?: number;
  operationCount: number;
  lastOperation: { id: string; status: OperationStatus; createdAt: string } | null;
  createdAt: string;
}

export interface CollectionStats {
  items: number;
  stale: number;
  handlers: {
    handler: string;
    currentVersion: string | null;
    results: number;
    stale: number;
    versions: Record<string, number>;
  }[];
}

export interface Item {
  id: number;
  key: string;
  data?: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface ItemDetail extends Item {
  results: {
    stage: string;
    handler: string;
    handlerVersion: string;
    currentVersion: string | null;
    stale: boolean;
    output?: unknown;
    operationId: string | null;
    updatedAt: string;
  }[];
  history: {
    operationId: string;
    jobName: string;
    stage: string;
    handlerVersion: string | null;
    status: string;
    attempts: number;
    error: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    durationMs: number | null;
  }[];
}

export interface JobDefinition {
  name: string;
  description?: string;
  priority?: number;
  stages: { name: string; handler: string; params?: Record<string, unknown> }[];
}

export interface Job {
  id: string;
  name: string;
  version: number;
  definition: JobDefinition;
  createdAt: string;
  updatedAt: string;
  pausedAt: string | null;
}

export interface Schedule {
  id: string;
  job: string;
  request: Record<string, unknown>;
  spec: Record<string, unknown>;
  overlap: string;
  note: string | null;
  paused: boolean;
  nextRuns: string[];
  lastRun: { at: string; operationId: string | null; status: string | null } | null;
  runs: number;
  createdAt: string;
}

export interface StageStats {
  from: string;
  to: string;
  data: {
    job: string;
    stage: string;
    items: { done: number; failed: number; skipped: number; total: number };
    durationMs: { mean: number; p50: number; p95: number; p99: number };
    perSecond: number;
  }[];
}

export interface DailyCosts {
  data: { day: string; job: string; stage: string | null; unit: string; amount: number }[];
}

export interface Workers {
  taskQueue: string;
  namespace: string;
  workers: {
    identity: string;
    polls: { taskQueueType: string; lastAccessTime: string | null; ratePerSecond: number }[];
    /** What the worker reported it runs; null when it never reported. */
    handlers: { name: string; version: string }[] | null;
    startedAt: string | null;
  }[];
  backlog: Record<
    'workflow' | 'activity',
    { approximateCount: number; approximateAgeMs: number; tasksDispatchRate: number }
  >;
  expectedHandlers: { name: string; version: string }[];
}

export interface Handler {
  name: string;
  version: string;
  description: string;
}

export interface MaintenanceRuns {
  scheduleId: string;
  data: {
    workflowId: string;
    startedAt: string;
    finishedAt: string;
    summary: Record<string, unknown>;
  }[];
}
