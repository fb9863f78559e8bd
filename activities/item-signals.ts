/**
 * Per-item abort signals that fire on the batch's cancellation or the item's own timeout.
 * `AbortSignal.any` with `AbortSignal.timeout` costs milliseconds per item on Node 20 and keeps
 * a listener on the batch signal per item; one listener per batch and a plain timer are cheap.
 */
export function createItemSignals(batch: AbortSignal, timeoutMs: number) {
  const active = new Set<AbortController>();
  const onBatchAbort = () => {
    for (const controller of active) controller.abort(batch.reason);
  };
  batch.addEventListener('abort', onBatchAbort, { once: true });

  return {
    /** Runs `fn` with a signal for one item; the signal is released when `fn` settles. */
    async run<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      const controller = new AbortController();
      if (batch.aborted) controller.abort(batch.reason);
      const timer = setTimeout(
        () => controller.abort(new Error(`item timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      active.add(controller);
      try {
        return await fn(controller.signal);
      } finally {
        clearTimeout(timer);
        active.delete(controller);
      }
    },
    dispose() {
      batch.removeEventListener('abort', onBatchAbort);
    },
  };
}
