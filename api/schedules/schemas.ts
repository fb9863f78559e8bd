import { z } from '@hono/zod-openapi';
import { OPERATION_MODES } from '../../common/domain';
import { OVERLAP_POLICIES } from '../../schedules/spec';
import { timestamp } from '../openapi';
import { SCOPE_RULES, startOperationInput } from '../operations/schemas';

/** A length of time: a whole number of seconds, minutes, hours or days (`90s`, `5m`, `1d`). */
export const duration = z
  .string()
  .regex(/^[1-9][0-9]{0,6}(s|m|h|d)$/)
  .openapi({ description: 'A whole number and a unit: s, m, h or d.', example: '15m' });

/** Each cron field's name and the values it takes, in order. */
const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 6 },
] as const;

/** The whole numbers `from` to `to` (below 100, no leading zeros), as a regular expression. */
function numbersBetween(from: number, to: number): string {
  const alternatives: string[] = [];
  for (let tens = Math.floor(from / 10); tens <= Math.floor(to / 10); tens++) {
    const low = tens === Math.floor(from / 10) ? from % 10 : 0;
    const high = tens === Math.floor(to / 10) ? to % 10 : 9;
    const digits = low === high ? String(low) : `[${low}-${high}]`;
    alternatives.push(tens === 0 ? digits : `${tens}${digits}`);
  }
  return `(?:${alternatives.join('|')})`;
}

/**
 * A value of a field, or a range of them that runs forwards: Temporal refuses `19-14`, so the
 * document says so too, as each start followed by the values from it to the field's end.
 */
function valueOrRange(min: number, max: number): string {
  const starts: string[] = [];
  for (let start = min; start <= max; start++) {
    starts.push(start === max ? String(start) : `${start}(?:-${numbersBetween(start, max)})?`);
  }
  return `(?:${starts.join('|')})`;
}

/** One cron field: `*`, values and ranges, each with an optional step, comma-separated. */
const field = (min: number, max: number) => {
  const part = `(?:\\*|${valueOrRange(min, max)})(?:/[1-9][0-9]{0,2})?`;
  return `${part}(?:,${part})*`;
};
/** Five fields: minute, hour, day of month, month, day of week (numbers; no seconds field). */
const CRON = `^${CRON_FIELDS.map(({ min, max }) => field(min, max)).join(' ')}$`;

/**
 * Why a cron expression is not one Temporal takes, naming the field, or undefined. The pattern
 * refuses the same; this says which field and why, where a pattern only says "does not match".
 */
export function cronProblem(cron: string): string | undefined {
  const fields = cron.split(' ');
  if (fields.length !== CRON_FIELDS.length) return 'must have five fields';
  for (const [index, { name, min, max }] of CRON_FIELDS.entries()) {
    for (const part of (fields[index] as string).split(',')) {
      const [range = '', step, extra] = part.split('/');
      if (extra !== undefined || (step !== undefined && !/^[1-9][0-9]{0,2}$/.test(step))) {
        return `the ${name} step in "${part}" must be a whole number from 1 to 999`;
      }
      if (range === '*') continue;
      const bounds = range.split('-');
      const [start = Number.NaN, end = start] = bounds.map((bound) =>
        /^(0|[1-9][0-9]?)$/.test(bound) ? Number(bound) : Number.NaN,
      );
      if (bounds.length > 2 || !(start >= min && end <= max && start <= end)) {
        return `"${part}": the ${name} takes ${min} to ${max}, and a range runs forwards (start-end)`;
      }
    }
  }
  return undefined;
}

export const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone')] as [string, ...string[]];

