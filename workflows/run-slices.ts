import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StagePlan } from '../common/engine';
import type { Slice, SlicedChunkInput, SliceInput } from '../common/slices';
import { MAX_BATCH_SIZE, MIN_FIRST_SLICE, nextBatchSize, TARGET_BATCH_MS } from './batch-size';
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
        summary: `${names}: chunk ${input.chunkIndex + 1}, positions ${input.from}–${input.to} (${input.to - input.from + 1})${input.rerun ? ', rerun' : ''}${input.resumed ? ', rest of a batch' : ''}`,
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
 *
 * A run without a batch size of its own starts with a lane's share of the chunk (at least
 * MIN_FIRST_SLICE positions) and a time box: a batch stops starting items after TARGET_BATCH_MS
 * and hands back the rest, so quick items go in a few large batches from the first, and slow ones
 * still in batches of about a second.
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
    if (position === 0 && input.chunked && !input.firstRunOpened) {
      await bookkeeping.openRun({ operationId, chunks: [chunkIndex], stages });
    }
    const processSlice = sliceActivity(run, first);
    const timeBoxed = first.adaptive && patched('v2-time-boxed-batches');
    const laneShare = Math.ceil(input.size / input.parallelBatches);
    let batchSize = timeBoxed
      ? Math.max(
          first.batchSize,
          Math.min(
            MAX_BATCH_SIZE,
            patched('v2-large-first-slices') ? Math.max(laneShare, MIN_FIRST_SLICE) : laneShare,
          ),
        )
      : first.batchSize;
    let next = 1;
    let rerunning = false;
    const reruns: Slice[] = [];
    const rests: Slice[] = [];
    const take = (): (Slice & { resumed?: boolean }) | undefined => {
      const again = reruns.shift();
      if (again) return again;
      const rest = rests.shift();
      if (rest) {
        const to = Math.min(rest.to, rest.from + batchSize - 1);
        if (to < rest.to) rests.unshift({ from: to + 1, to: rest.to });
        return { from: rest.from, to, resumed: true };
      }
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
          ...(timeBoxed ? { timeBoxMs: TARGET_BATCH_MS } : {}),
        });
        if (result.rest) rests.push(result.rest);
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
