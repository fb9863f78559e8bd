import { condition, setHandler } from '@temporalio/workflow';
import type { ChunkInput } from '../common/engine';
import { setPausedSignal } from './definitions';
import { runChunk } from './run-chunk';

/** One chunk (at most 2,000 items) of a large operation, as a child of the operation workflow. */
export async function chunkWorkflow(input: ChunkInput): Promise<void> {
  let paused = input.paused;
  setHandler(setPausedSignal, (value) => {
    paused = value;
  });
  await runChunk({ ...input, chunked: true }, () => condition(() => !paused));
}
