import { z } from 'zod';
import { retryPolicySchema, stageSchema } from '../common/domain';
import type { Handler } from './define';
import { directoryFilesHandler, fileChecksumHandler } from './files';
import { httpFetchHandler } from './http-fetch';
import { noopHandler } from './noop';

/** Every handler the workers run; add new ones here. */
export const builtInHandlers: Handler[] = [
  noopHandler,
  httpFetchHandler,
  fileChecksumHandler,
  directoryFilesHandler,
];

export type HandlerRegistry = ReadonlyMap<string, Handler>;

/** A handler's default policies obey the same bounds as a stage's own. */
const stagePolicies = stageSchema
  .pick({ concurrency: true, itemTimeoutMs: true, rateLimitPerSecond: true })
  .extend({ retry: retryPolicySchema.partial() })
  .partial()
  .strict();

export function createHandlerRegistry(handlers: Handler[] = builtInHandlers): HandlerRegistry {
  const registry = new Map<string, Handler>();
  for (const handler of handlers) {
    if (registry.has(handler.name)) throw new Error(`handler ${handler.name} is registered twice`);
    const defaults = stagePolicies.safeParse(handler.defaults ?? {});
    if (!defaults.success) {
      throw new Error(
        `handler ${handler.name} has invalid defaults: ${z.prettifyError(defaults.error).replaceAll('\n', '; ')}`,
      );
    }
    const reads = handler.kind === 'item' ? (handler.reads ?? []) : [];
    if (!Array.isArray(reads) || reads.some((name) => typeof name !== 'string' || name === '')) {
      throw new Error(`handler ${handler.name} has invalid reads: give handler names as strings`);
    }
    if (reads.includes(handler.name)) {
      throw new Error(`handler ${handler.name} reads itself: name the handlers of earlier stages`);
    }
    registry.set(handler.name, handler);
  }
  return registry;
}

/**
 * Each handler's version as the deployed code says now: the version that decides whether a
 * stored result is stale.
 */
export function currentVersions(handlers: HandlerRegistry): { handler: string; version: string }[] {
  return [...handlers.values()].map((handler) => ({
    handler: handler.name,
    version: handler.version,
  }));
}
