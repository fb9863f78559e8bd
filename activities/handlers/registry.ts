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

export function createHandlerRegistry(handlers: Handler[] = builtInHandlers): HandlerRegistry {
  const registry = new Map<string, Handler>();
  for (const handler of handlers) {
    if (registry.has(handler.name)) throw new Error(`handler ${handler.name} is registered twice`);
    registry.set(handler.name, handler);
  }
  return registry;
}
