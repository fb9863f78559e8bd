import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, query } from '../api';
import { type ChartSeries, TimeChart } from '../components/chart';
import { ErrorNote, Loading, Section, Table } from '../components/ui';
import { formatAmount, formatDuration, formatNumber, formatRate } from '../format';
import type { DailyCosts, StageStats } from '../types';
import { useApi } from '../use-api';

const COST_DAYS = 30;
const COLOURS = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#c2410c', '#0e7490'];

const RANGES = {
  '24h': { label: 'last 24 hours, hourly', buckets: 24, stepMs: 3_600_000 },
  '7d': { label: 'last 7 days, daily', buckets: 7, stepMs: 86_400_000 },
} as const;
type Range = keyof typeof RANGES;

interface Point {
  at: number;
  stats: StageStats['data'];
}

/**
 * Stage durations over time. The API answers one window at a time (from hourly roll-ups), so
 * the series is one request per bucket, read side by side.
 */
function useDurationSeries(range: Range) {
  const [points, setPoints] = useState<Point[]>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    let current = true;
    const { buckets, stepMs } = RANGES[range];
    const end = Math.ceil(Date.now() / stepMs) * stepMs;
    Promise.all(
      Array.from({ length: buckets }, (_, index) => {
        const from = end - (buckets - index) * stepMs;
        const path = `/v1/stats/stages${query({
          from: new Date(from).toISOString(),
          to: new Date(from + stepMs).toISOString(),
        })}`;
        return api<StageStats>('GET', path).then((answer) => ({
          at: from / 1000,
          stats: answer.data,
        }));
      }),
    ).then(
      (answers) => current && setPoints(answers),
      (thrown) => current && setError(thrown instanceof ApiError ? thrown : undefined),
    );
    return () => {
      current = false;
    };
  }, [range]);
  return { points, error };
}

function DurationCharts({ range }: { range: Range }) {
  const { points, error } = useDurationSeries(range);
  const stages = useMemo(() => {
    const names = new Set<string>();
    for (const point of points ?? [])
      for (const row of point.stats) names.add(`${row.job} / ${row.stage}`);
    return [...names].sort();
  }, [points]);
  const [picked, setPicked] = useState('');
  const shown = stages.includes(picked) ? picked : (stages[0] ?? '');
  const series = useMemo<ChartSeries[]>(() => {
    const row = (point: Point) =>
      point.stats.find((entry) => `${entry.job} / ${entry.stage}` === shown);
    return [
      {
        label: 'p50',
        colour: COLOURS[0] as string,
        values: (points ?? []).map((p) => row(p)?.durationMs?.p50 ?? null),
      },
      {
        label: 'p95',
        colour: COLOURS[1] as string,
        values: (points ?? []).map((p) => row(p)?.durationMs?.p95 ?? null),
      },
    ];
  }, [points, shown]);
  const times = useMemo(() => (points ?? []).map((point) => point.at), [points]);

  if (error) return <ErrorNote error={error} />;
  if (!points) return <Loading what="durations" />;
  if (stages.length === 0) return <p class="muted">No item stage finished in this range.</p>;
  return (
    <>
      <label>
        Job and stage
        <select value={shown} onChange={(event) => setPicked(event.currentTarget.value)}>
          {stages.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <TimeChart
        title={`Item duration of ${shown}, p50 and p95`}
        times={times}
        series={series}
        unit="ms"
      />
    </>
  );
}

function StageSummary({ range }: { range: Range }) {
  const stats = useApi<StageStats>(`/v1/stats/stages${query({ window: range })}`);
  if (stats.error) return <ErrorNote error={stats.error} />;
  if (!stats.data) return <Loading what="stage statistics" />;
  return (
    <Table caption="Per job and stage over the whole range">
      <thead>
        <tr>
          <th scope="col">Job / stage</th>
          <th scope="col">Done</th>
          <th scope="col">Failed</th>
          <th scope="col">p50</th>
          <th scope="col">p95</th>
          <th scope="col">p99</th>
          <th scope="col">Items/s</th>
        </tr>
      </thead>
      <tbody>
        {stats.data.data.map((row) => (
          <tr key={`${row.job}-${row.stage}`}>
            <td>
              {row.job} / {row.stage}
            </td>
            <td>{formatNumber(row.items.done)}</td>
            <td>{formatNumber(row.items.failed)}</td>
            <td>{formatDuration(row.durationMs?.p50)}</td>
            <td>{formatDuration(row.durationMs?.p95)}</td>
            <td>{formatDuration(row.durationMs?.p99)}</td>
            <td>{formatRate(row.perSecond)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The UTC days of the cost range, oldest first, as the API names them (YYYY-MM-DD). */
function costDays(): string[] {
  const today = new Date();
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: COST_DAYS }, (_, index) =>
    new Date(midnight - (COST_DAYS - 1 - index) * 86_400_000).toISOString().slice(0, 10),
  );
}

function CostCharts() {
  const costs = useApi<DailyCosts>(`/v1/stats/costs?days=${COST_DAYS}&groupBy=job`);
  const chart = useMemo(() => {
    const rows = costs.data?.data ?? [];
    // Every day of the range, so one day with costs still reads as one day of thirty.
    const days = costDays();
    const keys = [...new Set(rows.map((row) => `${row.job} (${row.unit})`))].sort();
    const amount = (day: string, key: string) =>
      rows.find((row) => row.day.startsWith(day) && `${row.job} (${row.unit})` === key)?.amount ??
      0;
    return {
      times: days.map((day) => Date.parse(day) / 1000),
      series: keys.map((key, index) => ({
        label: key,
        colour: COLOURS[index % COLOURS.length] as string,
        values: days.map((day) => amount(day, key)),
      })),
    };
  }, [costs.data]);
  if (costs.error) return <ErrorNote error={costs.error} />;
  if (!costs.data) return <Loading what="costs" />;
  if (costs.data.data.length === 0)
    return <p class="muted">No handler reported a cost in {COST_DAYS} days.</p>;
  return (
    <>
      <TimeChart
        title="Costs per day and job"
        times={chart.times}
        series={chart.series}
        unit=""
        bars
      />
      <Table caption="Costs per day and job">
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Job</th>
            <th scope="col">Amount</th>
            <th scope="col">Unit</th>
          </tr>
        </thead>
        <tbody>
          {costs.data.data.map((row) => (
            <tr key={`${row.day}-${row.job}-${row.unit}`}>
              <td>{row.day.slice(0, 10)}</td>
              <td>{row.job}</td>
              <td>{formatAmount(row.amount)}</td>
              <td>{row.unit}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

export function StatisticsPage() {
  const [range, setRange] = useState<Range>('24h');
  return (
    <>
      <h1>Statistics</h1>
      <label>
        Range
        <select value={range} onChange={(event) => setRange(event.currentTarget.value as Range)}>
          {Object.entries(RANGES).map(([value, { label }]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <Section title="Stage durations">
        <DurationCharts key={range} range={range} />
        <StageSummary range={range} />
      </Section>
      <Section title="Costs per day">
        <CostCharts />
      </Section>
    </>
  );
}
