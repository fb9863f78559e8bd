import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  CancelledFailure,
  ContinueAsNew,
  condition,
  continueAsNew,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { OperationStatus } from '../common/domain';
import type { OperationInput, OperationProgress } from '../common/engine';
import { inlineHistoryEstimate, type SlicedChunkInput } from '../common/slices';
import { type ChunkWorkflowInput, chunkWorkflow } from './chunk';
import { pauseUpdate, progressQuery, resumeUpdate, setPausedSignal } from './definitions';
import { runLanes } from './lanes';
import { bookkeeping, runChunk } from './run-chunk';
import { runSlicedChunk } from './run-slices';

const discovery = proxyActivities<Activities>({
  // Discovery walks a whole source; heartbeats, not a short deadline, tell that it is alive.
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 5, initialInterval: '2s', maximumInterval: '1 minute' },
});

async function runDiscoveryStage(operationId: string, stageIndex: number): Promise<void> {
  await bookkeeping.recordStageEvent({ operationId, stageIndex, type: 'stage.started' });
  const { discovered } = await discovery.runDiscovery({ operationId, stageIndex });
  await bookkeeping.recordStageEvent({
    operationId,
    stageIndex,
    type: 'stage.completed',
    counts: { done: discovered, failed: 0, skipped: 0 },
  });
}

/** How an operation's chunks run, whichever ledger records them. */
interface ChunkPlan {
  count: number;
  /** What a continued-as-new run must know so as not to redo it. */
  carried: Partial<OperationInput>;
  /** The only chunk, run in the operation's own workflow. */
  runInline(waitWhilePaused: () => Promise<void>): Promise<void>;
  /**
   * Every chunk in the operation's own workflow, a bounded number at a time, when there are few
   * enough that its history stays small; undefined when they must be children.
   */
  runAllInline?(waitWhilePaused: () => Promise<void>, onChunkDone: () => void): Promise<void>;
  /** One chunk of several, as a child workflow's summary and input. */
  child(
    chunkIndex: number,
    paused: boolean,
  ): { summary: string; input: ChunkWorkflowInput } | undefined;
}

/**
 * Version 2's chunks run in the operation's own workflow up to this many (20,000 items at the
 * largest chunk size), when their batches fit in half the history budget: a child workflow per
 * chunk costs Temporal more than the chunk's batches do, and a few hundred history events need
 * no child to stay small.
 */
const MAX_INLINE_CHUNKS = 10;

export function chunkWorkflowId(operationId: string, chunkIndex: number): string {
  return `${operationId}.chunk-${chunkIndex}`;
}

/**
 * One operation: a run of a job over a scope. Its workflow id is the operation id. Small
 * operations run their single chunk inline (version 2: up to MAX_INLINE_CHUNKS); larger ones fan
 * out to chunk child workflows, a bounded number at a time, and continue as new to keep the
 * history bounded.
 */
