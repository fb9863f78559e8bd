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
     * The abort of an item that started at `started` (performance.now()), made when its handler
     * first reads its signal; `release` it when the item ends.
     */
    make(started: number): ItemAbort {
      const controller = new AbortController();
      const made: ItemAbort = { controller };
      const left = timeoutMs - (performance.now() - started);
      if (batch.aborted) controller.abort(batch.reason);
      else if (left <= 0) controller.abort(timedOut(timeoutMs));
      else made.timer = setTimeout(() => controller.abort(timedOut(timeoutMs)), left);
      active.add(controller);
      return made;
    },
    release(made: ItemAbort) {
      clearTimeout(made.timer);
      active.delete(made.controller);
    },
    dispose() {
      batch.removeEventListener('abort', onBatchAbort);
    },
  };
}

export type ItemSignals = ReturnType<typeof createItemSignals>;

export interface ItemAbort {
  controller: AbortController;
  timer?: NodeJS.Timeout;
}

const timedOut = (timeoutMs: number) => new Error(`item timed out after ${timeoutMs} ms`);
