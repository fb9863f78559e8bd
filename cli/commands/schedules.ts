import type { Command } from 'commander';
import { type ConveyorClient, type components, unwrap } from '../../client/index';
import { readDefinitions } from '../files';
import { CliError, printFields, printJson, printTable, shortTime } from '../output';
import { collectionIdOf, type Session, sessionOf } from '../session';

type Schedule = components['schemas']['Schedule'];
type ScheduleInput = components['schemas']['ScheduleInput'];
type ScheduleNote = components['schemas']['ScheduleNote'];
type ScheduleBackfill = components['schemas']['ScheduleBackfill'];
type ScheduleChanges = components['schemas']['ScheduleChanges'];

interface UpdateOptions {
  cron?: string[];
  every?: string[];
  timezone?: string;
  overlap?: string;
  catchup?: string;
  note?: string;
  job?: string;
  /** A collection's id, once its name was looked up. */
  collectionId?: string;
}

/**
 * The changes the flags ask for. `--cron` and `--every` replace the schedule's times together
 * (either may be given alone); `--timezone` alone keeps the times and moves their zone.
 */
function changesOf(current: Schedule, options: UpdateOptions): ScheduleChanges {
  const spec = current.spec as Record<string, unknown>;
  const newTimes = options.cron !== undefined || options.every !== undefined;
  const changes: Record<string, unknown> = {
    job: options.job,
    collectionId: options.collectionId,
    overlap: options.overlap,
    catchupWindow: options.catchup,
    note: options.note,
  };
  if (newTimes || options.timezone !== undefined) {
    changes.spec = {
      ...spec,
      ...(newTimes
        ? {
            cron: options.cron,
            intervals: options.every?.map((every) => ({ every })),
          }
        : {}),
      ...(options.timezone !== undefined ? { timezone: options.timezone } : {}),
    };
  }
  if (Object.values(changes).every((value) => value === undefined)) {
    throw new CliError(
      'Give --job, --collection, --cron, --every, --timezone, --overlap, --catchup or --note: nothing to change.',
    );
  }
  return changes as ScheduleChanges;
}

const when = (schedule: Schedule) => {
  const spec = schedule.spec as {
    cron?: string[];
    intervals?: { every: string }[];
    timezone?: string;
  };
  const parts = [
    ...(spec.cron ?? []).map((cron) => `cron ${cron}${spec.timezone ? ` ${spec.timezone}` : ''}`),
    ...(spec.intervals ?? []).map((interval) => `every ${interval.every}`),
  ];
  return parts.join(', ');
};

function printSchedule(schedule: Schedule) {
  printFields([
    ['schedule', schedule.id],
    ['job', schedule.job],
    ['when', when(schedule)],
    ['overlap', schedule.overlap],
    ['paused', schedule.paused ? 'yes' : 'no'],
    ['note', schedule.note],
    ['next runs', schedule.nextRuns.map(shortTime).join(', ')],
    [
      'last run',
      schedule.lastRun &&
        `${shortTime(schedule.lastRun.at)} ${schedule.lastRun.operationId ?? ''} ${schedule.lastRun.status ?? ''}`.trim(),
    ],
    ['runs', schedule.runs],
    ['request', schedule.request],
  ]);
}

/** Runs one action on a schedule by id and prints the schedule as it now is. */
async function act(
  command: Command,
  id: string,
  call: (client: ConveyorClient, path: { params: { path: { id: string } } }) => Promise<Schedule>,
  said: string,
) {
  const session: Session = sessionOf(command);
  const schedule = await call(session.client, { params: { path: { id } } });
  if (session.json) return printJson(schedule);
  process.stdout.write(`Schedule ${id} ${said}.\n`);
}