export async function operationWorkflow(input: OperationInput): Promise<OperationProgress> {
  const { operationId } = input;
  let status: OperationStatus = 'running';
  let paused = input.paused ?? false;
  let chunksTotal = 0;
  let chunksDone = input.nextChunk ?? 0;
  const runningChunks = new Set<string>();

  const progress = (): OperationProgress => ({
    status: paused && status === 'running' ? 'paused' : status,
    chunksTotal,
    chunksDone,
    paused,
  });
  const setPaused = async (value: boolean) => {
    if (paused === value) return;
    paused = value;
    await bookkeeping.setPaused({ operationId, paused: value });
    // A chunk that finished meanwhile cannot be signalled; it needs no pause any more.
    await Promise.all(
      [...runningChunks].map((id) =>
        getExternalWorkflowHandle(id)
          .signal(setPausedSignal, value)
          .catch(() => undefined),
      ),
    );
  };
  const rejectIfFinished = () => {
    if (status !== 'running') throw new Error(`operation is ${status}`);
  };
  setHandler(progressQuery, progress);
  setHandler(
    pauseUpdate,
    async () => {
      await setPaused(true);
      return progress();
    },
    {
      validator: rejectIfFinished,
    },
  );
  setHandler(
    resumeUpdate,
    async () => {
      await setPaused(false);
      return progress();
    },
    {
      validator: rejectIfFinished,
    },
  );
  const waitWhilePaused = () => condition(() => !paused);
  /** A pause that arrived before the record said `running` is mirrored once it does. */
  const mirrorPause = async () => {
    if (paused) await bookkeeping.setPaused({ operationId, paused: true });
  };

  /** Ledger version 1: seeded item stages, a discovery stage first if the job has one. */
  const planItemStages = async (): Promise<ChunkPlan> => {
    const plan = await bookkeeping.prepareOperation(input);
    await mirrorPause();
    const discoveryDone = input.discoveryDone ?? false;
    if (plan.discoveryStage !== undefined && !discoveryDone) {
      await runDiscoveryStage(operationId, plan.discoveryStage);
    }
    const firstStage = plan.stages[0];
    const ranges = firstStage
      ? (plan.chunks ??
        (await bookkeeping.planRanges({
          operationId,
          stageIndex: firstStage.index,
          size: input.settings.chunkSize,
        })))
      : [];
    const chunkInput = (chunkIndex: number) => {
      const range = ranges[chunkIndex];
      if (!range) return undefined;
      return { operationId, chunkIndex, range, stages: plan.stages, settings: input.settings };
    };
    return {
      count: ranges.length,
      carried: { discoveryDone: plan.discoveryStage !== undefined },
      runInline: async (wait) => {
        const only = chunkInput(0);
        if (only) await runChunk({ ...only, chunked: false }, wait);
      },
      child: (chunkIndex, isPaused) => {
        const chunk = chunkInput(chunkIndex);
        if (!chunk) return undefined;
        const { range } = chunk;
        return {
          summary: `chunk ${chunkIndex + 1} of ${ranges.length}: items ${range.fromItemId}–${range.toItemId} (${range.count})`,
          input: { ...chunk, paused: isPaused },
        };
      },
    };
  };

  /** Ledger version 2: the scope frozen in chunks, runs of fused stages over their slices. */
  const planSliced = async (): Promise<ChunkPlan> => {
    const plan = await bookkeeping.prepareSlicedOperation(input);
    await mirrorPause();
    const chunkOf = (
      chunkIndex: number,
      chunked: boolean,
      layout = { parallelBatches: input.settings.parallelBatches, firstRunOpened: false },
    ): SlicedChunkInput => ({
      operationId,
      chunkIndex,
      size: plan.chunks[chunkIndex] ?? 0,
      runs: plan.runs,
      parallelBatches: layout.parallelBatches,
      chunked,
      ...(layout.firstRunOpened ? { firstRunOpened: true } : {}),
    });
    // Operations started before chunks ran inline keep their children when they replay.
    const inline =
      plan.chunks.length <= MAX_INLINE_CHUNKS &&
      // Half the budget at most: reruns and retries add events the estimate does not count.
      inlineHistoryEstimate(plan.chunks, plan.runs) <= input.settings.historyEventsLimit / 2 &&
      patched('v2-inline-chunks');
    return {
      count: plan.chunks.length,
      carried: {},
      runInline: (wait) => runSlicedChunk(chunkOf(0, false), wait),
      runAllInline: inline
        ? async (wait, onChunkDone) => {
            let next = 0;
            // Every chunk at once, each with its share of the operation's batches in flight (a
            // chunk beyond `parallelChunks` would otherwise run alone at the end), their first
            // runs opened in one step when all of them start together.
            const { parallelChunks, parallelBatches } = input.settings;
            const slots = parallelChunks * parallelBatches;
            const together = patched('v2-chunks-at-once');
            const chunkLanes = together ? Math.min(plan.chunks.length, slots) : parallelChunks;
            const [firstRun] = plan.runs;
            const layout = {
              parallelBatches: together ? Math.floor(slots / chunkLanes) : parallelBatches,
              firstRunOpened: together && chunkLanes === plan.chunks.length && !!firstRun,
            };
            if (layout.firstRunOpened && firstRun) {
              await bookkeeping.openRun({
                operationId,
                chunks: plan.chunks.map((_, chunkIndex) => chunkIndex),
                stages: firstRun.map((stage) => stage.index),
              });
            }
            await runLanes(chunkLanes, async (stopped) => {
              while (next < plan.chunks.length && !stopped()) {
                await runSlicedChunk(chunkOf(next++, true, layout), wait);
                onChunkDone();
              }
            });
          }
        : undefined,
      child: (chunkIndex, isPaused) =>
        chunkIndex < plan.chunks.length
          ? {
              summary: `chunk ${chunkIndex + 1} of ${plan.chunks.length} (${plan.chunks[chunkIndex]} items)`,
              input: { ...chunkOf(chunkIndex, true), paused: isPaused },
            }
          : undefined,
    };
  };

  try {
    const chunks = input.ledger === 2 ? await planSliced() : await planItemStages();
    chunksTotal = chunks.count;
    if (chunks.count === 1 && chunksDone === 0) {
      await chunks.runInline(waitWhilePaused);
      chunksDone = 1;
    } else if (chunks.runAllInline && chunksDone === 0) {
      await chunks.runAllInline(waitWhilePaused, () => chunksDone++);
    } else if (chunks.count > 0) {
      let next = chunksDone;
      const historyFull = () =>
        workflowInfo().continueAsNewSuggested ||
        workflowInfo().historyLength > input.settings.historyEventsLimit;
      const lane = async (stopped: () => boolean) => {
        while (next < chunks.count && !historyFull() && !stopped()) {
          const chunkIndex = next++;
          await waitWhilePaused();
          const child = chunks.child(chunkIndex, paused);
          if (!child) return;
          const workflowId = chunkWorkflowId(operationId, chunkIndex);
          runningChunks.add(workflowId);
          try {
            await executeChild(chunkWorkflow, {
              workflowId,
              staticSummary: child.summary,
              // The operation's tenant and job names, so a chunk found alone says whose it is.
              memo: workflowInfo().memo,
              args: [child.input],
            });
          } finally {
            runningChunks.delete(workflowId);
          }
          chunksDone++;
        }
      };
      await runLanes(input.settings.parallelChunks, lane);
      if (next < chunks.count) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof operationWorkflow>({
          ...input,
          ...chunks.carried,
          nextChunk: next,
          paused,
        });
      }
    }
    await condition(allHandlersFinished);
    // The record says completed only if its item stages agree; if not, it says failed and why,
    // and so does this run, so the Web UI and the API tell the same story. Outside cancellation:
    // a cancel that lands while the record commits would otherwise end the run cancelled over a
    // record that says completed.
    const finished = await CancellationScope.nonCancellable(() =>
      bookkeeping.finishOperation({ operationId, status: 'completed' }),
    );
    status = finished.status;
    if (finished.status !== 'completed') {
      throw ApplicationFailure.nonRetryable(
        finished.error ?? `operation ended ${finished.status}`,
        'OperationIncomplete',
      );
    }
    return progress();
  } catch (error) {
    // Continuing as new is how a large operation goes on, not how it ends.
    if (error instanceof ContinueAsNew) throw error;
    // A cancel decides the outcome even when the first error to arrive is another one: a chunk
    // whose batch was between retries when the cancel came fails rather than reports cancelled.
    // The record is written outside cancellation either way; in a cancelled scope the write
    // itself would be cancelled and the record left `running`.
    const cancelled = isCancellation(error) || CancellationScope.current().consideredCancelled;
    const recorded = await CancellationScope.nonCancellable(() =>
      bookkeeping.finishOperation(
        cancelled
          ? { operationId, status: 'cancelled' }
          : {
              operationId,
              status: 'failed',
              error: rootMessage(error),
            },
      ),
    );
    // The record is the truth: an operation already recorded completed stays completed here too.
    status = recorded.status;
    if (recorded.status === 'completed') return progress();
    if (cancelled && !isCancellation(error)) throw new CancelledFailure('operation cancelled');
    throw error;
  }
}

/**
 * The message of the innermost cause: an activity's failure reads "Activity task failed", while
 * its cause says why (a path outside FILE_ROOTS, a refused address), which is what the tenant
 * needs on the operation's record.
 */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
