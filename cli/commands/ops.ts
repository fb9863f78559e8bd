import { type Command, Option } from 'commander';
import { type components, type Operation, type OperationDetail, unwrap } from '../../client/index';
import { RETRY_SELECTIONS, type RetrySelection } from '../../common/domain';
import { count, printFields, printJson, printTable, shortTime } from '../output';
import { collectionIdOf, type Session, sessionOf } from '../session';
import { printSummary, watchAndSummarize } from '../watch';

type OperationRetry = components['schemas']['OperationRetry'];

interface ListOptions {
  status?: string;
  job?: string;
  collection?: string;
  scope?: 'collection' | 'items' | 'global';
  requestedBy?: string;
  for?: string;
  schedule?: string;
  since?: string;
  before?: string;
  limit: string;
  cursor?: string;
}

function operationRow(operation: Operation) {
  const { counts } = operation;
  return [
    operation.id,
    operation.status,
    `${operation.job.name} v${operation.job.version}`,
    operation.scope.kind,
    operation.mode,
    `${count(counts.done)}/${count(counts.items)}`,
    count(counts.failed),
    shortTime(operation.createdAt),
  ];
}

async function show(session: Session, id: string, failed: boolean) {
  const operation = await session.client.getOperation(id);
  const failures = failed
    ? await unwrap(
        session.client.api.GET('/v1/operations/{id}/items', {
          params: { path: { id }, query: { status: 'failed', limit: 100 } },
        }),
      )
    : undefined;
  if (session.json)
    return printJson(failures ? { ...operation, failedItems: failures } : operation);
  printDetail(operation);
  if (failures) {
    process.stdout.write('\nFailed items (first 100):\n');
    printTable(
      ['item', 'key', 'stage', 'attempts', 'error'],
      failures.data.flatMap((item) =>
        item.stages
          .filter((stage) => stage.status === 'failed')
          .map((stage) => [item.itemId, item.key, stage.stage, stage.attempts, stage.error]),
      ),
    );
  }
}

function printDetail(operation: OperationDetail) {
  const { counts } = operation;
  printFields([
    ['operation', operation.id],
    ['status', operation.status],
    ['job', `${operation.job.name} v${operation.job.version}`],
    [
      'scope',
      operation.scope.kind === 'collection'
        ? `collection ${operation.scope.collectionId}`
        : operation.scope.kind,
    ],
    ['mode', operation.mode],
    ['priority', operation.priority],
    [
      'items',
      `${count(counts.items)}: ${count(counts.done)} done, ${count(counts.failed)} failed, ${count(counts.skipped)} skipped, ${count(counts.pending)} pending`,
    ],
    ['params', Object.keys(operation.params).length ? operation.params : undefined],
    ['requested by', operation.requestedBy],
    ['requested for', operation.requestedFor],
    ['retry of', operation.retryOf],
    ['schedule', operation.scheduleId],
    ['created', shortTime(operation.createdAt)],
    ['started', shortTime(operation.startedAt)],
    ['finished', shortTime(operation.finishedAt)],
    ['error', operation.error],
    ['Web UI', operation.temporal.uiUrl],
  ]);
  process.stdout.write('\n');
  printTable(
    ['stage', 'handler', 'items', 'pending', 'in progress', 'done', 'failed', 'skipped'],
    operation.stages.map((stage) => [
      stage.name,
      stage.handler,
      stage.items,
      stage.pending,
      stage.inProgress,
      stage.done,
      stage.failed,
      stage.skipped,
    ]),
  );
  if (operation.costs.length > 0) {
    printTable(
      ['stage', 'cost', 'unit', 'items'],
      operation.costs.map((cost) => [cost.stageName, cost.amount, cost.unit, cost.items]),
    );
  }
}

