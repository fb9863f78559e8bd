import type postgres from 'postgres';

/**
 * Statistics read from the `stage_stats` roll-ups (written with each batch's outcomes, see
 * `recordOutcomes`), the operations table and the costs table. Every query is bounded by the
 * tenant and a time range that an index leads with, so none scans a whole table.
 */

export interface StatsWindow {
  from: Date;
  to: Date;
}

/** Summed roll-ups of one duration bucket, for one job (and stage, when grouped by stage). */
export interface BucketRow {
  jobName: string;
  stageName: string | null;
  bucket: number;
  done: number;
  failed: number;
  skipped: number;
  durationMsSum: number;
}

/**
 * The window's roll-ups per job (or per job and stage) and duration bucket, ordered by bucket so
 * cumulative counts can be taken in one pass. An hour counts when it starts inside the window
 * (rounded down to the hour): the roll-ups know no finer time.
 */
export async function stageStatBuckets(
  sql: postgres.Sql,
  tenantId: string,
  window: StatsWindow,
  options: { by: 'job' | 'stage'; job?: string },
): Promise<BucketRow[]> {
  const stage = options.by === 'stage' ? sql`stage_name` : sql`null::text`;
  return sql<BucketRow[]>`
    select job_name as "jobName", ${stage} as "stageName", bucket,
      sum(done)::int8 as done, sum(failed)::int8 as failed, sum(skipped)::int8 as skipped,
      sum(duration_ms_sum)::float8 as "durationMsSum"
    from stage_stats
    where tenant_id = ${tenantId}::uuid
      and hour >= date_trunc('hour', ${window.from.toISOString()}::timestamptz, 'UTC') and hour < ${window.to.toISOString()}::timestamptz
      ${options.job ? sql`and job_name = ${options.job}` : sql``}
    group by 1, 2, 3
    order by 1, 2, 3`;
}

/**
 * Production operations created in the window, per job and status, from the hourly counts the
 * trigger of migration 0006 keeps. Hours count as in `stageStatBuckets`.
 */
export async function operationStatusCounts(
  sql: postgres.Sql,
  tenantId: string,
  window: StatsWindow,
  job?: string,
): Promise<{ jobName: string; status: string; count: number }[]> {
  return sql`
    select job_name as "jobName", status, sum(count)::int as count
    from operation_counts
    where tenant_id = ${tenantId}::uuid
      and hour >= date_trunc('hour', ${window.from.toISOString()}::timestamptz, 'UTC')
      and hour < ${window.to.toISOString()}::timestamptz
      ${job ? sql`and job_name = ${job}` : sql``}
    group by 1, 2
    having sum(count) > 0
    order by 1, 2`;
}

export interface DailyCost {
  day: string;
  jobName: string;
  stageName: string | null;
  unit: string;
  amount: number;
  entries: number;
}

/** Costs per UTC day since `since`, per job (or per job and stage) and unit. */
export async function dailyCosts(
  sql: postgres.Sql,
  tenantId: string,
  since: Date,
  by: 'job' | 'stage',
): Promise<DailyCost[]> {
  const stage = by === 'stage' ? sql`stage_name` : sql`null::text`;
  // From the daily roll-up (`cost_days`): a few rows per day, whatever the number of costs.
  return sql<DailyCost[]>`
    select to_char(day, 'YYYY-MM-DD') as day, job_name as "jobName", ${stage} as "stageName",
      unit, sum(amount)::float8 as amount, sum(entries)::int as entries
    from cost_days
    where tenant_id = ${tenantId}::uuid
      and day >= (${since.toISOString()}::timestamptz at time zone 'UTC')::date
    group by day, job_name, ${stage}, unit
    order by 1, 2, 3, 4`;
}

export interface DurationSummary {
  done: number;
  failed: number;
  skipped: number;
  total: number;
  /** Null when nothing finished in the window. */
  durationMs: { mean: number; p50: number; p95: number; p99: number } | null;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Counts and duration percentiles of one group's buckets (ascending). A percentile is the mean
 * duration of the bucket its rank falls in: always inside the bucket's range (about ±12% of
 * its value, buckets being 2^(1/3) wide) and exact when the bucket holds one duration.
 */
export function summarizeBuckets(rows: BucketRow[]): DurationSummary {
  const sum = (pick: (row: BucketRow) => number) => rows.reduce((a, row) => a + pick(row), 0);
  const done = sum((row) => row.done);
  const failed = sum((row) => row.failed);
  const skipped = sum((row) => row.skipped);
  const total = done + failed + skipped;
  if (total === 0) return { done, failed, skipped, total, durationMs: null };
  const percentile = (p: number) => {
    const rank = Math.max(1, Math.ceil(p * total));
    let seen = 0;
    for (const row of rows) {
      const count = row.done + row.failed + row.skipped;
      seen += count;
      if (seen >= rank && count > 0) return round(row.durationMsSum / count);
    }
    return 0;
  };
  return {
    done,
    failed,
    skipped,
    total,
    durationMs: {
      mean: round(sum((row) => row.durationMsSum) / total),
      p50: percentile(0.5),
      p95: percentile(0.95),
      p99: percentile(0.99),
    },
  };
}
