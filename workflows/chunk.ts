import {
  CancellationScope,
  CancelledFailure,
  condition,
  isCancellation,
  setHandler,
} from '@temporalio/workflow';
import type { ChunkInput } from '../common/engine';
import { setPausedSignal } from './definitions';
import { runChunk } from './run-chunk';

/** One chunk (at most 2,000 items) of a large operation, as a child of the operation workflow. */
export async function chunkWorkflow(input: ChunkInput): Promise<void> {
  let paused = input.paused;
  setHandler(setPausedSignal, (value) => {
    paused = value;
  });
  try {
    await runChunk({ ...input, chunked: true }, () => condition(() => !paused));
  } catch (error) {
    // A batch that failed while the cancel was on its way (retry state CANCEL_REQUESTED) is
    // part of the cancel: the chunk reports cancelled, not failed.
    if (!isCancellation(error) && CancellationScope.current().consideredCancelled) {
      throw new CancelledFailure('chunk cancelled');
    }
    throw error;
  }
}
