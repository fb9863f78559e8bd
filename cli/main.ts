import { Command } from 'commander';
import { ConveyorApiError, ConveyorUnreachableError } from '../client/index';
import { registerCollections } from './commands/collections';
import { registerDoctor } from './commands/doctor';
import { registerJobs } from './commands/jobs';
import { registerLogs } from './commands/logs';
import { registerOps } from './commands/ops';
import { registerRun } from './commands/run';
import { registerSchedules } from './commands/schedules';
import { registerServices } from './commands/services';
import { CliError } from './output';

function buildProgram() {
  const program = new Command('conveyor')
    .description('Operate Conveyor: run jobs, follow operations, apply definitions, check a setup.')
    .option('--url <url>', 'the API address (CONVEYOR_URL; default http://127.0.0.1:3000)')
    .option('--key <key>', 'an API key (CONVEYOR_API_KEY)')
    .option('--context <name>', 'a context of ~/.config/conveyor/config.yaml (CONVEYOR_CONTEXT)')
    .option('--json', 'print JSON for scripts instead of tables')
    .showHelpAfterError('(run with --help for usage)');
  registerServices(program);
  registerRun(program);
  registerOps(program);
  registerLogs(program);
  registerJobs(program);
  registerCollections(program);
  registerSchedules(program);
  registerDoctor(program);
  return program;
}

/** One line for any failure: the API's problem, an unreachable API, or a local mistake. */
function failureLine(error: unknown): string {
  if (
    error instanceof ConveyorApiError ||
    error instanceof ConveyorUnreachableError ||
    error instanceof CliError
  ) {
    return error.message;
  }
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n')[0] ?? message;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message?.split('\n')[0];
  return why ? `${first} (${why})` : first;
}

// A reader that stops early (`conveyor ops list | head`) is no failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`conveyor: ${failureLine(error)}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
}