export function registerSchedules(program: Command) {
  const schedules = program
    .command('schedules')
    .description('schedules that start operations on a timetable');

  schedules
    .command('list')
    .description('schedules with their next runs and last run')
    .action(async (_options: unknown, command: Command) => {
      const session = sessionOf(command);
      const page = await unwrap(session.client.api.GET('/v1/schedules'));
      if (session.json) return printJson(page);
      printTable(
        ['id', 'job', 'when', 'paused', 'next run', 'last run'],
        page.data.map((schedule) => [
          schedule.id,
          schedule.job,
          when(schedule),
          schedule.paused ? 'yes' : '',
          shortTime(schedule.nextRuns[0]),
          schedule.lastRun && `${shortTime(schedule.lastRun.at)} ${schedule.lastRun.status ?? ''}`,
        ]),
      );
    });

  schedules
    .command('show')
    .argument('<id>')
    .description('one schedule')
    .action(async (id: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const schedule = await unwrap(
        session.client.api.GET('/v1/schedules/{id}', { params: { path: { id } } }),
      );
      if (session.json) return printJson(schedule);
      printSchedule(schedule);
    });

  schedules
    .command('create')
    .argument(
      '<file>',
      'YAML or JSON: the body of POST /v1/schedules (a start plus spec, overlap, note)',
    )
    .description('create schedules from a file (one, a list, or a `schedules:` list)')
    .action(async (file: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const bodies = readDefinitions(file, 'schedules');
      if (bodies.length === 0) throw new CliError(`${file} holds no schedule.`);
      const created: Schedule[] = [];
      for (const body of bodies) {
        created.push(
          await unwrap(session.client.api.POST('/v1/schedules', { body: body as ScheduleInput })),
        );
      }
      if (session.json) return printJson({ data: created });
      for (const schedule of created) {
        process.stdout.write(
          `Created schedule ${schedule.id} (${schedule.job}, ${when(schedule)}); next run ${shortTime(schedule.nextRuns[0]) ?? 'none'}.\n`,
        );
      }
    });

  schedules
    .command('update')
    .argument('<id>')
    .option('--cron <expression...>', 'new cron times (minute hour day month weekday)')
    .option('--every <duration...>', 'new interval times (30m, 1h, 1d)')
    .option('--timezone <zone>', 'IANA time zone of the cron times')
    .option('--overlap <policy>', 'skip, buffer_one, buffer_all, cancel_other or allow_all')
    .option('--catchup <duration>', 'how late a missed run may still start')
    .option('--note <text>', 'kept on the schedule')
    .option('--job <name|id>', 'run another job (checked as a start is)')
    .option('--collection <id|name>', 'run over another collection')
    .description('change what a schedule runs, when, its overlap policy or note')
    .action(
      async (id: string, options: UpdateOptions & { collection?: string }, command: Command) => {
        const session = sessionOf(command);
        const path = { params: { path: { id } } };
        const current = await unwrap(session.client.api.GET('/v1/schedules/{id}', path));
        const collectionId = options.collection
          ? await collectionIdOf(session.client, options.collection)
          : undefined;
        const schedule = await unwrap(
          session.client.api.PATCH('/v1/schedules/{id}', {
            ...path,
            body: changesOf(current, { ...options, collectionId }),
          }),
        );
        if (session.json) return printJson(schedule);
        process.stdout.write(
          `Schedule ${id} now runs ${schedule.job} ${when(schedule)}; next run ${shortTime(schedule.nextRuns[0]) ?? 'none'}.\n`,
        );
      },
    );

  for (const [verb, description] of [
    ['pause', 'pause a schedule: due runs start nothing'],
    ['unpause', 'unpause a schedule'],
  ] as const) {
    schedules
      .command(verb)
      .argument('<id>')
      .option('--note <text>', 'why, kept on the schedule')
      .description(description)
      .action((id: string, options: { note?: string }, command: Command) =>
        act(
          command,
          id,
          (client, path) =>
            unwrap(
              client.api.POST(`/v1/schedules/{id}/${verb}`, {
                ...path,
                body: { note: options.note } as ScheduleNote,
              }),
            ),
          `${verb}d`,
        ),
      );
  }

  schedules
    .command('trigger')
    .argument('<id>')
    .description("start a run now, under the schedule's overlap policy")
    .action((id: string, _options: unknown, command: Command) =>
      act(
        command,
        id,
        (client, path) =>
          unwrap(client.api.POST('/v1/schedules/{id}/trigger', { ...path, body: {} })),
        `triggered; its operations: conveyor ops list --schedule ${id}`,
      ),
    );

  schedules
    .command('backfill')
    .argument('<id>')
    .requiredOption('--from <time>', 'the window’s start, ISO 8601 (2026-11-20T00:00:00Z)')
    .requiredOption('--to <time>', 'the window’s end, ISO 8601')
    .option('--overlap <policy>', 'skip, buffer_one, buffer_all, cancel_other or allow_all')
    .description('take now the runs a past window would have had, even while paused')
    .action((id: string, options: { from: string; to: string; overlap?: string }, command) =>
      act(
        command,
        id,
        (client, path) =>
          unwrap(
            client.api.POST('/v1/schedules/{id}/backfill', {
              ...path,
              body: {
                from: options.from,
                to: options.to,
                overlap: options.overlap,
              } as ScheduleBackfill,
            }),
          ),
        `backfilled from ${options.from} to ${options.to}; its operations: conveyor ops list --schedule ${id}`,
      ),
    );

  schedules
    .command('delete')
    .argument('<id>')
    .description('delete a schedule (its operations stay)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      await unwrap(session.client.api.DELETE('/v1/schedules/{id}', { params: { path: { id } } }));
      if (session.json) return printJson({ id, deleted: true });
      process.stdout.write(`Schedule ${id} deleted.\n`);
    });
}
