import { MAX_BATCH_SIZE } from '../common/limits';

export { MAX_BATCH_SIZE };

/**
 * Adaptive batch sizing. A batch activity costs a fixed Temporal round trip whatever its size,
 * so batches should be as large as keeps each near TARGET_BATCH_MS: long enough that the round
 * trip is noise, short enough that pause, cancel and retry stay prompt.
 */
export const TARGET_BATCH_MS = 1_000;
/** Batches are made of slices of this many items, planned once per chunk. */
export const SLICE_SIZE = 10;
export const MIN_BATCH_SIZE = SLICE_SIZE;

/**
 * The next batch size after a batch of `items` took `durationMs`: aimed at the target, moved at
 * most 4× at a time (one odd batch should not swing it), within the bounds.
 */
export function nextBatchSize(current: number, items: number, durationMs: number): number {
  if (items <= 0) return current;
  const perItemMs = Math.max(durationMs, 1) / items;
  const ideal = TARGET_BATCH_MS / perItemMs;
  const bounded = Math.min(Math.max(ideal, current / 4), current * 4);
  return Math.round(Math.min(Math.max(bounded, MIN_BATCH_SIZE), MAX_BATCH_SIZE));
}
