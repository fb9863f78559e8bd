import { setTimeout as sleep } from 'node:timers/promises';
import { type Command, Option } from 'commander';
import { type components, unwrap } from '../../client/index';
import { FINISHED_STATUSES, RUN_LOG_LEVELS, type RunLogLevel } from '../../common/domain';
import { printJson, shortTime } from '../output';
import { type Session, sessionOf } from '../session';

type RunLogLine = components['schemas']['RunLogLine'];

interface LogsOptions {
  item?: string;
  stage?: string;
  level?: RunLogLevel;
  follow?: boolean;
}

/** How often `--follow` asks for new lines. */
const FOLLOW_EVERY_MS = 1_000;

function printLine(line: RunLogLine, json: boolean) {
  if (json) return printJson(line);
  const fields = line.data && Object.keys(line.data).length ? ` ${JSON.stringify(line.data)}` : '';
  process.stdout.write(
    `${shortTime(line.at)}  ${line.level.padEnd(5)}  ${line.stage}  ${line.itemKey ?? '-'}  ${line.message}${fields}\n`,
  );
}

/** Every line after `after` that the filters keep, page by page; the last id printed. */
async function printLinesAfter(
  session: Session,
  id: string,
  options: LogsOptions,
  after: number,
): Promise<number> {
  let cursor = after;
  for (;;) {
    const page = await unwrap(
      session.client.api.GET('/v1/operations/{id}/logs', {
        params: {
          path: { id },
          query: {
            item: options.item,
            stage: options.stage,
            level: options.level,
            limit: 1_000,
            cursor: cursor || undefined,
          },
        },
      }),
    );
    for (const line of page.data) printLine(line, session.json);
    cursor = page.data.at(-1)?.id ?? cursor;
    if (!page.nextCursor) return cursor;
  }
}

export function registerLogs(program: Command) {
  program
    .command('logs')
    .description("an operation's log: the lines its handlers wrote with ctx.log (info and above)")
    .argument('<operation>', 'operation id')
    .option('--item <key>', 'only lines about this item')
    .option('--stage <name>', 'only lines of this stage')
    .addOption(
      new Option('--level <level>', 'only lines at this level or more severe').choices(
        RUN_LOG_LEVELS,
      ),
    )
    .option('-f, --follow', 'keep printing new lines until the operation ends')
    .action(async (id: string, options: LogsOptions, command: Command) => {
      const session = sessionOf(command);
      let after = await printLinesAfter(session, id, options, 0);
      while (options.follow) {
        // The status first: lines written before a finish are read after it, so none is missed.
        const operation = await unwrap(
          session.client.api.GET('/v1/operations/{id}', { params: { path: { id } } }),
        );
        after = await printLinesAfter(session, id, options, after);
        if ((FINISHED_STATUSES as readonly string[]).includes(operation.status)) return;
        await sleep(FOLLOW_EVERY_MS);
      }
    });
}
