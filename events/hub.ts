import type { Database } from '../db/client';
import {
  EVENTS_CHANNEL,
  type Event,
  type EventFilter,
  eventsAfter,
  lastEventId,
} from '../db/events';
import { validKeyIds } from '../db/key-checks';

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

/** How far one stream's client may fall behind (events handed over, not yet written) before it is cut. */
export interface StreamBounds {
  maxQueuedEvents: number;
  maxQueuedBytes: number;
}

export interface EventHubOptions {
  bounds?: StreamBounds;
  /** Milliseconds between checks that the open streams' keys are still valid. */
  keyCheckMs?: number;
}

const DEFAULT_BOUNDS: StreamBounds = { maxQueuedEvents: 10_000, maxQueuedBytes: 8 * 1024 * 1024 };
const DEFAULT_KEY_CHECK_MS = 2_000;

interface OpenStream {
  keyId: string;
  cut(): void;
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
  private readonly streams = new Set<OpenStream>();
  private keyCheck: NodeJS.Timeout | undefined;
  private checkingKeys = false;
  readonly bounds: StreamBounds;
  private readonly keyCheckMs: number;

  constructor(
    private readonly database: Database,
    private readonly log: (line: string) => void = (line) => console.error(line),
    options: EventHubOptions = {},
  ) {
    this.bounds = options.bounds ?? DEFAULT_BOUNDS;
    this.keyCheckMs = options.keyCheckMs ?? DEFAULT_KEY_CHECK_MS;
  }

  /** Open streams of this process, for the connection cap. */
  get openStreams(): number {
    return this.streams.size;
  }

  /**
   * Counts a stream while it is open, and calls `cut` once its key is found revoked (or its
   * tenant deleted): a stream authenticated once must not outlive its key. Returns the call that
   * ends it.
   */
  openStream(keyId: string, cut: () => void): () => void {
    const stream: OpenStream = { keyId, cut };
    this.streams.add(stream);
    if (!this.keyCheck) {
      this.keyCheck = setInterval(() => void this.checkKeys(), this.keyCheckMs);
      this.keyCheck.unref();
    }
    return () => {
      this.streams.delete(stream);
      if (this.streams.size === 0) this.stopKeyChecks();
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
    this.stopKeyChecks();
    await this.unlisten?.();
    this.unlisten = undefined;
    this.listening = undefined;
  }

  private stopKeyChecks(): void {
    clearInterval(this.keyCheck);
    this.keyCheck = undefined;
  }

  /** One query for every open stream's key; a stream whose key is gone is cut. */
  private async checkKeys(): Promise<void> {
    if (this.checkingKeys) return;
    this.checkingKeys = true;
    try {
      const streams = [...this.streams];
      const valid = await validKeyIds(this.database.db, [
        ...new Set(streams.map((stream) => stream.keyId)),
      ]);
      for (const stream of streams) {
        if (!valid.has(stream.keyId) && this.streams.has(stream)) stream.cut();
      }
    } catch (error) {
      // Streams stay open until a check can tell; the next interval tries again.
      this.log(`event hub: checking open streams' keys failed: ${(error as Error).message}`);
    } finally {
      this.checkingKeys = false;
    }
  }

  private listen(): Promise<unknown> {
    this.listening ??= this.database.sql
      .listen(
        EVENTS_CHANNEL,
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
