import type { Command } from 'commander';
import { type CheckStatus, runChecks } from '../doctor';
import { isInteractive, printJson } from '../output';
import { sessionOf } from '../session';

const MARK: Record<CheckStatus, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' };
const COLOUR: Record<CheckStatus, string> = {
  ok: '\u001b[32m',
  warn: '\u001b[33m',
  fail: '\u001b[31m',
  skip: '\u001b[2m',
};

export function registerDoctor(program: Command) {
  program
    .command('doctor')
    .description(
      'check the API, key, Postgres, Temporal, namespace, search attributes, maintenance, workers and clocks; one line each with the fix',
    )
    .action(async (_options: unknown, command: Command) => {
      const session = sessionOf(command);
      const checks = await runChecks(session.client, session.connection);
      const failed = checks.some((check) => check.status === 'fail');
      process.exitCode = failed ? 1 : 0;
      if (session.json) return printJson({ ok: !failed, checks });
      const width = Math.max(...checks.map((check) => check.name.length));
      const colour = isInteractive();
      for (const check of checks) {
        const mark = `[${MARK[check.status]}]`.padEnd(6);
        const painted = colour ? `${COLOUR[check.status]}${mark}\u001b[0m` : mark;
        const fix = check.fix ? ` → ${check.fix}` : '';
        process.stdout.write(`${painted} ${check.name.padEnd(width)}  ${check.detail}${fix}\n`);
      }
      process.stdout.write(
        failed
          ? 'Some checks failed: fix the first one above, then run conveyor doctor again.\n'
          : 'All checks passed.\n',
      );
    });
}
