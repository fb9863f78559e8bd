import { cpus, totalmem } from 'node:os';
import type { EngineRun } from './engine';
import { median } from './stats';

export interface BenchFigures {
  settings: {
    items: number;
    stages: number;
    naiveItems: number;
    batchSize: number;
    chunkSize: number;
    naiveConcurrency: number;
  };
  temporalVersion: string;
  engine: EngineRun[];
  naiveSeconds: number[];
  peakRssMb: number;
  rateLimit?: { limit: number; items: number; measured: number; workers: number };
  /** The same engine runs on a runtime with Postgres and SQLite syncs off. */
  withoutDurability?: EngineRun[];
}

const f = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

export function renderReport(figures: BenchFigures): string {
  const { settings } = figures;
  const engineRate = median(figures.engine.map((run) => run.itemStagesPerSecond));
  const naiveRates = figures.naiveSeconds.map(
    (seconds) => (settings.naiveItems * settings.stages) / seconds,
  );
  const naiveRate = median(naiveRates);
  const ratio = engineRate / naiveRate;
  const cpu = cpus();
  const lines = [
    '# Conveyor benchmark',
    '',
    `Run ${new Date().toISOString()} by \`npm run bench\`, all on one machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${f(totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}; ${figures.temporalVersion}; embedded Postgres 17.`,
    '',
    'The service is durable by default: embedded Postgres with fsync and synchronous_commit on, the dev server\'s SQLite in WAL mode with synchronous=NORMAL. The engine rows below are measured on that; the "syncs off" row repeats them on a second embedded runtime with those syncs off, in the same run.',
    '',
    `Engine: ${f(settings.items)} items × ${settings.stages} \`noop\` stages (delayMs 0), batch size ${settings.batchSize}, chunk size ${settings.chunkSize}, 4 chunks and 4 batches in flight, timed from POST /v1/operations to status completed, after one unmeasured run of the same size. Naive baseline: one workflow running one activity per item per stage, ${settings.naiveConcurrency} activities in flight, over ${f(settings.naiveItems)} items × ${settings.stages} stages, on the same dev server in the same run.`,
    '',
    '| measure | median | runs |',
    '|---|---|---|',
    `| engine item-stages/s | ${f(engineRate)} | ${figures.engine.map((run) => f(run.itemStagesPerSecond)).join(', ')} |`,
    `| engine wall time (s) | ${f(median(figures.engine.map((run) => run.seconds)), 2)} | ${figures.engine.map((run) => f(run.seconds, 2)).join(', ')} |`,
    `| batch activity p50 (ms) | ${f(median(figures.engine.map((run) => run.batchP50Ms)), 1)} | ${figures.engine.map((run) => f(run.batchP50Ms, 1)).join(', ')} |`,
    `| batch activity p95 (ms) | ${f(median(figures.engine.map((run) => run.batchP95Ms)), 1)} | ${figures.engine.map((run) => f(run.batchP95Ms, 1)).join(', ')} |`,
    `| naive item-stages/s | ${f(naiveRate, 1)} | ${naiveRates.map((rate) => f(rate, 1)).join(', ')} |`,
    `| engine / naive | ${f(ratio, 1)}× | |`,
    `| peak worker RSS (VmHWM of the worker process) | ${f(figures.peakRssMb)} MB | |`,
    ...(figures.withoutDurability
      ? [
          `| engine item-stages/s with syncs off (fsync, synchronous_commit, SQLite OFF) | ${f(median(figures.withoutDurability.map((run) => run.itemStagesPerSecond)))} | ${figures.withoutDurability.map((run) => f(run.itemStagesPerSecond)).join(', ')} |`,
          `| cost of durability (durable / syncs off) | ${f(engineRate / median(figures.withoutDurability.map((run) => run.itemStagesPerSecond)), 2)}× | |`,
        ]
      : []),
    ...(figures.rateLimit
      ? [
          `| rate limit ${figures.rateLimit.limit}/s, ${figures.rateLimit.workers} workers, ${figures.rateLimit.items} items: measured items/s | ${f(figures.rateLimit.measured, 1)} | |`,
        ]
      : []),
    '',
    'Targets:',
    '',
    `- engine ≥ 5,000 item-stages/s: ${verdict(engineRate >= 5_000)} (${f(engineRate)})`,
    `- engine ≥ 20× naive: ${verdict(ratio >= 20)} (${f(ratio, 1)}×)`,
    `- peak worker RSS < 400 MB: ${verdict(figures.peakRssMb < 400)} (${f(figures.peakRssMb)} MB, the worker's own process, through all engine runs)`,
    ...(figures.rateLimit
      ? [
          `- rate limit holds across workers: ${verdict(figures.rateLimit.measured <= figures.rateLimit.limit * 1.05)}`,
        ]
      : []),
    '',
  ];
  return lines.join('\n');
}
