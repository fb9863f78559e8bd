/**
 * Ledger version 2's engine shapes (docs/ledger.md): a batch is a slice of one frozen chunk run
 * through a run of fused stages. Like `engine.ts`, they carry positions and counts, never items.
 */
import type { Stage } from './domain';
import type { StagePlan } from './engine';

/**
 * Consecutive stages that run back to back per item inside one batch. A stage starts a run of
 * its own when running it with the stage before would change what the job said of it: it has
 * a rate limit (paced apart), its own retry policy, item timeout, concurrency or batch size, or
 * `barrier: true` (it needs the whole previous stage finished first).
 */
export function fuseStages(
  stages: readonly Pick<
    Stage,
    'rateLimitPerSecond' | 'retry' | 'itemTimeoutMs' | 'concurrency' | 'batchSize' | 'barrier'
  >[],
  first: number,
): number[][] {
  const runs: number[][] = [];
  for (let index = first; index < stages.length; index++) {
    const stage = stages[index];
    const before = stages[index - 1];
    const current = runs.at(-1);
    if (current && stage && before && fusesWith(before, stage)) current.push(index);
    else runs.push([index]);
  }
  return runs;
}

function fusesWith(
  before: Parameters<typeof fuseStages>[0][number],
  stage: Parameters<typeof fuseStages>[0][number],
): boolean {
  return (
    stage.rateLimitPerSecond === undefined &&
    stage.barrier !== true &&
    stage.itemTimeoutMs === before.itemTimeoutMs &&
    stage.concurrency === before.concurrency &&
    stage.batchSize === before.batchSize &&
    JSON.stringify(stage.retry) === JSON.stringify(before.retry)
  );
}

/** A version-2 operation's plan: its chunks' sizes and its runs of fused stages. */
export interface SlicedPlan {
  operationKey: number;
  chunks: number[];
  runs: StagePlan[][];
}

/** One chunk of a version-2 operation, as its runner (inline or a child workflow) gets it. */
export interface SlicedChunkInput {
  operationId: string;
  chunkIndex: number;
  /** Items in the chunk: positions 1..size. */
  size: number;
  runs: StagePlan[][];
  /** Batch activities of the chunk at once. */
  parallelBatches: number;
  /**
   * One chunk of several, as a child workflow: it writes chunk events and announces its first
   * run itself (for the single chunk run inline, the operation's prepare step did).
   */
  chunked: boolean;
  /** Set when the operation opened the chunk's first run with every other chunk's at once. */
  firstRunOpened?: boolean;
}

/** Positions `from`..`to` (1-based, inclusive) of a chunk's frozen ids. */
export interface Slice {
  from: number;
  to: number;
}

/** One batch: a slice of a chunk through a run of consecutive stages. */
export interface SliceInput extends Slice {
  operationId: string;
  chunkIndex: number;
  stages: number[];
  /** A rerun of positions left unrecorded: outcomes may exist on the first attempt too. */
  rerun?: boolean;
  /**
   * Set for a stage without a batch size of its own: the batch stops starting items after this
   * long and returns the positions it left (`BatchResult.rest`), so a batch of slow items
   * stays short whatever size its slice is.
   */
  timeBoxMs?: number;
  /** The rest of a batch whose time ran out: a zombie attempt of that one may have recorded some. */
  resumed?: boolean;
}

/** A run's end over a chunk, and the next run's start when it ended. */
export interface CloseRunInput {
  operationId: string;
  chunkIndex: number;
  /** Whether the operation has more than one chunk: then chunk events are written too. */
  chunked: boolean;
  stages: number[];
  /** Size of the slices to run again. */
  size: number;
  /** 1 for the first check after the run's batches; each rerun adds one. */
  round: number;
  /** The stages to announce when this run closed. */
  next?: number[];
}

export interface CloseRunResult {
  /** Empty when the run closed; otherwise slices holding items still to run. */
  rerun: Slice[];
}

/** Contiguous positions grouped into slices of at most `size`. */
export function slicesOf(positions: readonly number[], size: number): Slice[] {
  const slices: Slice[] = [];
  for (const position of positions) {
    const last = slices.at(-1);
    if (last && last.to === position - 1 && position - last.from < size) last.to = position;
    else slices.push({ from: position, to: position });
  }
  return slices;
}

/** History events of one batch activity and its share of workflow tasks. */
const EVENTS_PER_BATCH = 6;
/** History events of a run's open and close over a chunk. */
const EVENTS_PER_RUN = 12;

/**
 * The history events a version-2 operation's chunks would add to its own workflow if run inline,
 * at most: every run's batches over every chunk at their first size (adaptive batches only grow).
 * Inline is for operations whose estimate leaves room below the history budget.
 */
export function inlineHistoryEstimate(
  chunks: readonly number[],
  runs: readonly (readonly Pick<StagePlan, 'batchSize'>[])[],
): number {
  let events = 0;
  for (const size of chunks) {
    for (const run of runs) {
      events +=
        EVENTS_PER_RUN + EVENTS_PER_BATCH * Math.ceil(size / Math.max(1, run[0]?.batchSize ?? 1));
    }
  }
  return events;
}
