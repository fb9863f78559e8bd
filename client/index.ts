/**
 * A typed client of the Conveyor API for other TypeScript services: every route through
 * openapi-fetch with the generated types, plus helpers to start, watch and cancel operations.
 *
 * Glossary (DESIGN.md): a job is a named definition of stages; an operation is one run of a
 * job over a scope (a collection, a list of items, or global); events record what happened.
 */
import createClient, { type Client } from 'openapi-fetch';
import { ConveyorApiError, ConveyorUnreachableError, type Problem } from './errors';
import type { components, paths } from './schema';
import { readEventStream } from './sse';
import { type WatchOptions, watchOperation } from './watch';

export {
  ConveyorApiError,
  ConveyorUnreachableError,
  describeProblem,
  type Problem,
} from './errors';
export type { components, paths } from './schema';
export type { WatchOptions } from './watch';

type Schemas = components['schemas'];
export type Operation = Schemas['Operation'];
export type OperationDetail = Schemas['OperationDetail'];
export type OperationStart = Schemas['OperationStart'];
export type DryRunPlan = Schemas['DryRunPlan'];
export type StageProgress = Schemas['StageProgress'];
export type ConveyorEvent = Schemas['Event'];
export type OperationStatus = Operation['status'];

/** Statuses an operation never leaves. */
export const FINISHED_STATUSES: readonly OperationStatus[] = ['completed', 'failed', 'cancelled'];

export interface ConveyorClientOptions {
  /** The API's base address, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** An API key, sent as `Authorization: Bearer <key>`. */
  key?: string;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof fetch;
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer; a problem answer becomes a `ConveyorApiError`. */
export async function unwrap<T>(pending: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const problem = error && typeof error === 'object' ? (error as Problem) : undefined;
    throw new ConveyorApiError(response.status, problem, new URL(response.url).pathname);
  }
  return data as T;
}

export interface ConveyorClient {
  /** The API's base address, without a trailing slash. */
  url: string;
  /** Every route, typed from the OpenAPI document: `api.GET('/v1/jobs')`. */
  api: Client<paths>;
  /** Starts an operation (or returns the plan of a `dry_run`, or the one already recorded for an idempotency key). */
  startOperation(body: OperationStart): Promise<Operation | DryRunPlan>;
  getOperation(id: string): Promise<OperationDetail>;
  cancelOperation(id: string): Promise<Schemas['OperationCancel']>;
  /** The operation's events from after `after` until its final one, as they are written. */
  operationEvents(
    id: string,
    options?: { after?: string; signal?: AbortSignal },
  ): AsyncGenerator<ConveyorEvent>;
  /** Follows an operation until it is finished; resolves with its final state. */
  watchOperation(id: string, options?: WatchOptions): Promise<OperationDetail>;
}

export function createConveyorClient(options: ConveyorClientOptions): ConveyorClient {
  const url = options.url.replace(/\/+$/, '');
  const send = options.fetch ?? globalThis.fetch;
  const api = createClient<paths>({
    baseUrl: url,
    headers: options.key ? { authorization: `Bearer ${options.key}` } : {},
    async fetch(request) {
      try {
        return await send(request);
      } catch (error) {
        if (request.signal.aborted) throw error;
        throw new ConveyorUnreachableError(url, error);
      }
    },
  });
  const byId = (id: string) => ({ params: { path: { id } } });

  const client: ConveyorClient = {
    url,
    api,
    startOperation: (body) => unwrap(api.POST('/v1/operations', { body })),
    getOperation: (id) => unwrap(api.GET('/v1/operations/{id}', byId(id))),
    cancelOperation: (id) => unwrap(api.POST('/v1/operations/{id}/cancel', byId(id))),
    async *operationEvents(id, { after, signal } = {}) {
      const body = await unwrap(
        api.GET('/v1/operations/{id}/stream', {
          ...byId(id),
          parseAs: 'stream',
          headers: after ? { 'last-event-id': after } : {},
          signal,
        }),
      );
      if (!body) return;
      for await (const message of readEventStream(body)) {
        yield JSON.parse(message.data) as ConveyorEvent;
      }
    },
    watchOperation: (id, watchOptions) => watchOperation(client, id, watchOptions),
  };
  return client;
}
