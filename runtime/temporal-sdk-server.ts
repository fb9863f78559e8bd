import { resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { StartError } from '../common/start-error';
import { installQuietRuntime } from '../worker/create-worker';
import { cliNotFoundMessage } from './temporal-cli';

/**
 * The last resort of DESIGN.md's CLI order: no CLI binary was found, so the SDK downloads one
 * and runs it. It spawns the server itself, so Conveyor knows no pid; a later start still finds
 * an orphan of it by its --db-filename.
 */
export async function startSdkDevServer(options: {
  port?: number;
  uiPort?: number;
  namespace: string;
  dbFilename?: string;
  args: string[];
  tried: string[];
}): Promise<{ address: string; stop(): Promise<void> }> {
  installQuietRuntime();
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: {
          type: 'cached-download',
          downloadDir: resolve('.cache', 'temporal-download'),
        },
        ip: '127.0.0.1',
        port: options.port,
        ui: options.uiPort !== undefined,
        uiPort: options.uiPort,
        dbFilename: options.dbFilename,
        namespace: options.namespace,
        extraArgs: options.args,
      },
    });
    return { address: env.address, stop: () => env.teardown() };
  } catch (error) {
    throw new StartError(
      cliNotFoundMessage([...options.tried, `SDK download: ${(error as Error).message}`]),
    );
  }
}
