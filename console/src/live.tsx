/**
 * Live data. The API's event streams need `Authorization`, which EventSource cannot send, so
 * they are read with fetch and a ReadableStream; a dropped stream resumes with Last-Event-ID.
 */
import { useEffect, useRef } from 'preact/hooks';
import { session } from './api';
import type { ConveyorEvent } from './types';

/** Parses Server-Sent Events blocks ("id:", "event:", "data:" lines, blank line ends one). */
function parseBlock(block: string): { id?: string; data?: string } {
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('id:')) id = line.slice(3).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return { id, data: data.length ? data.join('\n') : undefined };
}

export interface StreamOptions {
  /** True once the stream has nothing more to say (an operation's stream after its end). */
  finished?: () => boolean;
  onEvent: (event: ConveyorEvent) => void;
}

/** Reads `path` as SSE until `signal` aborts, reconnecting a second after a drop. */
export async function readEventStream(path: string, options: StreamOptions, signal: AbortSignal) {
  let lastId: string | undefined;
  while (!signal.aborted) {
    try {
      const response = await fetch(path, {
        headers: {
          authorization: `Bearer ${session.key() ?? ''}`,
          accept: 'text/event-stream',
          ...(lastId ? { 'last-event-id': lastId } : {}),
        },
        signal,
      });
      // Refused streams (a bad key, too many streams): polling carries the page meanwhile.
      if (!response.ok || !response.body) return;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const { id, data } = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (id) lastId = id;
          if (data) options.onEvent(JSON.parse(data) as ConveyorEvent);
          end = buffer.indexOf('\n\n');
        }
      }
      if (options.finished?.()) return;
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Subscribes a component to an event stream for as long as it is mounted. */
export function useEventStream(
  path: string | null,
  onEvent: (event: ConveyorEvent) => void,
  finished?: () => boolean,
) {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const isFinished = useRef(finished);
  isFinished.current = finished;
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    void readEventStream(
      path,
      {
        onEvent: (event) => handler.current(event),
        finished: () => isFinished.current?.() ?? false,
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [path]);
}

/** Calls `tick` every `ms` while `active`, and once at once. */
export function usePolling(tick: () => void, ms: number, active: boolean) {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    latest.current();
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
  }, [ms, active]);
}

/** A trigger that runs `action` at most once per `ms`, the last call never lost. */
export function useThrottle(action: () => void, ms: number): () => void {
  const latest = useRef(action);
  latest.current = action;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useRef(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, ms);
  }).current;
}