export const scheduleSpec = z
  .object({
    cron: z
      .array(
        z
          .string()
          .regex(new RegExp(CRON), 'must be five cron fields of numbers, each within its bounds')
          .superRefine((cron, context) => {
            const problem = cronProblem(cron);
            if (problem) context.addIssue({ code: 'custom', message: problem });
          }),
      )
      .min(1)
      .max(20)
      .optional()
      .openapi({
        description:
          'Cron expressions (minute hour day-of-month month day-of-week, numbers only), in `timezone`.',
        example: ['0 3 * * *'],
      }),
    intervals: z
      .array(
        z.object({
          every: duration,
          offset: duration.optional().openapi({ description: 'Shorter than `every`.' }),
        }),
      )
      .min(1)
      .max(20)
      .optional()
      .openapi({ description: 'Runs every so long, counted from the Unix epoch plus `offset`.' }),
    timezone: z
      .enum(TIME_ZONES)
      .default('UTC')
      .openapi({ description: 'IANA time zone of `cron`.' }),
    startAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'No run before it.' }),
    endAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'No run after it.' }),
    jitter: duration.optional().openapi({ description: 'Each run is delayed by up to this much.' }),
  })
  // Cron or intervals, at least one: stated for the document, checked by `temporalSpec`
  // (schedules/temporal.ts).
  .openapi({ anyOf: [{ required: ['cron'] }, { required: ['intervals'] }] } as object);

const overlap = z.enum(OVERLAP_POLICIES).openapi({
  description:
    'When a run is due while the last still runs: skip it, keep one (or all) to run after, cancel the running one, or run both.',
});

/** The operation each run starts: the body of `POST /v1/operations`, without its one-off fields. */
const runRequest = startOperationInput.omit({ idempotencyKey: true, mode: true }).extend({
  // A dry run plans without running: a schedule's run would leave nothing behind.
  mode: z
    .enum(OPERATION_MODES)
    .exclude(['dry_run'])
    .default('production')
    .openapi({ description: 'test: each run takes one item (or limit) and keeps no results.' }),
});

export const scheduleInput = runRequest
  .extend({
    spec: scheduleSpec,
    overlap: overlap.default('skip'),
    catchupWindow: duration.optional().openapi({
      description: 'Runs missed while the service was down are made up within this window.',
    }),
    note: z.string().max(500).optional(),
  })
  .openapi(SCOPE_RULES)
  .openapi('ScheduleInput');

export const scheduleChanges = z
  .object({
    job: z
      .string()
      .min(1)
      .optional()
      .openapi({ description: 'Another job for its runs, by name or id.' }),
    params: z.record(z.string(), z.unknown()).optional().openapi({
      description: 'Params its runs lay over every stage’s, in place of the ones it had.',
    }),
    collectionId: z.uuid().optional().openapi({
      description: 'Its runs cover this collection instead; with itemIds or scope, one of them.',
    }),
    itemIds: startOperationInput.shape.itemIds,
    scope: startOperationInput.shape.scope,
    spec: scheduleSpec.optional(),
    overlap: overlap.optional(),
    catchupWindow: duration.optional(),
    note: z.string().max(500).optional(),
  })
  .openapi('ScheduleChanges');

export const noteInput = z.object({ note: z.string().max(500).optional() }).openapi('ScheduleNote');

export const triggerInput = z
  .object({
    overlap: overlap.optional().openapi({
      description: 'This run only; the schedule’s own policy when omitted.',
    }),
  })
  .openapi('ScheduleTrigger');

export const backfillInput = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    overlap: overlap
      .optional()
      .openapi({ description: 'allow_all when omitted, so every run is taken.' }),
  })
  .openapi('ScheduleBackfill');

export const scheduleIdPath = z.object({
  id: z
    .string()
    .regex(/^sch-[0-9a-f-]{36}$/)
    .openapi({
      param: { name: 'id', in: 'path' },
      example: 'sch-3b1f0c0e-9d2a-4c6b-8e7f-5a4d3c2b1a09',
    }),
});

export const scheduleSchema = z
  .object({
    id: z.string(),
    job: z.string(),
    request: z.record(z.string(), z.unknown()).openapi({ description: 'What each run starts.' }),
    spec: z.record(z.string(), z.unknown()),
    overlap: z.string(),
    catchupWindow: z.string().nullable(),
    note: z.string().nullable(),
    paused: z.boolean(),
    nextRuns: z.array(z.string()).openapi({ description: 'The next few run times (ISO 8601).' }),
    lastRun: z
      .union([
        z.object({
          at: z.string(),
          operationId: z.string().nullable(),
          status: z.string().nullable().openapi({ description: 'The run’s operation status.' }),
        }),
        z.null(),
      ])
      .openapi({ description: 'The most recent run, if any.' }),
    runs: z.number().int().openapi({ description: 'Runs taken so far.' }),
    createdAt: timestamp('When it was made.'),
  })
  .openapi('Schedule');
