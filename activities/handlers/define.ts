import type { z } from 'zod';
import type { Logger } from '../../common/log';

/** One item as a handler sees it. */
export interface HandlerItem {
  id: number;
  key: string;
  data: unknown;
}

export interface HandlerContext<P> {
  params: P;
  /** Aborted when the operation is cancelled or the item's time is up; pass it to any I/O. */
  signal: AbortSignal;
  /** 1 on the first try of this item in this stage. */
  attempt: number;
  operationId: string;
  stageName: string;
  /** Reports what processing this item cost (money, tokens, requests), rolled up per operation. */
  cost(amount: number, unit: string): void;
  /** The worker's logger; its lines carry the operation, stage, handler and this item's key. */
  readonly log: Logger;
}

/**
 * A handler: code that processes one item for one stage. `version` is stamped on every result;
 * bump it when the output changes so earlier results become stale.
 */
export interface ItemHandler<P = unknown, R = unknown> {
  kind: 'item';
  name: string;
  version: string;
  description: string;
  params: z.ZodType<P>;
  process(item: HandlerItem, context: HandlerContext<P>): Promise<R>;
}

/** An item a discovery handler found; upserted into the collection by key. */
export interface DiscoveredItem {
  key: string;
  data: unknown;
}

/**
 * A discovery handler: runs once, as the first stage of a job over a collection, and yields the
 * items that the later stages of the same operation then process.
 */
export interface DiscoveryHandler<P = unknown> {
  kind: 'discovery';
  name: string;
  version: string;
  description: string;
  params: z.ZodType<P>;
  discover(context: HandlerContext<P>): AsyncIterable<DiscoveredItem>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds handlers of every params type; each parses its own.
export type Handler = ItemHandler<any, unknown> | DiscoveryHandler<any>;

type Definition<S extends z.ZodType> = {
  name: string;
  version: string;
  description: string;
  params: S;
};

export function defineHandler<S extends z.ZodType, R>(
  handler: Definition<S> & {
    process(item: HandlerItem, context: HandlerContext<z.output<S>>): Promise<R>;
  },
): ItemHandler<z.output<S>, R> {
  return { kind: 'item', ...handler } as ItemHandler<z.output<S>, R>;
}

export function defineDiscoveryHandler<S extends z.ZodType>(
  handler: Definition<S> & {
    discover(context: HandlerContext<z.output<S>>): AsyncIterable<DiscoveredItem>;
  },
): DiscoveryHandler<z.output<S>> {
  return { kind: 'discovery', ...handler } as DiscoveryHandler<z.output<S>>;
}

/** Thrown by a handler when retrying cannot help: the item fails at once, with this message. */
export class PermanentError extends Error {
  override name = 'PermanentError';
}

/** Thrown by a handler when the item needs no work in this stage; it counts as skipped. */
export class SkipItem extends Error {
  override name = 'SkipItem';
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
