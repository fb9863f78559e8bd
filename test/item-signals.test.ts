import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createItemSignals } from '../activities/item-signals';

describe('per-item abort signals', () => {
  it('fire on the item’s timeout, even for a signal first read after it passed', async () => {
    const signals = createItemSignals(new AbortController().signal, 30);
    const early = signals.run(async (signal) => {
      const read = signal();
      await sleep(60);
      return read.aborted;
    });
    const late = signals.run(async (signal) => {
      await sleep(60);
      return signal().aborted;
    });
    const untouched = signals.run(async () => 'done');
    expect(await Promise.all([early, late, untouched])).toEqual([true, true, 'done']);
    signals.dispose();
  });

  it('fire on the batch’s cancellation, for signals read before and after it', async () => {
    const batch = new AbortController();
    const signals = createItemSignals(batch.signal, 60_000);
    const before = signals.run(async (signal) => {
      const read = signal();
      await sleep(20);
      return read.aborted;
    });
    const after = signals.run(async (signal) => {
      await sleep(20);
      return signal().reason;
    });
    batch.abort('cancelled');
    expect(await before).toBe(true);
    expect(await after).toBe('cancelled');
    signals.dispose();
  });
});
