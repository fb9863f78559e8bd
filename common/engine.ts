/**
 * The shapes that travel between workflows and activities. They carry ids, ranges and counts,
 * never item payloads, so a workflow's history stays small however many items it covers.
 */
import type { OperationMode, OperationStatus, RetryPolicy } from './domain';

export interface ItemRange {
  fromItemId: number;
  toItemId: number;
  count: number;
}

/** Tuning that the API fixes when it starts an operation, from configuration. */
export interface EngineSettings {
  chunkSize: number;
  batchSize: number;
  /** Child workflows (chunks) running at once. */
  parallelChunks: number;
  /** Batch activities running at once inside one chunk. */
  parallelBatches: number;
}

export interface OperationInput {
  operationId: string;
  settings: EngineSettings;
  /** Set when the workflow continued as new: chunks before this index are finished. */
  nextChunk?: number;
}

export interface StagePlan {
  index: number;
  name: string;
  handler: string;
  batchSize: number;
  /** Upper bound for one batch activity, from item timeout, batch size and concurrency. */
  startToCloseMs: number;
  retry: RetryPolicy;
}

export interface PreparedOperation {
  mode: OperationMode;
  stages: StagePlan[];
  itemsTotal: number;
  chunks: ItemRange[];
}

export interface ChunkInput {
  operationId: string;
  chunkIndex: number;
  range: ItemRange;
  stages: StagePlan[];
  settings: EngineSettings;
  paused: boolean;
}

export interface BatchInput {
  operationId: string;
  stageIndex: number;
  range: ItemRange;
}

export interface BatchCounts {
  done: number;
  failed: number;
  skipped: number;
}

export interface FinishInput {
  operationId: string;
  status: Extract<OperationStatus, 'completed' | 'failed' | 'cancelled'>;
  error?: string;
}

export interface OperationProgress {
  status: OperationStatus;
  chunksTotal: number;
  chunksDone: number;
  paused: boolean;
}
