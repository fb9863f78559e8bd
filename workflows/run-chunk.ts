import {
  ActivityCancellationType,
  type ActivityOptions,
  patched,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ChunkInput, ItemRange, StagePlan } from '../common/engine';
import { nextBatchSize, SLICE_SIZE } from './batch-size';
import { runLanes } from './lanes';

/**
 * Activities that only touch Postgres: quick, so they run as local activities in the worker
 * that runs the workflow, which spares the server a task round trip for each; retried on
 * transient trouble.
 */
export const bookkeeping = proxyLocalActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 10, initialInterval: '500ms', maximumInterval: '30s' },
});

export function batchOptions(stage: StagePlan): ActivityOptions {
  return {
    startToCloseTimeout: stage.startToCloseMs,
    // Heartbeats carry cancellation to the handlers and follow each durable write of outcomes;
    // a batch silent for this long is presumed dead (its worker killed, its Postgres gone) and
    // Temporal runs it again elsewhere, which takes back its claims.
    heartbeatTimeout: '15s',
    // Wait for a cancelled batch to write what it finished before the chunk reports cancelled.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    // No maximumAttempts (unlimited): an item's own attempts (item_stages.attempts) decide when
    // its failure is final, so a batch that fails for want of Postgres or a worker keeps trying
    // until they return instead of failing items that never ran. The stage's policy paces retries.
    retry: {
      initialInterval: stage.retry.initialIntervalMs,
      backoffCoefficient: stage.retry.backoffCoefficient,
      maximumInterval: stage.retry.maximumIntervalMs,
    },
  };
}

/**
 * The stage's batch activity. Each call carries a summary the Web UI shows on the activity
 * (stage and item range), so a history reads without opening payloads.
 */
function batchActivity(stage: StagePlan) {
  const options = batchOptions(stage);
  const { processBatch } = proxyActivities<Activities>(options);
  return (input: { operationId: string; stageIndex: number; range: ItemRange }) =>
    processBatch.executeWithOptions(
      {
        ...options,
        summary: `${stage.name}: items ${input.range.fromItemId}–${input.range.toItemId} (${input.range.count})`,
      },
      [input],
    );
}

/** Runs begun before stages opened in one step replay the two steps they recorded. */
const STAGE_OPENS_IN_ONE_STEP = 'stage-opens-in-one-step';
/** Runs begun before a stage boundary was one step replay its close and open apart. */
const STAGE_ADVANCES_IN_ONE_STEP = 'stage-advances-in-one-step';

/**
 * A stage's start over the chunk: its start events, and its slices unless planned already. One
 * local activity (each costs an activation and a Postgres commit) where runs of earlier code had
 * two.
 */
async function openStage(
  operationId: string,
  stageIndex: number,
  chunkIndex: number | undefined,
  slices: { planned?: ItemRange[]; size: number; within: ItemRange },
): Promise<ItemRange[]> {
  const { planned, size, within } = slices;
  if (patched(STAGE_OPENS_IN_ONE_STEP)) {
    const opened = await bookkeeping.openStage({
      operationId,
      stageIndex,
      chunkIndex,
      slices: planned ? undefined : { size, within },
    });
    return planned ?? opened ?? [];
  }
  const ranges =
    planned ?? (await bookkeeping.planRanges({ operationId, stageIndex, size, within }));
  await bookkeeping.recordStageEvent({
    operationId,
    stageIndex,
    type: 'stage.started',
    chunkIndex,
  });
  return ranges;
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
  const slicesBySize = new Map<number, ItemRange[]>();
  const sliceSizeOf = (stage: StagePlan) => (stage.adaptive ? SLICE_SIZE : stage.batchSize);
  /** The stage's slices when the boundary before it opened it already. */
  let opened: ItemRange[] | undefined;
  for (const [position, stage] of input.stages.entries()) {
    const sliceSize = sliceSizeOf(stage);
    const slices =
      opened ??
      (await openStage(operationId, stage.index, chunkIndex, {
        planned: slicesBySize.get(sliceSize),
        size: sliceSize,
        within: input.range,
      }));
    opened = undefined;
    slicesBySize.set(sliceSize, slices);
    const processBatch = batchActivity(stage);
    const queue = [...slices];
    let batchSize = stage.batchSize;
    /** The next batch: as many slices as make up the current batch size, as one range. */
    const take = (): ItemRange | undefined => {
      const taken = queue.splice(
        0,
        stage.adaptive ? Math.max(1, Math.round(batchSize / sliceSize)) : 1,
      );
      const first = taken[0];
      const last = taken.at(-1);
      if (!first || !last) return undefined;
      return {
        fromItemId: first.fromItemId,
        toItemId: last.toItemId,
        count: taken.reduce((sum, slice) => sum + slice.count, 0),
      };
    };
    const lane = async (stopped: () => boolean) => {
      for (let range = take(); range && !stopped(); range = take()) {
        await waitWhilePaused();
        // Counts come from item_stages afterwards: a retried batch's earlier attempts wrote some.
        const result = await processBatch({ operationId, stageIndex: stage.index, range });
        if (stage.adaptive) batchSize = nextBatchSize(batchSize, result.items, result.durationMs);
      }
    };
    const next = input.stages[position + 1];
    // The stage closes only when Postgres shows every row of the chunk final; rows left behind
    // come back as ranges and run again, a bounded number of rounds (closeStage fails past it).
    for (let round = 1; ; round++) {
      await runLanes(input.settings.parallelBatches, lane);
      const close = {
        operationId,
        stageIndex: stage.index,
        chunkIndex,
        range: input.range,
        size: sliceSize,
        round,
      };
      if (next && patched(STAGE_ADVANCES_IN_ONE_STEP)) {
        const nextPlanned = slicesBySize.get(sliceSizeOf(next));
        const advanced = await bookkeeping.advanceStage({
          close,
          open: {
            operationId,
            stageIndex: next.index,
            chunkIndex,
            slices: nextPlanned ? undefined : { size: sliceSizeOf(next), within: input.range },
          },
        });
        if (advanced.rerun.length === 0) {
          opened = nextPlanned ?? advanced.opened ?? [];
          break;
        }
        queue.push(...advanced.rerun);
        continue;
      }
      const { rerun } = await bookkeeping.closeStage(close);
      if (rerun.length === 0) break;
      queue.push(...rerun);
    }
  }
}