export function registerOps(program: Command) {
  const ops = program.command('ops').description('list, inspect and control operations');

  ops
    .command('list')
    .description('operations, newest first')
    .option(
      '-s, --status <statuses>',
      'comma-separated: queued,running,paused,completed,failed,cancelled',
    )
    .option('-j, --job <name|id>', 'only this job')
    .option('-c, --collection <id|name>', 'only over this collection')
    .option('--scope <kind>', 'collection, items or global')
    .option('--requested-by <key name>', 'only those started by this API key')
    .option('--for <user>', 'only those started for this end user')
    .option('--schedule <id>', 'only those this schedule started')
    .option('--since <time>', 'created after this ISO time')
    .option('--before <time>', 'created before this ISO time')
    .option('-n, --limit <n>', 'at most this many', '20')
    .option('--cursor <cursor>', 'the next page, as the previous one printed')
    .action(async (options: ListOptions, command: Command) => {
      const session = sessionOf(command);
      const page = await unwrap(
        session.client.api.GET('/v1/operations', {
          params: {
            query: {
              status: options.status,
              job: options.job,
              collectionId: options.collection
                ? await collectionIdOf(session.client, options.collection)
                : undefined,
              scope: options.scope,
              requestedBy: options.requestedBy,
              requestedFor: options.for,
              scheduleId: options.schedule,
              createdAfter: options.since,
              createdBefore: options.before,
              limit: Number(options.limit),
              cursor: options.cursor,
            },
          },
        }),
      );
      if (session.json) return printJson(page);
      printTable(
        ['id', 'status', 'job', 'scope', 'mode', 'done', 'failed', 'created'],
        page.data.map(operationRow),
      );
      if (page.nextCursor) process.stdout.write(`More: --cursor ${page.nextCursor}\n`);
    });

  ops
    .command('show')
    .description('an operation with per-stage progress, costs and its Web UI link')
    .argument('<id>')
    .option('--failed', 'also list its failed items and their errors')
    .action(async (id: string, options: { failed?: boolean }, command: Command) => {
      await show(sessionOf(command), id, Boolean(options.failed));
    });

  ops
    .command('watch')
    .description('follow an operation with live progress until it ends')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const final = await watchAndSummarize(sessionOf(command), id);
      if (final.status !== 'completed') process.exitCode = 1;
    });

  ops
    .command('cancel')
    .description('cancel an operation; finished items are kept')
    .argument('<id>')
    .option('-w, --watch', 'wait until it is cancelled')
    .action(async (id: string, options: { watch?: boolean }, command: Command) => {
      const session = sessionOf(command);
      const answer = await session.client.cancelOperation(id);
      if (options.watch) {
        const final = await session.client.watchOperation(id);
        if (session.json) return printJson(final);
        return printSummary(final);
      }
      if (session.json) return printJson(answer);
      process.stdout.write(
        answer.status === 'cancelled'
          ? `Operation ${id} cancelled.\n`
          : `Operation ${id} is cancelling; follow it with: conveyor ops watch ${id}\n`,
      );
    });

  for (const action of ['pause', 'resume'] as const) {
    ops
      .command(action)
      .description(
        action === 'pause'
          ? 'pause an operation: batches in flight finish, then it waits'
          : 'resume a paused operation where it stopped',
      )
      .argument('<id>')
      .action(async (id: string, _options: unknown, command: Command) => {
        const session = sessionOf(command);
        const answer = await unwrap(
          session.client.api.POST(`/v1/operations/{id}/${action}`, {
            params: { path: { id } },
          }),
        );
        if (session.json) return printJson(answer);
        process.stdout.write(
          `Operation ${id} is ${answer.status}${answer.paused ? ' (paused)' : ''}: ${answer.chunksDone}/${answer.chunksTotal} chunks done.\n`,
        );
      });
  }

  ops
    .command('retry')
    .description(
      'start a new operation over the items that failed in this one, or it left unfinished',
    )
    .argument('<id>')
    .addOption(
      new Option(
        '--items <which>',
        'failed, unfinished (a cancel or a failure cut them short; they run every stage again) or all',
      )
        .choices(RETRY_SELECTIONS)
        .default('failed'),
    )
    .option('-w, --watch', 'follow the new operation until it ends')
    .action(
      async (id: string, options: { items: RetrySelection; watch?: boolean }, command: Command) => {
        const session = sessionOf(command);
        const retry = await unwrap(
          session.client.api.POST('/v1/operations/{id}/retry', {
            params: { path: { id } },
            body: { items: options.items } as OperationRetry,
          }),
        );
        if (options.watch) {
          const final = await watchAndSummarize(session, retry.id);
          if (final.status !== 'completed') process.exitCode = 1;
          return;
        }
        if (session.json) return printJson(retry);
        process.stdout.write(
          `Running ${count(retry.scope.itemCount ?? retry.counts.items)} ${options.items === 'all' ? 'failed and unfinished' : options.items} items again as ${retry.id}; follow it with: conveyor ops watch ${retry.id}\n`,
        );
      },
    );
}
