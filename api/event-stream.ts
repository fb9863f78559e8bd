import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { type Event, type EventFilter, eventsAfter } from '../db/events';
import type { AppEnv } from './env';
import type { EventHub, Subscription } from './event-hub';
import { problems } from './problems';

const BACKLOG_PAGE = 500;
/** Events a slow client may fall behind by; past it the stream ends and the client resumes. */
const MAX_QUEUED = 10_000;

export interface StreamLimits {
  maxConnections: number;
  keepAliveMs: number;
}

export interface EventStreamOptions {
  tenantId: string;
  filter: EventFilter;
  /** The id to send events after (a `Last-Event-ID`), or `live` for what happens from now. */
  from: number | 'live';
  /** Whether the stream has said all it will once this event is sent. */
  endsWith?: (event: Event) => boolean;
  /** Asked when the backlog is sent and the stream would wait: true ends it there. */
  alreadyOver?: () => Promise<boolean>;
  /** Gives back what the stream holds of its tenant's quota, once it ends however it ends. */
  release?: () => Promise<void>;
}

/** The id a reconnecting client sent, if it is one of ours. */
export function lastEventIdOf(c: Context<AppEnv>): number | undefined {
  const header = c.req.header('last-event-id')?.trim();
  return header && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
}

/**
 * Refuses a stream past the process's cap with a 503 problem; the client should retry later
 * or another API process.
 */
export function refuseOverCap(hub: EventHub, limits: StreamLimits): void {
  if (hub.openStreams >= limits.maxConnections) {
    throw problems.unavailable(
      `This API process serves at most ${limits.maxConnections} event streams (SSE_MAX_CONNECTIONS); retry in a few seconds or connect to another API process.`,
    );
  }
}

const send = (stream: SSEStreamingApi, event: Event) =>
  stream.writeSSE({ id: String(event.id), event: event.type, data: JSON.stringify(event) });

/**
 * Server-Sent Events from the hub: first the backlog after `from` read from Postgres, then each
 * new event as the hub hands it over. Ids only grow, so an event is sent when its id is above
 * the last one sent: the backlog and the live events meet with no gap and no repeat.
 */
export function streamEvents(
  c: Context<AppEnv>,
  hub: EventHub,
  limits: StreamLimits,
  options: EventStreamOptions,
): Response {
  const { db } = c.get('deps').database;
  const closeStream = hub.openStream();
  return streamSSE(c, async (stream) => {
    const queue: Event[] = [];
    let wakeWriter: (() => void) | undefined;
    let aborted = false;
    stream.onAbort(() => {
      aborted = true;
      wakeWriter?.();
    });
    let subscription: Subscription | undefined;
    try {
      subscription = await hub.subscribe(options.tenantId, options.filter, (event) => {
        queue.push(event);
        wakeWriter?.();
      });
      let lastSent = options.from === 'live' ? subscription.joinedAfter : options.from;
      const ended = (event: Event) => options.endsWith?.(event) ?? false;
      /** Sends what Postgres holds after `lastSent`; true when that ended the stream. */
      const sendBacklog = async () => {
        for (;;) {
          const page = await eventsAfter(
            db,
            options.tenantId,
            lastSent,
            BACKLOG_PAGE,
            options.filter,
          );
          for (const event of page) {
            await send(stream, event);
            lastSent = event.id;
            if (ended(event)) return true;
          }
          if (page.length < BACKLOG_PAGE) return false;
        }
      };
      if (await sendBacklog()) return;
      // Says the stream is live: whatever is written from now on will be sent.
      await stream.write(': ready\n\n');
      // Over before the backlog was read to its end: what was written meanwhile is sent, then
      // the stream ends.
      if (await options.alreadyOver?.()) {
        await sendBacklog();
        return;
      }
      while (!aborted) {
        if (queue.length === 0) {
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wakeWriter = resolve;
            timer = setTimeout(resolve, limits.keepAliveMs);
          });
          clearTimeout(timer);
          wakeWriter = undefined;
          if (queue.length === 0 && !aborted) {
            // A comment line: keeps proxies from closing an idle stream.
            await stream.write(': keep-alive\n\n');
            continue;
          }
        }
        // Too far behind: the client reconnects with Last-Event-ID and reads from Postgres.
        if (queue.length > MAX_QUEUED) return;
        for (const event of queue.splice(0)) {
          if (event.id <= lastSent) continue;
          await send(stream, event);
          lastSent = event.id;
          if (ended(event)) return;
        }
      }
    } finally {
      subscription?.close();
      closeStream();
      await options.release?.();
    }
  });
}
