import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BatchCounts, ChunkInput, ItemRange, StagePlan } from '../common/engine';

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
 * bounded number in flight. `waitWhilePaused` is awaited before each batch starts.
 */
export async function runChunk(
  input: Omit<ChunkInput, 'paused'>,
  waitWhilePaused: () => Promise<void>,
): Promise<BatchCounts> {
  const totals: BatchCounts = { done: 0, failed: 0, skipped: 0 };
  const batchesBySize = new Map<number, ItemRange[]>();
  for (const stage of input.stages) {
    let batches = batchesBySize.get(stage.batchSize);
    if (!batches) {
      batches = await bookkeeping.planBatches({
        operationId: input.operationId,
        range: input.range,
        batchSize: stage.batchSize,
      });
      batchesBySize.set(stage.batchSize, batches);
    }
    const processBatch = batchActivity(stage);
    let next = 0;
    const lane = async () => {
      while (next < (batches?.length ?? 0)) {
        const range = batches?.[next++] as ItemRange;
        await waitWhilePaused();
        const counts = await processBatch({
          operationId: input.operationId,
          stageIndex: stage.index,
          range,
        });
        totals.done += counts.done;
        totals.failed += counts.failed;
        totals.skipped += counts.skipped;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, input.settings.parallelBatches) }, lane));
  }
  return totals;
}
