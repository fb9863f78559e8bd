import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createHostAccess, createProgressBoard } from '../../activities/handler-context';
import { ItemContext, type StageScope } from '../../activities/item-context';
import { createItemSignals } from '../../activities/item-signals';
import { logger } from '../../common/log';

const costs: string[] = [];

function scopeOf(batch: AbortSignal, timeoutMs: number): StageScope<{ n: number }> {
  return {
    host: createHostAccess(),
    params: { n: 1 },
    attempt: 2,
    operation: {
      id: 'op-1',
      tenantId: 't',
      jobName: 'j',
      jobVersion: 1,
      mode: 'production',
      priority: 0,
    },
    stageName: 'fetch',
    signals: createItemSignals(batch, timeoutMs),
    progress: createProgressBoard(),
    log: logger(),
    addCost: (itemId, amount, unit) => costs.push(`${itemId}:${amount} ${unit}`),
  };
}

describe('an item’s context', () => {
  it('fires its signal on the item’s timeout, even for a signal first read after it passed', async () => {
    const scope = scopeOf(new AbortController().signal, 30);
    const early = (async () => {
      const context = new ItemContext(scope, 1, 'a');
      const read = context.signal;
      await sleep(60);
      return read.aborted;
    })();
    const late = (async () => {
      const context = new ItemContext(scope, 2, 'b');
      await sleep(60);
      return context.signal.aborted;
    })();
    expect(await Promise.all([early, late])).toEqual([true, true]);
    scope.signals.dispose();
  });

  it('fires its signal on the batch’s cancellation, for signals read before and after it', async () => {
    const batch = new AbortController();
    const scope = scopeOf(batch.signal, 60_000);
    const before = new ItemContext(scope, 1, 'a').signal;
    batch.abort('cancelled');
    expect(before.aborted).toBe(true);
    expect(new ItemContext(scope, 2, 'b').signal.reason).toBe('cancelled');
    scope.signals.dispose();
  });

  it('stops the item’s timer when it ends', async () => {
    const scope = scopeOf(new AbortController().signal, 30);
    const context = new ItemContext(scope, 1, 'a');
    const signal = context.signal;
    context.end();
    await sleep(60);
    expect(signal.aborted).toBe(false);
  });

  it('can be destructured, and reports costs and progress of its own item', () => {
    const scope = scopeOf(new AbortController().signal, 60_000);
    const { params, attempt, stageName, cost, progress, fetch, files } = new ItemContext(
      scope,
      7,
      'k7',
    );
    expect([params, attempt, stageName]).toEqual([{ n: 1 }, 2, 'fetch']);
    expect([typeof fetch, typeof files.read]).toEqual(['function', 'function']);
    cost(3, 'tokens');
    progress(0.5, 'half');
    expect(costs).toContain('7:3 tokens');
    expect(scope.progress.snapshot()).toEqual({ k7: { fraction: 0.5, note: 'half' } });
    const other = new ItemContext(scope, 8, 'k8', 5);
    expect(other.attempt).toBe(5);
    other.progress(1);
    other.end();
    expect(Object.keys(scope.progress.snapshot() ?? {})).toEqual(['k7']);
  });
});
