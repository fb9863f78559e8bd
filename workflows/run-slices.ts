import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StagePlan } from '../common/engine';
import type { Slice, SlicedChunkInput, SliceInput } from '../common/slices';
import { nextBatchSize } from './batch-size';
import { runLanes } from './lanes';
import { batchOptions, bookkeeping } from './run-chunk';

/** The longest a batch activity may run: Temporal's bound of a day. */
const MAX_BATCH_MS = 24 * 3_600_000;

/**
 * The batch activity of a run of fused stages, with the first stage's retry policy (every stage
 * of a run shares it) and room for each stage's handlers. Each call's summary names the stages
 * and the slice, so the Web UI's history reads without opening payloads: a slice is of the
 * chunk's frozen positions (1-based, as the chunk's number is), not of item ids, so it says so.
 */
function sliceActivity(run: readonly StagePlan[], first: StagePlan) {
  const options = {
    ...batchOptions(first),
    startToCloseTimeout: Math.min(
      run.reduce((sum, stage) => sum + stage.startToCloseMs, 0),
      MAX_BATCH_MS,
    ),
  };
  const { processSlice } = proxyActivities<Activities>(options);
  const names = run.map((stage) => stage.name).join('+');
  return (input: SliceInput) =>
    processSlice.executeWithOptions(
      {
        ...options,
        summary: `${names}: chunk ${input.chunkIndex + 1}, positions ${input.from}–${input.to} (${input.to - input.from + 1})${input.rerun ? ', rerun' : ''}`,
      },
      [input],
    );
}

/**
 * Runs a chunk of a version-2 operation (docs/ledger.md): each run of fused stages as batch
 * activities over slices of the chunk's frozen positions, a bounded number in flight, then a
 * close that checks every item has an outcome in each of the run's stages. Runs follow each
 * other: a run after a barrier starts only when the one before closed over the chunk.
 * `waitWhilePaused` is awaited before each batch starts.
 */
export async function runSlicedChunk(
  input: SlicedChunkInput,
  waitWhilePaused: () => Promise<void>,
): Promise<void> {
  const { operationId, chunkIndex } = input;
  for (const [position, run] of input.runs.entries()) {
    const [first] = run;
    if (!first) continue;
    const stages = run.map((stage) => stage.index);
    if (position === 0 && input.chunked) {
      await bookkeeping.openRun({ operationId, chunkIndex, stages });
    }
    const processSlice = sliceActivity(run, first);
    let batchSize = first.batchSize;
    let next = 1;
    let rerunning = false;
    const reruns: Slice[] = [];
    const take = (): Slice | undefined => {
      const again = reruns.shift();
      if (again) return again;
      if (next > input.size) return undefined;
      const slice = { from: next, to: Math.min(input.size, next + batchSize - 1) };
      next = slice.to + 1;
      return slice;
    };
    const lane = async (stopped: () => boolean) => {
      for (let slice = take(); slice && !stopped(); slice = take()) {
        await waitWhilePaused();
        const result = await processSlice({
          operationId,
          chunkIndex,
          stages,
          ...slice,
          ...(rerunning ? { rerun: true } : {}),
        });
        if (first.adaptive) batchSize = nextBatchSize(batchSize, result.items, result.durationMs);
      }
    };
    const following = input.runs[position + 1]?.map((stage) => stage.index);
    for (let round = 1; ; round++) {
      await runLanes(input.parallelBatches, lane);
      const { rerun } = await bookkeeping.closeRun({
        operationId,
        chunkIndex,
        chunked: input.chunked,
        stages,
        size: batchSize,
        round,
        next: following,
      });
      if (rerun.length === 0) break;
      rerunning = true;
      reruns.push(...rerun);
    }
  }
}
