import { describe, expect, it } from 'vitest';
import { inlineHistoryEstimate } from '../../common/slices';

describe('the history estimate of chunks run inline', () => {
  it('counts every run over every chunk, a batch per first batch size started', () => {
    // Two chunks (2,000 and 500) and two runs (batches of 100, then of 1,000).
    const runs = [[{ batchSize: 100 }], [{ batchSize: 1_000 }, { batchSize: 7 }]];
    const batches = 20 + 5 + 2 + 1;
    expect(inlineHistoryEstimate([2_000, 500], runs)).toBe(4 * 12 + batches * 6);
  });

  it('keeps an operation of ten full chunks inline at the default sizes, not one of tiny batches', () => {
    const chunks = Array.from({ length: 10 }, () => 2_000);
    expect(inlineHistoryEstimate(chunks, [[{ batchSize: 100 }]])).toBeLessThanOrEqual(8_000 / 2);
    expect(inlineHistoryEstimate(chunks, [[{ batchSize: 10 }]])).toBeGreaterThan(8_000 / 2);
  });
});
