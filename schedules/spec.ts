/**
 * What a schedule is made of, as its use cases take it: when it runs (its spec, durations as
 * `90s`, `5m`, `1d`) and what a run due while the last still runs does (its overlap policy).
 * The API's zod schemas (api/schedules/schemas.ts) check a request into these shapes.
 */

export const OVERLAP_POLICIES = [
  'skip',
  'buffer_one',
  'buffer_all',
  'cancel_other',
  'allow_all',
] as const;
export type Overlap = (typeof OVERLAP_POLICIES)[number];

/** When a schedule runs: cron expressions or intervals (at least one), in a time zone. */
export type ScheduleSpecInput = {
  cron?: string[];
  intervals?: { every: string; offset?: string }[];
  timezone: string;
  startAt?: string;
  endAt?: string;
  jitter?: string;
};

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration the schema let through (a whole number and one of s, m, h, d), in milliseconds. */
export const durationMs = (value: string) =>
  Number(value.slice(0, -1)) * UNIT_MS[value.slice(-1) as keyof typeof UNIT_MS];
