import {
  CancellationScope,
  CancelledFailure,
  condition,
  isCancellation,
  setHandler,
} from '@temporalio/workflow';
import type { ChunkInput } from '../common/engine';
import type { SlicedChunkInput } from '../common/slices';
import { setPausedSignal } from './definitions';
import { runChunk } from './run-chunk';
import { runSlicedChunk } from './run-slices';

/** A chunk's input in either ledger: version 2's names runs of fused stages. */
export type ChunkWorkflowInput = ChunkInput | (SlicedChunkInput & { paused: boolean });

/** One chunk (at most 2,000 items) of a large operation, as a child of the operation workflow. */
export async function chunkWorkflow(input: ChunkWorkflowInput): Promise<void> {
  let paused = input.paused;
  setHandler(setPausedSignal, (value) => {
    paused = value;
  });
  try {
    const waitWhilePaused = () => condition(() => !paused);
    if ('runs' in input) await runSlicedChunk(input, waitWhilePaused);
    else await runChunk({ ...input, chunked: true }, waitWhilePaused);
  } catch (error) {
    // A batch that failed while the cancel was on its way (retry state CANCEL_REQUESTED) is
    // part of the cancel: the chunk reports cancelled, not failed.
    if (!isCancellation(error) && CancellationScope.current().consideredCancelled) {
      throw new CancelledFailure('chunk cancelled');
    }
    throw error;
  }
}
