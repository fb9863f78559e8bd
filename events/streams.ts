import { Unavailable } from '../common/domain-errors';
import type { Event } from '../db/events';
import type { EventHub, StreamBounds } from './hub';

/** What one API process allows its event streams. */
export interface StreamLimits {
  maxConnections: number;
  keepAliveMs: number;
}

/**
 * Refuses a stream past the process's cap (Unavailable); the client should retry later or
 * another API process.
 */
export function refuseOverCap(hub: Pick<EventHub, 'openStreams'>, limits: StreamLimits): void {
  if (hub.openStreams >= limits.maxConnections) {
    throw new Unavailable(
      `This API process serves at most ${limits.maxConnections} event streams (SSE_MAX_CONNECTIONS); retry in a few seconds or connect to another API process.`,
    );
  }
}

/** An event handed over by the hub, serialized once: its size counts toward the bound. */
export interface Queued {
  event: Event;
  data: string;
}

export const queued = (event: Event): Queued => ({ event, data: JSON.stringify(event) });

/**
 * What the hub has handed one stream and its client has not yet taken, in order. Bounded in
 * events and in bytes: a client that falls that far behind is cut rather than held in memory,
 * and resumes from Postgres.
 */
export class StreamBuffer {
  private readonly waiting: Queued[] = [];
  private bytes = 0;

  constructor(private readonly bounds: StreamBounds) {}

  get length(): number {
    return this.waiting.length;
  }

  /** Adds an event; false when that puts the buffer past either bound. */
  push(event: Event): boolean {
    const next = queued(event);
    this.waiting.push(next);
    this.bytes += next.data.length;
    return (
      this.waiting.length <= this.bounds.maxQueuedEvents && this.bytes <= this.bounds.maxQueuedBytes
    );
  }

  shift(): Queued | undefined {
    const next = this.waiting.shift();
    if (next) this.bytes -= next.data.length;
    return next;
  }

  clear(): void {
    this.waiting.length = 0;
    this.bytes = 0;
  }
}
