import type { BatchPhases } from './batch-phases';
import type { ConcurrentRun } from './concurrent';
import type { CpuByPart } from './cpu-split';
import type { LatencyRun } from './latency';
import type { PeerResult } from './peers';
import type { ScaleRun } from './scale';
import type { FloorResult } from './temporal-floor';

/** What `npm run bench` measured for the performance issue, side by side in one run. */
export interface PerformanceFigures {
  items: number;
  stages: number;
  engineRate: number;
  engineRuns: number[];
  naiveRate: number;
  latency: LatencyRun[];
  rowsPerItemStage: number;
  commitsPerBatch: number;
  cpu: CpuByPart;
  engineSeconds: number;
  phases: BatchPhases;
  series: ScaleRun[];
  concurrent?: ConcurrentRun;
  floor?: FloorResult;
  peers: PeerResult[];
  peakRssMb: number;
}

const f = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      })
    : '—';
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

function peersTable(figures: PerformanceFigures): string[] {
  const single = figures.latency.find((run) => run.stages === figures.stages);
  const rows = [
    `| Conveyor (Temporal, batches) | this repo, Node ${process.version} | ${f(figures.engineRate)} | ${figures.engineRuns.map((rate) => f(rate)).join(', ')} | ${f(single?.p50Ms ?? Number.NaN, 1)} / ${f(single?.p95Ms ?? Number.NaN, 1)} | ${f(figures.rowsPerItemStage, 2)} | 1.00× |`,
    `| naive Temporal (one activity per item) | same server | ${f(figures.naiveRate)} | | | | ${f(figures.engineRate / figures.naiveRate, 1)}× |`,
    ...figures.peers.map(
      (peer) =>
        `| ${peer.name} | ${peer.version}, Node ${peer.node} | ${f(peer.itemStagesPerSecond)} | ${peer.runs.map((rate) => f(rate)).join(', ')} | ${f(peer.singleItemP50Ms, 1)} / ${f(peer.singleItemP95Ms, 1)} | ${f(peer.rowsPerItemStage, 2)} | ${f(figures.engineRate / peer.itemStagesPerSecond, 2)}× |`,
    ),
  ];
  return [
    `| system | version | item-stages/s (median) | runs | 1 item × ${figures.stages} stages, POST → completed p50 / p95 (ms) | Postgres rows written per item-stage | Conveyor ÷ this |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...figures.peers.filter((peer) => peer.notes).map((peer) => `- ${peer.name}: ${peer.notes}`),
  ];
}

function profile(figures: PerformanceFigures): string[] {
  const capacity = figures.engineSeconds * 2;
  const cpuRows = Object.entries(figures.cpu)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([part, seconds]) =>
        `| ${part} | ${f(seconds, 2)} | ${f((seconds / capacity) * 100)}% | ${f((seconds / (figures.items * figures.stages * figures.engineRuns.length)) * 1e6, 1)} |`,
    );
  const totalCpu = Object.values(figures.cpu).reduce((sum, seconds) => sum + seconds, 0);
  const phaseRows = Object.entries(figures.phases).map(
    ([phase, { seconds, batches }]) =>
      `| ${phase} | ${f(batches)} | ${f((seconds / Math.max(batches, 1)) * 1000, 1)} |`,
  );
  return [
    `CPU over the ${figures.engineRuns.length} runs of ${f(figures.items)} × ${figures.stages} (${f(figures.engineSeconds, 1)} s of wall time, ${f(capacity, 1)} core-seconds on 2 cores; ${f((totalCpu / capacity) * 100)}% used):`,
    '',
    '| part | CPU seconds | share of 2 cores | µs per item-stage |',
    '|---|---|---|---|',
    ...cpuRows,
    '',
    `Time of a batch by phase (from the worker's \`conveyor_batch_phase_seconds\`; claim and record are Postgres round trips, handlers the noop items with their bookkeeping); ${f(figures.commitsPerBatch, 1)} Postgres commits per batch activity over the run, everything included:`,
    '',
    '| phase | batches | mean ms per batch |',
    '|---|---|---|',
    ...phaseRows,
  ];
}

/** Issue 22's goals, each against this run's figure. */
function performanceTargets(figures: PerformanceFigures): string[] {
  const hundredK = figures.series.find((run) => run.items === 100_000);
  const million = figures.series.find((run) => run.items === 1_000_000);
  const latency = (stages: number, goalMs: number) => {
    const run = figures.latency.find((each) => each.stages === stages);
    return `- 1 item × ${stages} POST → completed p50 ≤ ${goalMs} ms: ${run ? `${verdict(run.p50Ms <= goalMs)} (${f(run.p50Ms, 1)} ms)` : 'not run'}`;
  };
  const peer = (name: string) => figures.peers.find((each) => each.name.includes(name));
  const graphile = peer('graphile');
  const pgBoss = peer('pg-boss');
  const { concurrent } = figures;
  return [
    `- ${f(figures.items)} × ${figures.stages}: ≥ 100,000 item-stages/s and ≥ graphile-worker's figure: ${verdict(figures.engineRate >= 100_000 && figures.engineRate >= (graphile?.itemStagesPerSecond ?? 0))} (${f(figures.engineRate)}; graphile-worker ${f(graphile?.itemStagesPerSecond ?? Number.NaN)})`,
    `- 100,000 × 3: ≥ 130,000 item-stages/s: ${hundredK ? `${verdict(hundredK.itemStagesPerSecond >= 130_000)} (${f(hundredK.itemStagesPerSecond)}; ${f(hundredK.itemStagesPerSecond / (pgBoss?.itemStagesPerSecond ?? Number.NaN), 2)}× pg-boss's 10,000 × 3)` : 'not run'}`,
    `- 1,000,000 × 3 exact in under 30 s: ${million ? `${verdict(million.exact && million.seconds < 30)} (${f(million.seconds, 1)} s, ${million.exact ? 'exact' : 'NOT exact'})` : 'not run (BENCH_SERIES)'}`,
    latency(1, 15),
    latency(3, 25),
    `- ${concurrent ? `${concurrent.operations} operations of ${f(concurrent.itemsEach)} × ${concurrent.stages} at once: ≥ 80,000 item-stages/s in all: ${verdict(concurrent.itemStagesPerSecond >= 80_000)} (${f(concurrent.itemStagesPerSecond)})` : '50 operations at once: not run'}`,
    `- worker RSS < 300 MB: ${verdict(figures.peakRssMb < 300)} (${f(figures.peakRssMb)} MB)`,
    `- Postgres rows written per item-stage ≤ 1.35: ${verdict(figures.rowsPerItemStage <= 1.35)} (${f(figures.rowsPerItemStage, 2)})`,
  ];
}

export function renderPerformance(figures: PerformanceFigures): string {
  const single = figures.latency.find((run) => run.stages === 1);
  const floorLine = figures.floor
    ? `Temporal's own floor on this dev server (a worker and client of its own, ${figures.floor.runs} runs each, start → result): an empty workflow p50 ${f(figures.floor.emptyWorkflowP50Ms, 1)} ms (p95 ${f(figures.floor.emptyWorkflowP95Ms, 1)}), a one-activity workflow p50 ${f(figures.floor.oneActivityP50Ms, 1)} ms (p95 ${f(figures.floor.oneActivityP95Ms, 1)}). Conveyor's one-item, one-stage operation is ${f((single?.p50Ms ?? Number.NaN) - figures.floor.oneActivityP50Ms, 1)} ms above the one-activity floor at p50.`
    : '';
  return [
    '## Against the Postgres queues (same machine, same run, same embedded Postgres)',
    '',
    `${f(figures.items)} items × ${figures.stages} no-op stages, every item's outcome per stage written as a Postgres row, durable commits. Conveyor is timed from POST /v1/operations to the operation's completion; the peers from adding their first jobs to the last outcome row. Each system runs the same work once unmeasured first (Conveyor once before its runs, in its worker; each peer before each run, in that run's process), so measured runs meet compiled code and a grown heap, as a long-running worker does. Rows written are pg_stat_database's inserted + updated + deleted tuples of that database over the runs, divided by the item-stages.`,
    '',
    ...peersTable(figures),
    '',
    '### Where the time goes',
    '',
    ...profile(figures),
    '',
    floorLine,
    '',
    '### Size, concurrency and latency',
    '',
    '| operation | item-stages/s | seconds | workflows | largest history (events) | exact |',
    '|---|---|---|---|---|---|',
    ...figures.series.map(
      (run) =>
        `| ${f(run.items)} × ${run.stages} | ${f(run.itemStagesPerSecond)} | ${f(run.seconds, 1)} | ${f(run.workflows)} | ${f(run.maxHistoryEvents)} | ${run.exact ? 'yes' : 'NO'} |`,
    ),
    ...(figures.concurrent
      ? [
          '',
          `${figures.concurrent.operations} operations of ${f(figures.concurrent.itemsEach)} items × ${figures.concurrent.stages} started together: ${f(figures.concurrent.itemStagesPerSecond)} item-stages/s in all; they finished ${f(figures.concurrent.firstSeconds, 1)} s (first), ${f(figures.concurrent.medianSeconds, 1)} s (median) and ${f(figures.concurrent.lastSeconds, 1)} s (last) after the start; ${figures.concurrent.allExact ? 'every one exact' : 'NOT all exact'}; ${figures.concurrent.startsRetried ?? 0} starts answered 503 (database busy) and repeated 2 s later.`,
        ]
      : []),
    '',
    ...figures.latency.map(
      (run) =>
        `- 1 item × ${run.stages} stage${run.stages > 1 ? 's' : ''}, POST → completed over ${run.runs} runs: p50 ${f(run.p50Ms, 1)} ms, p95 ${f(run.p95Ms, 1)} ms`,
    ),
    '',
    'Targets of the performance issue (22):',
    '',
    ...performanceTargets(figures),
    '',
  ].join('\n');
}
