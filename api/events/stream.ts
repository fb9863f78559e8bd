import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { type Event, type EventFilter, eventsAfter } from '../../db/events';
import type { EventHub, Subscription } from '../../events/hub';
import { type Queued, queued, StreamBuffer, type StreamLimits } from '../../events/streams';
import type { AppEnv } from '../env';

const BACKLOG_PAGE = 500;

export interface EventStreamOptions {
  tenantId: string;
  /** The key the stream was opened with; revoking it ends the stream. */
  keyId: string;
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

const send = (stream: SSEStreamingApi, queued: Queued) =>
  stream.writeSSE({ id: String(queued.event.id), event: queued.event.type, data: queued.data });

/** What `@hono/node-server` hands each request besides it: the response, to cut a client off. */
interface NodeBindings {
  outgoing?: { destroy(): void };
}

/**
 * Server-Sent Events from the hub: first the backlog after `from` read from Postgres, then each
 * new event as the hub hands it over. Ids only grow, so an event is sent when its id is above
 * the last one sent: the backlog and the live events meet with no gap and no repeat.
 *
 * A client that falls behind the hub's bounds (events or bytes handed over, not yet written),
 * or takes no keep-alive within an interval, is cut: its response is destroyed, so nothing
 * more waits in memory for it, and it resumes with `Last-Event-ID` from Postgres, where every
 * event it missed is kept. A stream whose key is revoked is cut the same way.
 */
export function streamEvents(
  c: Context<AppEnv>,
  hub: EventHub,
  limits: StreamLimits,
  options: EventStreamOptions,
): Response {
  const { db } = c.get('deps').database;
  let cut = () => {};
  const closeStream = hub.openStream(options.keyId, () => cut());
  return streamSSE(c, async (stream) => {
    const queue = new StreamBuffer(hub.bounds);
    let wakeWriter: (() => void) | undefined;
    let over = false;
    cut = () => {
      over = true;
      queue.clear();
      wakeWriter?.();
      // Unblocks a write waiting on the client, then drops what its socket still holds.
      stream.abort();
      (c.env as NodeBindings | undefined)?.outgoing?.destroy();
    };
    stream.onAbort(() => {
      over = true;
      wakeWriter?.();
    });
    let subscription: Subscription | undefined;
    try {
      subscription = await hub.subscribe(options.tenantId, options.filter, (event) => {
        if (over) return;
        if (queue.push(event)) wakeWriter?.();
        else cut();
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
            if (over) return true;
            await send(stream, queued(event));
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
      while (!over) {
        if (queue.length === 0) {
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wakeWriter = resolve;
            timer = setTimeout(resolve, limits.keepAliveMs);
          });
          clearTimeout(timer);
          wakeWriter = undefined;
          if (queue.length === 0 && !over) {
            // A comment line: keeps proxies from closing an idle stream.
            await keepAlive(stream, limits.keepAliveMs, cut);
            continue;
          }
        }
        for (let next = queue.shift(); next; next = queue.shift()) {
          if (next.event.id <= lastSent) continue;
          await send(stream, next);
          lastSent = next.event.id;
          if (ended(next.event)) return;
        }
      }
    } finally {
      subscription?.close();
      closeStream();
      await options.release?.();
    }
  });
}

/** Writes a keep-alive; a client that has not taken it within `withinMs` is stalled or gone. */
async function keepAlive(stream: SSEStreamingApi, withinMs: number, cut: () => void) {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), withinMs);
  });
  const written = stream.write(': keep-alive\n\n').then(() => false);
  if (await Promise.race([written, stalled])) cut();
  clearTimeout(timer);
}
