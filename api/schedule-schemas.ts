import { z } from '@hono/zod-openapi';
import { timestamp } from './openapi';
import { SCOPE_RULES, startOperationInput } from './operation-starter';

/** A length of time: a whole number of seconds, minutes, hours or days (`90s`, `5m`, `1d`). */
export const duration = z
  .string()
  .regex(/^[1-9][0-9]{0,6}(s|m|h|d)$/)
  .openapi({ description: 'A whole number and a unit: s, m, h or d.', example: '15m' });

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const durationMs = (value: string) =>
  Number(value.slice(0, -1)) * UNIT_MS[value.slice(-1) as keyof typeof UNIT_MS];

const MINUTE = '(?:[1-5]?[0-9])';
const HOUR = '(?:1?[0-9]|2[0-3])';
const DAY = '(?:[1-9]|[12][0-9]|3[01])';
const MONTH = '(?:[1-9]|1[0-2])';
const WEEKDAY = '(?:[0-6])';
/** One cron field of values in `range`: `*`, values, ranges and steps, comma-separated. */
const field = (range: string) => {
  const part = `(?:\\*|${range}(?:-${range})?)(?:/[1-9][0-9]{0,2})?`;
  return `${part}(?:,${part})*`;
};
/** Five fields: minute, hour, day of month, month, day of week (numbers; no seconds field). */
const CRON = `^${[MINUTE, HOUR, DAY, MONTH, WEEKDAY].map(field).join(' ')}$`;

export const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone')] as [string, ...string[]];

export const scheduleSpec = z
  .object({
    cron: z
      .array(z.string().regex(new RegExp(CRON)))
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
  // Cron or intervals, at least one: stated for the document, checked by `scheduleSpecFor`.
  .openapi({ anyOf: [{ required: ['cron'] }, { required: ['intervals'] }] } as object);

export const OVERLAP_POLICIES = [
  'skip',
  'buffer_one',
  'buffer_all',
  'cancel_other',
  'allow_all',
] as const;

const overlap = z.enum(OVERLAP_POLICIES).openapi({
  description:
    'When a run is due while the last still runs: skip it, keep one (or all) to run after, cancel the running one, or run both.',
});

/** The operation each run starts: the body of `POST /v1/operations`, without its one-off fields. */
const runRequest = startOperationInput.omit({ idempotencyKey: true, mode: true }).extend({
  mode: z
    .enum(['production', 'test'])
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
