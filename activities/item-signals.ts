/**
 * Per-item abort signals that fire on the batch's cancellation or the item's own timeout.
 * `AbortSignal.any` with `AbortSignal.timeout` costs milliseconds per item on Node 20 and keeps
 * a listener on the batch signal per item; one listener per batch and a plain timer are cheap.
 * Cheaper still is nothing: a signal is made only when a handler reads it (most never do, and
 * an abort nobody can observe changes nothing), with its timer set for what is left of the
 * item's time.
 */
export function createItemSignals(batch: AbortSignal, timeoutMs: number) {
  const active = new Set<AbortController>();
  const onBatchAbort = () => {
    for (const controller of active) controller.abort(batch.reason);
  };
  batch.addEventListener('abort', onBatchAbort, { once: true });

  return {
    /**
     * Runs `fn` with a getter of the item's signal; the signal, if made, is released when `fn`
     * settles.
     */
    async run<T>(fn: (signal: () => AbortSignal) => Promise<T>): Promise<T> {
      const started = performance.now();
      let controller: AbortController | undefined;
      let timer: NodeJS.Timeout | undefined;
      const signal = () => {
        if (controller) return controller.signal;
        const made = new AbortController();
        controller = made;
        const timedOut = () => made.abort(new Error(`item timed out after ${timeoutMs} ms`));
        const left = timeoutMs - (performance.now() - started);
        if (batch.aborted) made.abort(batch.reason);
        else if (left <= 0) timedOut();
        else timer = setTimeout(timedOut, left);
        active.add(made);
        return made.signal;
      };
      try {
        return await fn(signal);
      } finally {
        if (controller) {
          clearTimeout(timer);
          active.delete(controller);
        }
      }
    },
    dispose() {
      batch.removeEventListener('abort', onBatchAbort);
    },
  };
}
