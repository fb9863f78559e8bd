/**
 * The shapes that travel between workflows and activities. They carry ids, ranges and counts,
 * never item payloads, so a workflow's history stays small however many items it covers.
 */
import type { LedgerVersion, OperationMode, OperationStatus, RetryPolicy, Stage } from './domain';
import { MAX_BATCH_SIZE } from './limits';

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
  /**
   * The operation workflow continues as new past this many history events (or when Temporal
   * suggests it), well before the 51,200-event limit.
   */
  historyEventsLimit: number;
}

/**
 * Whether a job's first stage is a discovery stage, which fills the collection before the item
 * stages run: then item stages start at index 1, and the stage runs only over a whole collection.
 */
export function beginsWithDiscovery(
  stages: readonly { handler: string }[],
  handlers: { get(name: string): { kind: string } | undefined },
): boolean {
  return handlers.get(stages[0]?.handler ?? '')?.kind === 'discovery';
}

/** Head-room for claiming and writing a batch, on top of the handlers' own time. */
const BATCH_OVERHEAD_MS = 60_000;

/**
 * How each stage that runs over items is run: a discovery stage first (`discoveryFirst`) is left
 * out, a stage without its own batch size starts at the deployment's and adapts. The one rule
 * for both the API's dry-run plan and the engine's prepare step.
 */
export function planItemStages(
  stages: readonly Stage[],
  discoveryFirst: boolean,
  defaultBatchSize: number,
): StagePlan[] {
  return stages
    .map((stage, index): StagePlan => {
      const batchSize = stage.batchSize ?? defaultBatchSize;
      const adaptive = stage.batchSize === undefined;
      // Heartbeats, not this deadline, notice a dead worker; it only has to fit the largest batch.
      const rounds = Math.ceil((adaptive ? MAX_BATCH_SIZE : batchSize) / stage.concurrency);
      return {
        index,
        name: stage.name,
        handler: stage.handler,
        batchSize,
        adaptive,
        startToCloseMs: Math.min(rounds * stage.itemTimeoutMs + BATCH_OVERHEAD_MS, 24 * 3_600_000),
        retry: stage.retry,
      };
    })
    .slice(discoveryFirst ? 1 : 0);
}

/** A tenant's parallelism unless a system key changes it (the column's default too). */
export const DEFAULT_PARALLELISM = 16;

/** Chunks in flight at most; the rest of a tenant's parallelism goes to batches per chunk. */
const MAX_PARALLEL_CHUNKS = 4;

/**
 * How a tenant's parallelism (batches one operation runs at once) is laid out: up to four chunks
 * side by side, each with an equal share of batches, never more than the parallelism in all.
 */
export function lanesFor(
  parallelism: number,
): Pick<EngineSettings, 'parallelChunks' | 'parallelBatches'> {
  const parallelChunks = Math.max(1, Math.min(MAX_PARALLEL_CHUNKS, parallelism));
  return { parallelChunks, parallelBatches: Math.max(1, Math.floor(parallelism / parallelChunks)) };
}

export interface OperationInput {
  operationId: string;
  settings: EngineSettings;
  /** The ledger format (docs/ledger.md); absent in runs begun before version 2, which is 1. */
  ledger?: LedgerVersion;
  /** Set when the workflow continued as new: chunks before this index are finished. */
  nextChunk?: number;
  /** Set when the workflow continued as new after its discovery stage ran. */
  discoveryDone?: boolean;
  /** Carried across continue-as-new so a paused operation stays paused. */
  paused?: boolean;
}

export interface StagePlan {
  index: number;
  name: string;
  handler: string;
  /** Items in the first batch; later batches adapt unless `adaptive` is false. */
  batchSize: number;
  /** False when the job fixed the stage's batch size. */
  adaptive: boolean;
  /** Upper bound for one batch activity, from item timeout, batch size and concurrency. */
  startToCloseMs: number;
  retry: RetryPolicy;
}

export interface PreparedOperation {
  mode: OperationMode;
  /** The stages that run over items (a discovery stage is not among them). */
  stages: StagePlan[];
  /** Index of the discovery stage, when the job begins with one. */
  discoveryStage?: number;
  /**
   * The chunks of the first item stage, planned in the same step when nothing (a discovery
   * stage) will add items first; one step less for every operation.
   */
  chunks?: ItemRange[];
}

export interface PlanRangesInput {
  operationId: string;
  stageIndex: number;
  size: number;
  within?: ItemRange;
}

/** A chunk's stage begins: its `stage.started` events, and its batches' slices if not planned. */
export interface OpenStageInput {
  operationId: string;
  stageIndex: number;
  chunkIndex?: number;
  /** Plan the range's slices of this size in the same step. */
  slices?: { size: number; within: ItemRange };
}

export interface StageEventInput {
  operationId: string;
  stageIndex: number;
  type: 'stage.started' | 'stage.completed';
  /** Set for a chunk of a larger operation, whose stage events are per chunk. */
  chunkIndex?: number;
  /** For stage.completed of a discovery stage, which has no item stages. */
  counts?: BatchCounts;
}

/** A chunk asks to close a stage over its range once every batch it ran has returned. */
export interface CloseStageInput {
  operationId: string;
  stageIndex: number;
  chunkIndex?: number;
  range: ItemRange;
  /** Size of the ranges to run again, when some rows are unfinished. */
  size: number;
  /** 1 for the first check after the stage's batches; each rerun adds one. */
  round: number;
}

export interface CloseStageResult {
  /** Empty when the stage closed; otherwise ranges holding rows that must run again. */
  rerun: ItemRange[];
}

/** A stage boundary in one step: close `close`, and if it closed, open `open`. */
export interface AdvanceStageInput {
  close: CloseStageInput;
  open: OpenStageInput;
}

export interface AdvanceStageResult extends CloseStageResult {
  /** The next stage's slices, when it opened and was asked to plan them. */
  opened?: ItemRange[];
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

export interface BatchResult extends BatchCounts {
  /** Items this attempt claimed, and how long it took, for adaptive batch sizing. */
  items: number;
  durationMs: number;
  /** Positions a time-boxed batch left unstarted, for another batch to run. */
  rest?: { from: number; to: number };
}

export type FinalStatus = Extract<OperationStatus, 'completed' | 'failed' | 'cancelled'>;

export interface FinishInput {
  operationId: string;
  status: FinalStatus;
  error?: string;
}

export interface FinishResult {
  /** What was recorded: `failed` instead of `completed` when item stages were left unfinished. */
  status: FinalStatus;
  error?: string;
}

export interface OperationProgress {
  status: OperationStatus;
  chunksTotal: number;
  chunksDone: number;
  paused: boolean;
}
