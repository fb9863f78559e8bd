import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../common/constants';
import { installQuietRuntime } from '../worker/create-worker';
import { cliNotFoundMessage, resolveTemporalCli } from './temporal-cli';

export const conveyorSearchAttributeKeys = Object.values(SEARCH_ATTRIBUTES).map((name) =>
  defineSearchAttributeKey(name, SearchAttributeType.KEYWORD),
);

export interface DevServerOptions {
  /** Where the SQLite file lives; omit for an in-memory server (tests). */
  dataDir?: string;
  port?: number;
  uiPort?: number;
  namespace: string;
  cliPath?: string;
  log?: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/**
 * Starts the Temporal CLI dev server. SQLite runs in WAL mode without fsync: the dev server
 * has one SQLite connection and is otherwise limited to tens of activities per second.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const log = options.log ?? (() => {});
  installQuietRuntime();
  const cli = await resolveTemporalCli({ explicitPath: options.cliPath, log });
  log(`Temporal CLI: ${cli.path ?? 'SDK download'} (from ${cli.source})`);
  let dbFilename: string | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    dbFilename = resolve(join(options.dataDir, 'temporal.sqlite'));
  }
  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: cli.path
          ? { type: 'existing-path', path: cli.path }
          : { type: 'cached-download', downloadDir: resolve('.cache', 'temporal-download') },
        ip: '127.0.0.1',
        port: options.port,
        ui: options.uiPort !== undefined,
        uiPort: options.uiPort,
        dbFilename,
        namespace: options.namespace,
        searchAttributes: conveyorSearchAttributeKeys,
        extraArgs: ['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF'],
      },
    });
  } catch (error) {
    if (cli.source !== 'sdk-download') throw error;
    throw new Error(
      cliNotFoundMessage([...cli.tried, `SDK download: ${(error as Error).message}`]),
    );
  }
  const address = env.address;
  await registerSearchAttributes(address, options.namespace);
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    stop: () => env.teardown(),
  };
}

/**
 * `--search-attribute` flags apply only when the SQLite file is created, so an existing
 * file gets Conveyor's attributes through the operator service; adding one twice is harmless.
 */
export async function registerSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.values(SEARCH_ATTRIBUTES).filter(
      (name) => !(name in (existing.customAttributes ?? {})),
    );
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, 2 /* KEYWORD */])),
    });
  } finally {
    await connection.close();
  }
}
