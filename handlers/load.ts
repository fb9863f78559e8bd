import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Handler } from './define';
import { builtInHandlers, createHandlerRegistry, type HandlerRegistry } from './registry';

function isHandler(value: unknown): value is Handler {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Partial<Handler>;
  return (
    (candidate.kind === 'item' || candidate.kind === 'discovery') &&
    typeof candidate.name === 'string' &&
    typeof candidate.version === 'string'
  );
}

/**
 * The built-in handlers plus those of each module in `modules` (HANDLER_MODULES): a team keeps
 * its handlers in its own files and points the worker and the API at them. A module exports
 * `handlers` (an array) or a default array of `defineHandler` values.
 */
export async function loadHandlerRegistry(modules: string[] = []): Promise<HandlerRegistry> {
  const extra: Handler[] = [];
  for (const path of modules) {
    const absolute = isAbsolute(path) ? path : resolve(process.cwd(), path);
    let loaded: Record<string, unknown>;
    try {
      loaded = await import(pathToFileURL(absolute).href);
    } catch (error) {
      throw new Error(
        `HANDLER_MODULES: cannot load ${absolute} (${(error as Error).message}); fix the path or the module.`,
      );
    }
    const exported = loaded.handlers ?? loaded.default;
    if (!Array.isArray(exported) || !exported.every(isHandler)) {
      throw new Error(
        `HANDLER_MODULES: ${absolute} must export \`handlers\`, an array of defineHandler(...) values.`,
      );
    }
    extra.push(...exported);
  }
  return createHandlerRegistry([...builtInHandlers, ...extra]);
}
