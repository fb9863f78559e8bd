import type { Database } from '../db/client';
import { type Event, type EventFilter, eventsAfter, lastEventId } from '../db/events';

/** The channel the events trigger notifies, with the tenant id as payload (migration 0007). */
const CHANNEL = 'conveyor_events';
const PAGE = 500;

export interface Subscription {
  /** The newest id the hub had read when the subscriber joined: later ones reach it live. */
  joinedAfter: number;
  close(): void;
}

interface Subscriber {
  filter: EventFilter;
  deliver(event: Event): void;
}

interface TenantFeed {
  lastId: number;
  subscribers: Set<Subscriber>;
  reading: boolean;
  again: boolean;
}

export function matches(filter: EventFilter, event: Event): boolean {
  return (
    (!filter.operationId || event.operationId === filter.operationId) &&
    (!filter.types?.length || filter.types.includes(event.type)) &&
    (!filter.jobName || event.jobName === filter.jobName) &&
    (!filter.collectionId || event.collectionId === filter.collectionId)
  );
}

/**
 * One per API process: a single LISTEN on the events channel, and per tenant with subscribers
 * one cursor that reads what is new once per notice and hands each event to the subscribers it
 * matches. However many clients stream, Postgres sees one listener and one read per notice.
 */
export class EventHub {
  private readonly feeds = new Map<string, Promise<TenantFeed>>();
  private readonly noticeListeners = new Set<(tenantId: string | undefined) => void>();
  private listening: Promise<unknown> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private streams = 0;

  constructor(
    private readonly database: Database,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  /** Open streams of this process, for the connection cap. */
  get openStreams(): number {
    return this.streams;
  }

  /** Counts a stream while it is open; returns the call that ends it. */
  openStream(): () => void {
    this.streams++;
    let open = true;
    return () => {
      if (open) this.streams--;
      open = false;
    };
  }

  async subscribe(
    tenantId: string,
    filter: EventFilter,
    deliver: (event: Event) => void,
  ): Promise<Subscription> {
    await this.listen();
    const pending = this.feed(tenantId);
    const feed = await pending;
    // The last subscriber may have left while the feed was being made; then make it again.
    if (this.feeds.get(tenantId) !== pending) return this.subscribe(tenantId, filter, deliver);
    const subscriber: Subscriber = { filter, deliver };
    feed.subscribers.add(subscriber);
    return {
      joinedAfter: feed.lastId,
      close: () => {
        feed.subscribers.delete(subscriber);
        // A tenant nobody follows is not read on every notice.
        if (feed.subscribers.size === 0 && this.feeds.get(tenantId) === pending) {
          this.feeds.delete(tenantId);
        }
      },
    };
  }

  /**
   * Calls `listener` with the tenant of each notice, and with undefined after the listener
   * (re)connects, when notices may have been missed. Starts listening.
   */
  onNotice(listener: (tenantId: string | undefined) => void): Promise<unknown> {
    this.noticeListeners.add(listener);
    return this.listen();
  }

  async close(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
    this.listening = undefined;
  }

  private listen(): Promise<unknown> {
    this.listening ??= this.database.sql
      .listen(
        CHANNEL,
        (tenantId) => {
          this.wake(tenantId);
          for (const listener of this.noticeListeners) listener(tenantId);
        },
        // Also after a reconnect: notices sent while the listener was away are lost, so every
        // feed reads on from its cursor.
        () => {
          for (const tenantId of this.feeds.keys()) this.wake(tenantId);
          for (const listener of this.noticeListeners) listener(undefined);
        },
      )
      .then(({ unlisten }) => {
        this.unlisten = unlisten;
      })
      .catch((error: Error) => {
        this.listening = undefined;
        throw error;
      });
    return this.listening;
  }

  private feed(tenantId: string): Promise<TenantFeed> {
    let feed = this.feeds.get(tenantId);
    if (!feed) {
      feed = lastEventId(this.database.db, tenantId).then((lastId) => ({
        lastId,
        subscribers: new Set<Subscriber>(),
        reading: false,
        again: false,
      }));
      feed.catch(() => this.feeds.delete(tenantId));
      this.feeds.set(tenantId, feed);
    }
    return feed;
  }

  private wake(tenantId: string): void {
    const pending = this.feeds.get(tenantId);
    if (!pending) return;
    pending.then((feed) => this.read(tenantId, feed)).catch(() => undefined);
  }

  /** Reads on from the feed's cursor until nothing is new; a notice meanwhile reads again. */
  private async read(tenantId: string, feed: TenantFeed): Promise<void> {
    if (feed.reading) {
      feed.again = true;
      return;
    }
    feed.reading = true;
    try {
      let page: Event[];
      do {
        feed.again = false;
        page = await eventsAfter(this.database.db, tenantId, feed.lastId, PAGE);
        for (const event of page) {
          feed.lastId = event.id;
          for (const subscriber of feed.subscribers) {
            if (matches(subscriber.filter, event)) subscriber.deliver(event);
          }
        }
      } while (page.length === PAGE || feed.again);
    } catch (error) {
      // The next notice (or the listener's reconnect) reads on from the same cursor.
      this.log(
        `event hub: reading tenant ${tenantId}'s events failed: ${(error as Error).message}`,
      );
    } finally {
      feed.reading = false;
    }
  }
}
