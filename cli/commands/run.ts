import { type Command, InvalidArgumentError, Option } from 'commander';
import type { components, OperationStart } from '../../client/index';

type JsonValue = components['schemas']['JsonValue'];

import {
  ITEM_SELECTIONS,
  type ItemSelection,
  OPERATION_MODES,
  type OperationMode,
} from '../../common/domain';
import { CliError, count, printFields, printJson } from '../output';
import { collectionIdOf, sessionOf } from '../session';
import { watchAndSummarize } from '../watch';

/** `k=v`: the value as JSON when it parses (numbers, booleans, lists), else as text. */
function collectParam(pair: string, params: Record<string, unknown>) {
  const at = pair.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got "${pair}"`);
  const raw = pair.slice(at + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: a plain string, as typed.
  }
  return { ...params, [pair.slice(0, at)]: value };
}

function positiveInteger(text: string) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('a positive integer');
  return value;
}

function itemIds(text: string) {
  const ids = text.split(',').map((part) => Number(part.trim()));
  if (ids.some((id) => !Number.isInteger(id) || id < 1))
    throw new InvalidArgumentError('comma-separated item ids, e.g. 12,13,40');
  return ids;
}

interface RunOptions {
  collection?: string;
  items?: number[];
  global?: boolean;
  mode: OperationMode;
  limit?: number;
  param: Record<string, unknown>;
  stage?: string[];
  only?: ItemSelection;
  priority?: number;
  for?: string;
  idempotencyKey?: string;
  watch?: boolean;
}

export function registerRun(program: Command) {
  program
    .command('run')
    .description('start an operation of a job over a collection, given items, or globally')
    .argument('<job>', 'job name or id')
    .option('-c, --collection <id|name>', 'run over every item of this collection')
    .option('--items <ids>', 'run over these item ids (comma-separated)', itemIds)
    .option('--global', 'run with no items (maintenance-like jobs)')
    .addOption(
      new Option(
        '-m, --mode <mode>',
        'production, test (one item, nothing stored) or dry_run (plan only)',
      )
        .choices(OPERATION_MODES)
        .default('production'),
    )
    .option('--limit <n>', 'at most this many items', positiveInteger)
    .option(
      '-p, --param <key=value>',
      'a param laid over every stage (repeatable)',
      collectParam,
      {},
    )
    .option('--stage <name...>', 'run only these stages')
    .addOption(
      new Option(
        '--only <items>',
        'with --collection: only stale results, items no run of the job finished, or items whose latest outcome failed',
      ).choices(ITEM_SELECTIONS),
    )
    .option('--priority <1-5>', '1 most urgent, 5 least', positiveInteger)
    .option('--for <user>', 'the end user this run is for, in your own ids')
    .option('--idempotency-key <key>', 'repeating the start with this key starts nothing new')
    .option('-w, --watch', 'follow the operation with live progress until it ends')
    .action(async (job: string, options: RunOptions, command: Command) => {
      const session = sessionOf(command);
      const scopes = [options.collection, options.items, options.global].filter(Boolean).length;
      // None: the job's defaultScope, which the API refuses to guess when the job has none.
      if (scopes > 1) {
        throw new CliError(
          'Give at most one scope: --collection <id|name>, --items <ids> or --global (none: the job’s defaultScope).',
        );
      }
      const body: OperationStart = {
        job,
        params: options.param as Record<string, JsonValue>,
        mode: options.mode,
        ...(options.collection && {
          collectionId: await collectionIdOf(session.client, options.collection),
        }),
        ...(options.items && { itemIds: options.items }),
        ...(options.global && { scope: 'global' as const }),
        ...(options.limit && { limit: options.limit }),
        ...(options.stage && { stages: options.stage }),
        ...(options.only && { only: options.only }),
        ...(options.priority && { priority: options.priority }),
        ...(options.for && { requestedFor: options.for }),
        ...(options.idempotencyKey && { idempotencyKey: options.idempotencyKey }),
      };
      const started = await session.client.startOperation(body);
      if (!('id' in started)) {
        if (session.json) return printJson(started);
        const { plan } = started;
        printFields([
          ['dry run of', started.job],
          ['items', count(plan.items)],
          ['chunks', count(plan.chunks)],
          ['sample keys', plan.sampleKeys.join(', ')],
          ...plan.stages.map((stage): [string, unknown] => [
            `stage ${stage.name}`,
            `${stage.handler}: ${count(stage.batches)} batches of ${stage.batchSize}${stage.adaptiveBatchSize ? ' (adaptive)' : ''}, concurrency ${stage.concurrency}`,
          ]),
        ]);
        return;
      }
      if (options.watch) {
        const final = await watchAndSummarize(session, started.id);
        if (final.status !== 'completed') process.exitCode = 1;
        return;
      }
      if (session.json) return printJson(started);
      printFields([
        ['operation', started.id],
        ['status', started.status],
        ['job', `${started.job.name} v${started.job.version}`],
        ['Web UI', started.temporal.uiUrl],
      ]);
      process.stdout.write(`Follow it with: conveyor ops watch ${started.id}\n`);
    });
}
