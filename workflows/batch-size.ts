import { MAX_BATCH_SIZE, MIN_BATCH_SIZE, MIN_FIRST_SLICE, TARGET_BATCH_MS } from '../common/limits';

export { MAX_BATCH_SIZE, MIN_BATCH_SIZE, MIN_FIRST_SLICE, TARGET_BATCH_MS };

/** Version 1's batches are made of slices of this many items, planned once per chunk. */
export const SLICE_SIZE = MIN_BATCH_SIZE;

/**
 * Adaptive batch sizing, toward batches of about TARGET_BATCH_MS. The next batch size after a batch of `items` took `durationMs`: aimed at the target, moved at
 * most 4× at a time (one odd batch should not swing it), within the bounds.
 */
export function nextBatchSize(current: number, items: number, durationMs: number): number {
  if (items <= 0) return current;
  const perItemMs = Math.max(durationMs, 1) / items;
  const ideal = TARGET_BATCH_MS / perItemMs;
  const bounded = Math.min(Math.max(ideal, current / 4), current * 4);
  return Math.round(Math.min(Math.max(bounded, MIN_BATCH_SIZE), MAX_BATCH_SIZE));
}
