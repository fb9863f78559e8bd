import { createRoute, type z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import {
  type BucketRow,
  dailyCosts,
  operationStatusCounts,
  type StatsWindow,
  summarizeBuckets,
} from '../../db/stats';
import { needsRole } from '../auth';
import { jsonResponse } from '../openapi';
import { errorResponses, problems } from '../problems';
import { openApiRouter } from '../validation';
import { ClosedHourSums, wholeHours } from './closed-hours';
import {
  costStatsSchema,
  costsQuery,
  DEFAULT_WINDOW,
  jobStatsSchema,
  MAX_WINDOW_HOURS,
  stageStatsSchema,
  windowQuery,
} from './schemas';
import { SharedReads } from './shared-reads';

const tags = ['stats'];
const HOUR_MS = 3_600_000;

const jobs = createRoute({
  method: 'get',
  path: '/jobs',
  tags,
  summary: 'Per job: operations by status, item-stage counts, durations and throughput',
  ...needsRole('viewer'),
  request: { query: windowQuery },
  responses: {
    200: jsonResponse(jobStatsSchema, 'Statistics per job over the window.'),
    ...errorResponses(400, 401, 403, 409, 500, 503),
  },
});

const stages = createRoute({
  method: 'get',
  path: '/stages',
  tags,
  summary: 'Per job and stage: item counts, durations and throughput',
  ...needsRole('viewer'),
  request: { query: windowQuery },
  responses: {
    200: jsonResponse(stageStatsSchema, 'Statistics per stage over the window.'),
    ...errorResponses(400, 401, 403, 409, 500, 503),
  },
});

const costs = createRoute({
  method: 'get',
  path: '/costs',
  tags,
  summary: 'Costs per day, per job or per stage',
  ...needsRole('viewer'),
  request: { query: costsQuery },
  responses: {
    200: jsonResponse(costStatsSchema, 'Costs per UTC day.'),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

const contradiction = (name: string, reason: string) => problems.contradiction([{ name, reason }]);

/**
 * The window a query asks for. Its parameters each fit the document; what they say together
 * (both `from` and `window`, `from` not before `to`, a span over the limit) is a 409 naming
 * the field, since the document cannot relate query parameters.
 */
export function resolveWindow(query: z.infer<typeof windowQuery>, now = new Date()): StatsWindow {
  if (query.from && query.window) {
    throw contradiction('window', 'give either `from` or `window`, not both');
  }
  const to = query.to ?? now;
  let from = query.from;
  if (!from) {
    const window = query.window ?? DEFAULT_WINDOW;
    const hours = Number(window.slice(0, -1)) * (window.endsWith('d') ? 24 : 1);
    from = new Date(to.getTime() - hours * HOUR_MS);
  }
  if (from.getTime() >= to.getTime()) throw contradiction('from', 'must be before `to`');
  if (to.getTime() - from.getTime() > MAX_WINDOW_HOURS * HOUR_MS) {
    throw contradiction('from', `must be at most ${MAX_WINDOW_HOURS / 24} days before \`to\``);
  }
  return { from, to };
}

/** Rows of one query split by group, keeping each group's bucket order. */
function groupRows(rows: BucketRow[], key: (row: BucketRow) => string): Map<string, BucketRow[]> {
  const groups = new Map<string, BucketRow[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

const windowEcho = ({ from, to }: StatsWindow) => ({
  from: from.toISOString(),
  to: to.toISOString(),
  seconds: (to.getTime() - from.getTime()) / 1000,
});

const perSecond = (total: number, window: StatsWindow) =>
  total / ((window.to.getTime() - window.from.getTime()) / 1000);

/** `/v1/stats`: statistics per job, per stage and costs per day, for viewers of the tenant. */
export function statsRoutes() {
  const app = openApiRouter();
  // Made on the first request: the database is known only from a request's dependencies.
  let closedHours: ClosedHourSums | undefined;
  const stageStats = (sql: postgres.Sql) => {
    closedHours ??= new ClosedHourSums(sql);
    return closedHours;
  };
  const operationCounts = new SharedReads();

  app.openapi(jobs, async (c) => {
    const query = c.req.valid('query');
    const window = resolveWindow(query);
    const { sql } = c.get('deps').database;
    const tenantId = c.get('principal').tenantId;
    const hours = wholeHours(window);
    const [buckets, statuses] = await Promise.all([
      stageStats(sql).buckets(tenantId, window, { by: 'job', job: query.job }),
      operationCounts.share(JSON.stringify([tenantId, query.job ?? null, hours]), () =>
        operationStatusCounts(
          sql,
          tenantId,
          { from: new Date(hours.from), to: new Date(hours.to) },
          query.job,
        ),
      ),
    ]);
    const byJob = groupRows(buckets, (row) => row.jobName);
    const names = [...new Set([...byJob.keys(), ...statuses.map((row) => row.jobName)])].sort();
    const data = names.map((job) => {
      const { durationMs, ...itemStages } = summarizeBuckets(byJob.get(job) ?? []);
      const own = statuses.filter((row) => row.jobName === job);
      return {
        job,
        operations: {
          total: own.reduce((sum, row) => sum + row.count, 0),
          byStatus: Object.fromEntries(own.map((row) => [row.status, row.count])),
        },
        itemStages,
        durationMs,
        perSecond: perSecond(itemStages.total, window),
      };
    });
    return c.json({ ...windowEcho(window), data }, 200);
  });

  app.openapi(stages, async (c) => {
    const query = c.req.valid('query');
    const window = resolveWindow(query);
    const buckets = await stageStats(c.get('deps').database.sql).buckets(
      c.get('principal').tenantId,
      window,
      { by: 'stage', job: query.job },
    );
    const groups = groupRows(buckets, (row) => JSON.stringify([row.jobName, row.stageName]));
    const data = [...groups.values()].map((rows) => {
      const { durationMs, ...items } = summarizeBuckets(rows);
      const [first] = rows as [BucketRow];
      return {
        job: first.jobName,
        stage: first.stageName ?? '',
        items,
        durationMs,
        perSecond: perSecond(items.total, window),
      };
    });
    return c.json({ ...windowEcho(window), data }, 200);
  });

  app.openapi(costs, async (c) => {
    const { days, groupBy } = c.req.valid('query');
    const today = new Date();
    const since = new Date(
      Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1)),
    );
    const rows = await dailyCosts(
      c.get('deps').database.sql,
      c.get('principal').tenantId,
      since,
      groupBy,
    );
    return c.json(
      {
        since: since.toISOString().slice(0, 10),
        groupBy,
        data: rows.map((row) => ({
          day: row.day,
          job: row.jobName,
          stage: row.stageName,
          unit: row.unit,
          amount: row.amount,
          entries: row.entries,
        })),
      },
      200,
    );
  });

  return app;
}
