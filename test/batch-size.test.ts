import { describe, expect, it } from 'vitest';
import {
  MAX_BATCH_SIZE,
  MIN_BATCH_SIZE,
  nextBatchSize,
  TARGET_BATCH_MS,
} from '../workflows/batch-size';

describe('nextBatchSize', () => {
  it('aims at the target duration', () => {
    // 100 items took 250 ms: 2.5 ms each, so 400 fit in the target.
    expect(nextBatchSize(100, 100, 250)).toBe(400);
    expect(nextBatchSize(400, 400, TARGET_BATCH_MS)).toBe(400);
  });

  it('moves at most 4x per batch and stays within bounds', () => {
    expect(nextBatchSize(100, 100, 1)).toBe(400);
    expect(nextBatchSize(100, 100, 100_000)).toBe(25);
    expect(nextBatchSize(1_000, 1_000, 1)).toBe(MAX_BATCH_SIZE);
    expect(nextBatchSize(MIN_BATCH_SIZE, 10, 60_000)).toBe(MIN_BATCH_SIZE);
  });

  it('keeps the size when a batch found nothing to do', () => {
    expect(nextBatchSize(300, 0, 5)).toBe(300);
  });
});
