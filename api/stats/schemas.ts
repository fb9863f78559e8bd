import { z } from '@hono/zod-openapi';
import { OPERATION_STATUSES } from '../../common/domain';
import { timestamp } from '../openapi';
import { queryDateTime, queryInteger } from '../validation';

/** Longest window the job and stage statistics read: 90 days of hourly roll-ups. */
export const MAX_WINDOW_HOURS = 90 * 24;
export const DEFAULT_WINDOW = '24h';
const WINDOW_PATTERN =
  /^(([1-9]|[1-9]\d|[1-9]\d\d|1\d\d\d|20\d\d|21[0-5]\d|2160)h|([1-9]|[1-8]\d|90)d)$/;

export const windowQuery = z.object({
  from: queryDateTime(
    'Start of the window (ISO 8601). Give either `from` or `window`; with neither, the last 24 hours.',
  ).optional(),
  to: queryDateTime('End of the window (ISO 8601); now by default.').optional(),
  window: z
    .string()
    // 1–2160 hours or 1–90 days: the bound is in the pattern, so the document states it.
    .regex(WINDOW_PATTERN, `must be 1h to ${MAX_WINDOW_HOURS}h or 1d to ${MAX_WINDOW_HOURS / 24}d`)
    .optional()
    .openapi({
      pattern: WINDOW_PATTERN.source,
      description: `Length of the window ending at \`to\`: hours (\`h\`) or days (\`d\`), at most ${MAX_WINDOW_HOURS / 24}d. ${DEFAULT_WINDOW} by default.`,
      example: '7d',
    }),
  job: z
    .string()
    .min(1)
    .optional()
    .openapi({ description: 'Only this job (by name).', example: 'enrich' }),
});

const count = (description: string) => z.number().int().openapi({ description });

const durationSchema = z
  .object({
    mean: z.number().openapi({ description: 'Mean duration (ms).' }),
    p50: z.number().openapi({ description: 'Median duration (ms).' }),
    p95: z.number().openapi({ description: '95th percentile (ms).' }),
    p99: z.number().openapi({ description: '99th percentile (ms).' }),
  })
  .nullable()
  .openapi({
    description:
      'Handler durations per item, from duration buckets 2^(1/3) apart: each percentile is the mean of the bucket it falls in, so within about 12%. Null when nothing finished.',
  });

const outcomeCounts = (what: string) => ({
  done: count(`${what} done.`),
  failed: count(`${what} failed.`),
  skipped: count(`${what} skipped by their handler.`),
  total: count(`${what} finished: done, failed and skipped.`),
});

const windowFields = {
  from: timestamp('Start of the window read.'),
  to: timestamp('End of the window read.'),
  seconds: z
    .number()
    .openapi({ description: 'Length of the window, which `perSecond` divides by.' }),
};

const note =
  'Roll-ups are hourly: an hour counts wholly when it starts inside the window. Production runs only (test mode keeps no statistics).';

export const jobStatsSchema = z
  .object({
    ...windowFields,
    data: z.array(
      z.object({
        job: z.string().openapi({ description: 'The job name.' }),
        operations: z.object({
          total: count('Production operations of the job created in the window.'),
          byStatus: z.record(z.string(), z.number().int()).openapi({
            description: `Operations per status (${OPERATION_STATUSES.join(', ')}); absent statuses have none.`,
            example: { completed: 12, failed: 1 },
          }),
        }),
        itemStages: z
          .object(outcomeCounts('Item stages'))
          .openapi({ description: 'Item stages finished in the window, over all stages.' }),
        durationMs: durationSchema,
        perSecond: z.number().openapi({
          description:
            'Item stages finished per second over the window (an item of an n-stage job counts n times).',
        }),
      }),
    ),
  })
  .openapi('JobStats', { description: `Per job, newest roll-ups included. ${note}` });

export const stageStatsSchema = z
  .object({
    ...windowFields,
    data: z.array(
      z.object({
        job: z.string().openapi({ description: 'The job name.' }),
        stage: z.string().openapi({ description: 'The stage name.' }),
        items: z.object(outcomeCounts('Items')).openapi({
          description: 'Items that finished the stage in the window.',
        }),
        durationMs: durationSchema,
        perSecond: z
          .number()
          .openapi({ description: 'Items finished in the stage per second over the window.' }),
      }),
    ),
  })
  .openapi('StageStats', { description: `Per job and stage. ${note}` });

export const costsQuery = z.object({
  days: queryInteger({
    min: 1,
    max: 366,
    description: 'How many UTC days, today included (1–366); 30 by default.',
  }).default(30),
  groupBy: z
    .enum(['job', 'stage'])
    .default('job')
    .openapi({ description: 'Sum per job, or per job and stage; `job` by default.' }),
});

export const costStatsSchema = z
  .object({
    since: z.iso.date().openapi({ description: 'The first UTC day included.' }),
    groupBy: z.enum(['job', 'stage']),
    data: z.array(
      z.object({
        day: z.iso.date().openapi({ description: 'The UTC day.', example: '2026-11-25' }),
        job: z.string(),
        stage: z
          .string()
          .nullable()
          .openapi({ description: 'The stage, with `groupBy=stage`; null otherwise.' }),
        unit: z.string().openapi({ description: 'What the amount counts, as the handler said.' }),
        amount: z.number().openapi({ description: 'Sum of the costs reported.' }),
        entries: count('Costs reported (one per item, or per discovery run).'),
      }),
    ),
  })
  .openapi('CostStats', {
    description: 'Costs per UTC day, oldest first; days without costs are absent.',
  });
