import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ChunkInput, ItemRange, StagePlan } from '../common/engine';
import { runLanes } from './lanes';

/** Activities that only touch Postgres: quick, retried a few times on transient trouble. */
export const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 10, initialInterval: '500ms', maximumInterval: '30s' },
});

function batchActivity(stage: StagePlan) {
  return proxyActivities<Activities>({
    startToCloseTimeout: stage.startToCloseMs,
    // Heartbeats carry cancellation to the handlers; a batch silent for this long is presumed dead.
    heartbeatTimeout: '30s',
    // Wait for a cancelled batch to write what it finished before the chunk reports cancelled.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      maximumAttempts: stage.retry.maximumAttempts,
      initialInterval: stage.retry.initialIntervalMs,
      backoffCoefficient: stage.retry.backoffCoefficient,
      maximumInterval: stage.retry.maximumIntervalMs,
    },
  }).processBatch;
}

/**
 * Runs every stage over one chunk's items, stage after stage, each as batch activities with a
 * bounded number in flight. `waitWhilePaused` is awaited before each batch starts, so a pause
 * lets the batches in flight finish and starts nothing new.
 */
export async function runChunk(
  input: Omit<ChunkInput, 'paused'> & { chunked: boolean },
  waitWhilePaused: () => Promise<void>,
): Promise<void> {
  const { operationId } = input;
  const chunkIndex = input.chunked ? input.chunkIndex : undefined;
  const batchesBySize = new Map<number, ItemRange[]>();
  for (const stage of input.stages) {
    let batches = batchesBySize.get(stage.batchSize);
    if (!batches) {
      batches = await bookkeeping.planRanges({
        operationId,
        stageIndex: stage.index,
        size: stage.batchSize,
        within: input.range,
      });
      batchesBySize.set(stage.batchSize, batches);
    }
    await bookkeeping.recordStageEvent({
      operationId,
      stageIndex: stage.index,
      type: 'stage.started',
      chunkIndex,
    });
    const processBatch = batchActivity(stage);
    const queue = [...batches];
    const lane = async (stopped: () => boolean) => {
      for (let range = queue.shift(); range && !stopped(); range = queue.shift()) {
        await waitWhilePaused();
        // Counts come from item_stages afterwards: a retried batch's earlier attempts wrote some.
        await processBatch({ operationId, stageIndex: stage.index, range });
      }
    };
    await runLanes(input.settings.parallelBatches, lane);
    await bookkeeping.recordStageEvent({
      operationId,
      stageIndex: stage.index,
      type: 'stage.completed',
      chunkIndex,
      range: input.range,
    });
  }
}
