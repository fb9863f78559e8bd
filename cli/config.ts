import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CliError } from './output';

/** Where the CLI looks for the API when nothing says otherwise: `npm start`'s address. */
export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** The repository root (this file is `cli/config.ts`). */
export const REPO_ROOT = new URL('..', import.meta.url).pathname;

export interface ConnectionOptions {
  url?: string;
  key?: string;
  context?: string;
}

export interface Connection {
  url: string;
  key?: string;
  /** Where the address and key came from, for `doctor` and error lines. */
  source: string;
}

interface ConfigFile {
  'current-context'?: string;
  contexts?: Record<string, { url?: string; key?: string; 'key-env'?: string }>;
}

/** `CONVEYOR_CONFIG`, else `$XDG_CONFIG_HOME/conveyor/config.yaml`, else `~/.config/…`. */
export function configPath(env = process.env): string {
  if (env.CONVEYOR_CONFIG) return env.CONVEYOR_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'conveyor', 'config.yaml');
}

function readConfigFile(path: string): ConfigFile {
  if (!existsSync(path)) return {};
  try {
    return (parse(readFileSync(path, 'utf8')) as ConfigFile | null) ?? {};
  } catch (error) {
    throw new CliError(`Cannot read ${path}: ${(error as Error).message}; fix its YAML.`);
  }
}

/**
 * The API address and key, first found wins: `--url`/`--key`; then the context `--context`
 * names (an explicit choice beats the environment); then `CONVEYOR_URL`/`CONVEYOR_API_KEY`;
 * then the config file's current context; then `npm start`'s address with the admin key it
 * kept in `.data/admin-key`.
 */
export function resolveConnection(options: ConnectionOptions, env = process.env): Connection {
  const path = configPath(env);
  const file = readConfigFile(path);
  const named = options.context ?? env.CONVEYOR_CONTEXT;
  if (named && !file.contexts?.[named]) {
    const known = Object.keys(file.contexts ?? {});
    throw new CliError(
      `No context "${named}" in ${path}; ${known.length ? `known: ${known.join(', ')}` : 'add it under contexts:'}.`,
    );
  }
  const explicit = named ? file.contexts?.[named] : undefined;
  const current = file['current-context'] ? file.contexts?.[file['current-context']] : undefined;
  const contextKey = (context?: typeof explicit) =>
    context?.key ?? (context?.['key-env'] ? env[context['key-env']] : undefined);

  const url = options.url ?? explicit?.url ?? env.CONVEYOR_URL ?? current?.url ?? DEFAULT_URL;
  const key =
    options.key ??
    contextKey(explicit) ??
    env.CONVEYOR_API_KEY ??
    contextKey(current) ??
    (url === DEFAULT_URL ? localAdminKey() : undefined);
  const source = options.url
    ? '--url'
    : explicit
      ? `context ${named} in ${path}`
      : env.CONVEYOR_URL
        ? 'CONVEYOR_URL'
        : current
          ? `context ${file['current-context']} in ${path}`
          : 'the default address';
  return { url, key, source };
}

/** The key `npm start` generated, when this checkout runs the service locally. */
function localAdminKey(): string | undefined {
  const path = join(REPO_ROOT, '.data', 'admin-key');
  return existsSync(path) ? readFileSync(path, 'utf8').trim() || undefined : undefined;
}
