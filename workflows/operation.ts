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
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { OperationStatus } from '../common/domain';
import type { OperationInput, OperationProgress } from '../common/engine';
import { chunkWorkflow } from './chunk';
import { pauseUpdate, progressQuery, resumeUpdate, setPausedSignal } from './definitions';
import { runLanes } from './lanes';
import { bookkeeping, runChunk } from './run-chunk';

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

export function chunkWorkflowId(operationId: string, chunkIndex: number): string {
  return `${operationId}.chunk-${chunkIndex}`;
}

/**
 * One operation: a run of a job over a scope. Its workflow id is the operation id. Small
 * operations run their single chunk inline; larger ones fan out to chunk child workflows, a
 * bounded number at a time, and continue as new to keep the history bounded.
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

  try {
    const plan = await bookkeeping.prepareOperation(input);
    // A pause that arrived before the record said `running` is mirrored now.
    if (paused) await bookkeeping.setPaused({ operationId, paused: true });
    let discoveryDone = input.discoveryDone ?? false;
    if (plan.discoveryStage !== undefined && !discoveryDone) {
      await runDiscoveryStage(operationId, plan.discoveryStage);
      discoveryDone = true;
    }
    const firstStage = plan.stages[0];
    const chunks = firstStage
      ? (plan.chunks ??
        (await bookkeeping.planRanges({
          operationId,
          stageIndex: firstStage.index,
          size: input.settings.chunkSize,
        })))
      : [];
    chunksTotal = chunks.length;
    const [onlyChunk] = chunks;
    if (chunks.length === 1 && onlyChunk && chunksDone === 0) {
      await runChunk(
        {
          operationId,
          chunkIndex: 0,
          range: onlyChunk,
          stages: plan.stages,
          settings: input.settings,
          chunked: false,
        },
        waitWhilePaused,
      );
      chunksDone = 1;
    } else if (chunks.length > 0) {
      let next = chunksDone;
      const historyFull = () =>
        workflowInfo().continueAsNewSuggested ||
        workflowInfo().historyLength > input.settings.historyEventsLimit;
      const lane = async (stopped: () => boolean) => {
        while (next < chunks.length && !historyFull() && !stopped()) {
          const chunkIndex = next++;
          const range = chunks[chunkIndex];
          if (!range) return;
          await waitWhilePaused();
          const workflowId = chunkWorkflowId(operationId, chunkIndex);
          runningChunks.add(workflowId);
          try {
            await executeChild(chunkWorkflow, {
              workflowId,
              staticSummary: `chunk ${chunkIndex + 1} of ${chunks.length}: items ${range.fromItemId}–${range.toItemId} (${range.count})`,
              // The operation's tenant and job names, so a chunk found alone says whose it is.
              memo: workflowInfo().memo,
              args: [
                {
                  operationId,
                  chunkIndex,
                  range,
                  stages: plan.stages,
                  settings: input.settings,
                  paused,
                },
              ],
            });
          } finally {
            runningChunks.delete(workflowId);
          }
          chunksDone++;
        }
      };
      await runLanes(input.settings.parallelChunks, lane);
      if (next < chunks.length) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof operationWorkflow>({
          ...input,
          nextChunk: next,
          discoveryDone,
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
