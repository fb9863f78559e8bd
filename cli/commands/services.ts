import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { workerHeapFlag, workerProcessEnv } from '../../worker/process-limits';
import { REPO_ROOT } from '../config';
import { CliError } from '../output';

/** tsx's loader, so the entry points run as `npm start` runs them: TypeScript, no build. */
const TSX_LOADER = import.meta.resolve('tsx');

/**
 * Runs an entry point as its own Node process in the repository (where `npm start` runs it,
 * so `.data/` is the same), passing signals on and exiting with its status.
 */
function runEntryPoint(
  file: string,
  settings: { nodeFlags?: string[]; env?: Record<string, string> } = {},
): Promise<never> {
  const child = spawn(
    process.execPath,
    [...(settings.nodeFlags ?? []), '--import', TSX_LOADER, join(REPO_ROOT, file)],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...settings.env },
      stdio: 'inherit',
    },
  );
  // Ctrl-C reaches the child from the terminal itself (one process group); passing it on too
  // would be a second SIGINT, which cuts an entry point's clean stop short. A supervisor's
  // SIGTERM comes to this process alone, so it is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((_, reject) => {
    child.once('error', (error) => reject(new CliError(`Cannot run ${file}: ${error.message}`)));
    child.once('exit', (code, signal) =>
      process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)),
    );
  });
}

export function registerServices(program: Command) {
  program
    .command('start')
    .description(
      'the whole service on embedded defaults (Temporal dev server, Postgres, worker, API): npm start',
    )
    .action(() => runEntryPoint('runtime/main.ts'));

  program
    .command('worker')
    .description('one worker on TASK_QUEUE (needs TEMPORAL_ADDRESS and DATABASE_URL)')
    .action(() =>
      // As `npm run start:worker`: a bounded old space and malloc arenas, see README "Scaling".
      runEntryPoint('runtime/worker-main.ts', {
        nodeFlags: [workerHeapFlag()],
        env: workerProcessEnv(),
      }),
    );

  program
    .command('api')
    .description('only the HTTP API (needs TEMPORAL_ADDRESS and DATABASE_URL)')
    .action(() => runEntryPoint('runtime/api-main.ts'));

  program
    .command('migrate')
    .description('apply the committed database migrations to DATABASE_URL')
    .option('--database-url <url>', 'instead of DATABASE_URL')
    .action(async (options: { databaseUrl?: string }) => {
      const [{ loadConfig }, { migrateDatabase }] = await Promise.all([
        import('../../common/config'),
        import('../../db/client'),
      ]);
      const url = options.databaseUrl ?? loadConfig().DATABASE_URL;
      if (!url) {
        throw new CliError(
          'Set DATABASE_URL or --database-url; the embedded Postgres of `conveyor start` is migrated at every start.',
        );
      }
      const target = `${new URL(url).host}${new URL(url).pathname}`;
      await migrateDatabase(url).catch(
        (error: Error & { cause?: { code?: string; message?: string } }) => {
          const why = error.cause?.code ?? error.cause?.message ?? error.message;
          throw new CliError(
            `Cannot migrate ${target}: ${why}; check DATABASE_URL and that Postgres runs.`,
          );
        },
      );
      process.stdout.write(`Migrations applied to ${target}.\n`);
    });
}
