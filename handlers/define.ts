import type { z } from 'zod';
import type { OperationMode, RetryPolicy } from '../common/domain';
import type { Logger } from '../common/log';
import type { Files } from './file-guard';
import type { Outbound } from './outbound';

/** One item as a handler sees it. */
export interface HandlerItem {
  id: number;
  /** Unique within its collection; `global` for a global operation's one item. */
  key: string;
  /** The item's own data, as loaded into its collection. */
  data: unknown;
  /** The collection the item belongs to (an operation over chosen items may span several). */
  collectionId: string | null;
  /**
   * What the handlers named in this handler's `reads` returned for this item, by handler name:
   * from this operation's earlier stage that ran it (the latest such stage), else the item's
   * stored result of that handler from an earlier production run. A name with neither is absent.
   */
  results: Readonly<Record<string, unknown>>;
}

/** The operation a handler runs in: which job, which version, and how. */
export interface OperationInfo {
  id: string;
  tenantId: string;
  jobName: string;
  jobVersion: number;
  /** `test` runs keep no results; a handler with side effects may want to hold back too. */
  mode: OperationMode;
  /** 1 (most urgent) to 5. */
  priority: number;
}

/**
 * The host as a handler may touch it: files under the deployment's roots, and the network
 * where the deployment's outbound policy allows. Item data and params come from tenants, so a
 * path or URL taken from them goes through these, never straight to node:fs, fetch or node:net.
 */
export interface HostAccess {
  /** Reads files under FILE_ROOTS only, at most FILE_MAX_BYTES each. */
  files: Files;
  /** GETs a URL: each address and redirect checked, the body cut at `maxBytes`. */
  fetch: Outbound['fetch'];
  /** Opens a TCP connection to a checked address. */
  connect: Outbound['connect'];
}

/** What a handler gets besides its item. */
export interface HandlerContext<P> extends HostAccess {
  /** The operation's params laid over the stage's, parsed by the handler's schema. */
  params: P;
  /** Aborted when the operation is cancelled or the item's time is up; pass it to any I/O. */
  signal: AbortSignal;
  /** 1 on the first try of this item in this stage. */
  attempt: number;
  operation: OperationInfo;
  stageName: string;
  /** Reports what processing this item cost (money, tokens, requests), rolled up per operation. */
  cost(amount: number, unit: string): void;
  /**
   * How far a long item is, 0 to 1, with an optional note: sent with the batch's next heartbeat,
   * so the Temporal Web UI shows it on the running batch activity.
   */
  progress(fraction: number, note?: string): void;
  /** The worker's logger; its lines carry the operation, stage, handler and this item's key. */
  readonly log: Logger;
}

/**
 * A handler's own defaults for the policies of the stages that run it; a job's stage that sets
 * a policy overrides the handler's, and what neither sets takes Conveyor's defaults.
 */
export interface StagePolicies {
  /** Items processed at once inside one batch. */
  concurrency?: number;
  /** Time one item may take before it is aborted. */
  itemTimeoutMs?: number;
  /** Items per second the stage may start over every worker. */
  rateLimitPerSecond?: number;
  /** How an item's retryable failures are retried. */
  retry?: Partial<RetryPolicy>;
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
  defaults?: StagePolicies;
  /** Handlers whose results for the item this one reads, as `item.results[name]`. */
  reads?: readonly string[];
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
  defaults?: StagePolicies;
  discover(context: HandlerContext<P>): AsyncIterable<DiscoveredItem>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds handlers of every params type; each parses its own.
export type Handler = ItemHandler<any, unknown> | DiscoveryHandler<any>;

type Definition<S extends z.ZodType> = {
  /** Unique among the workers' handlers; a job's stage names it. */
  name: string;
  /** Stamped on every result; bump it when the output changes so earlier results go stale. */
  version: string;
  /** Shown by `GET /v1/handlers` and in the API document. */
  description: string;
  /** A zod schema of the params a stage may give; a job whose params fail it is refused. */
  params: S;
  defaults?: StagePolicies;
};

/**
 * Declares an item handler. `process` gets the item (with the results it `reads`) and a context (params, signal, attempt,
 * operation, stage, cost, progress, log, and files, fetch and connect for the host); it returns the item's result (any JSON) or throws:
 * `PermanentError` fails the item at once, `SkipItem` skips it, anything else is retried by the
 * stage's retry policy.
 */
export function defineHandler<S extends z.ZodType, R>(
  handler: Definition<S> & {
    /**
     * Handlers whose results for the item this one needs (a parse after a fetch): each arrives
     * as `item.results[name]`. The stage that runs a named handler keeps its outputs for the
     * operation's later stages, in test mode too, where no result is stored.
     */
    reads?: readonly string[];
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
