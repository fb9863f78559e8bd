import type { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * The one logger of a process. JSON lines for log collectors unless the output is a terminal,
 * where lines read as text; every line carries the fields a reader filters on (request id,
 * tenant, operation, workflow and run ids, stage, handler, item key). Silent until a process's
 * entry point configures it, so tests and embedded uses print nothing they did not ask for.
 */
export type { Logger } from 'pino';

let root: Logger = pino({ level: 'silent' });

export function configureLogging(
  options: { level: string; json?: boolean },
  destination?: Writable,
): Logger {
  const json = options.json ?? !process.stdout.isTTY;
  root = json
    ? pino({ level: options.level, base: undefined }, destination ?? process.stdout)
    : pino(
        { level: options.level, base: undefined },
        pretty({ sync: true, colorize: true, destination: destination ?? 1 }),
      );
  return root;
}

/** A logger carrying `fields` on every line; follows later configuration of the root. */
export function logger(fields: Record<string, unknown> = {}): Logger {
  return root.child(fields);
}
