import { setTimeout as sleep } from 'node:timers/promises';
import type { ConveyorClient, ConveyorEvent, OperationDetail } from './index';

const FINISHED = ['completed', 'failed', 'cancelled'];

export interface WatchOptions {
  /** Called with the operation's state (per-stage counts) each time it is read. */
  onProgress?: (operation: OperationDetail) => void;
  /** Called with each event of the operation's stream. */
  onEvent?: (event: ConveyorEvent) => void;
  /** Stops watching; the returned promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Longest wait between two reads of the operation (ms); events read it sooner. */
  refreshMs?: number;
}

/** Shortest wait between two reads, so a burst of events costs one read. */
const MIN_REFRESH_MS = 250;
const RECONNECT_MS = 1_000;
/**
 * Longest wait, once a read says the operation is finished, for its stream to deliver the
 * closing event: the read can see the finish before the stream has sent it.
 */
const CLOSING_EVENT_MS = 5_000;

/**
 * Follows an operation until it is finished. Events (the SSE stream, resumed after a drop with
 * the last event id) say when something moved; per-stage counts are not in the events, so each
 * burst of events is followed by one read of the operation. Reads also happen every
 * `refreshMs` without events, so a stream that cannot be opened only makes the watch slower.
 */
export async function watchOperation(
  client: ConveyorClient,
  id: string,
  { onProgress, onEvent, signal, refreshMs = 2_000 }: WatchOptions = {},
): Promise<OperationDetail> {
  const stop = new AbortController();
  const abort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', abort, { once: true });
  let wake: (() => void) | undefined;
  const poke = () => wake?.();
  stop.signal.addEventListener('abort', poke, { once: true });

  const follow = async () => {
    let after: string | undefined;
    while (!stop.signal.aborted) {
      try {
        for await (const event of client.operationEvents(id, { after, signal: stop.signal })) {
          after = String(event.id);
          onEvent?.(event);
          poke();
        }
        // The stream ends only once the operation is over: one last read says how.
        poke();
        return;
      } catch {
        if (stop.signal.aborted) return;
        await sleep(RECONNECT_MS, undefined, { signal: stop.signal }).catch(() => {});
      }
    }
  };
  const following = follow();

  try {
    for (;;) {
      const operation = await client.getOperation(id);
      onProgress?.(operation);
      if (FINISHED.includes(operation.status)) {
        if (onEvent) {
          const patience = new AbortController();
          const timeout = sleep(CLOSING_EVENT_MS, undefined, { signal: patience.signal });
          await Promise.race([following, timeout.catch(() => {})]);
          patience.abort();
        }
        return operation;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, refreshMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      if (stop.signal.aborted) throw stop.signal.reason;
      await sleep(MIN_REFRESH_MS);
    }
  } finally {
    signal?.removeEventListener('abort', abort);
    stop.abort();
    await following;
  }
}
