import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type postgres from 'postgres';
import { startConveyor } from '../runtime/compose';
import { embeddedSuperuserUrl } from '../runtime/postgres-password';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { bundleWorkflows, installQuietRuntime } from '../worker/create-worker';
import { phasesBetween, scrapeBatchPhases } from './batch-phases';
import { runConcurrent } from './concurrent';
import { cpuBetween, cpuByPart } from './cpu-split';
import { runEngineWithoutDurability } from './durability';
import { apiClient, type EngineRun, noopJob, runEngineOnce, seedCollection } from './engine';
import { runSingleItemLatency } from './latency';
import { NAIVE_CONCURRENCY, runNaive } from './naive';
import { runPeers } from './peers';
import { measureRateLimit } from './rate-limit';
import { renderReport } from './report';
import { renderPerformance } from './report-performance';
import { keptSections, RESULTS_FILE } from './results-file';
import { benchRuntime } from './runtime-config';
import { runScale } from './scale';
import { median } from './stats';
import { measureTemporalFloor } from './temporal-floor';
import { startWorkerProcess } from './worker-process';

const log = (line: string) => console.log(`[bench] ${line}`);
const numberFromEnv = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const WORKER_METRICS_PORT = 9564;

async function temporalVersion(): Promise<string> {
  const cli = await resolveTemporalCli({ allowSdkDownload: false }).catch(() => undefined);
  if (!cli?.path) return 'Temporal CLI (version unknown)';
  return execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim();
}

/**
 * Rows written (inserted, updated, deleted) and transactions committed in Conveyor's database so
 * far. Postgres 17 publishes a connected backend's counts up to 10 s late when it idles, and the
 * API's and worker's pools stay connected, so the figures are read once they have settled.
 */
async function settledWrites(sql: postgres.Sql): Promise<{ rows: number; commits: number }> {
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const [row] = await sql<{ rows: number; commits: number }[]>`
    select (tup_inserted + tup_updated + tup_deleted)::float8 as rows, xact_commit::float8 as commits
    from pg_stat_database where datname = current_database()`;
  return row ?? { rows: 0, commits: 0 };
}

async function main() {
  const runs = numberFromEnv('BENCH_RUNS', 3);
  const items = numberFromEnv('BENCH_ITEMS', 10_000);
  const naiveItems = numberFromEnv('BENCH_NAIVE_ITEMS', 1_000);
  const series = (process.env.BENCH_SERIES ?? '1000,100000,1000000').split(',').map(Number);
  const stages = 3;
  const { dataDir, config } = benchRuntime(
    'bench',
    { api: 3100, temporal: 7333, ui: 8333, postgres: 5532 },
    'bench',
  );
  installQuietRuntime({ level: 'ERROR' });
  log(`starting the embedded runtime in ${dataDir} …`);
  const conveyor = await startConveyor(config, { log, startWorker: false });
  // Built here so the worker's memory is its own, not webpack's (as in a production deploy).
  const bundlePath = join(dataDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await bundleWorkflows()).code);
  const worker = await startWorkerProcess(
    {
      WORKFLOW_BUNDLE_PATH: bundlePath,
      DATABASE_URL: conveyor.endpoints.databaseUrl,
      TEMPORAL_ADDRESS: conveyor.endpoints.temporalAddress,
      TASK_QUEUE: config.TASK_QUEUE,
      METRICS_PORT: String(WORKER_METRICS_PORT),
      LOG_LEVEL: 'warn',
    },
    log,
  );
  log('worker process ready');
  const temporal = new Client({
    connection: await Connection.connect({ address: conveyor.endpoints.temporalAddress }),
  });
  try {
    const api = apiClient(conveyor.apiUrl, conveyor.adminKey);
    await api('POST', '/v1/jobs', noopJob('bench-noop', stages));

    log("Temporal's floor: empty and one-activity workflows, started and awaited");
    const floor = await measureTemporalFloor({
      address: conveyor.endpoints.temporalAddress,
      runs: 30,
      log,
    });

    log('single-item latency, POST to completed');
    const latency = [
      await runSingleItemLatency(api, temporal, { stages: 1, runs: 30, log }),
      await runSingleItemLatency(api, temporal, { stages, runs: 30, log }),
    ];

    const metricsUrl = `http://127.0.0.1:${WORKER_METRICS_PORT}/metrics`;
    const phasesBefore = await scrapeBatchPhases(metricsUrl);
    // Seeded first: the CPU and row figures are of the operations' work alone.
    const collections: string[] = [];
    for (let run = 0; run <= runs; run++) {
      collections.push(await seedCollection(api, `bench-${run}`, items));
    }
    // One unmeasured run of the same size first, as each peer has one before its measured run:
    // the worker's first large operation costs it 21-27 us of CPU per item-stage against 8-14
    // in the next ones (a 1,000-item warm-up does not remove that), which a long-running worker
    // pays once.
    log(`warm-up: ${items} items × ${stages} stages, not measured`);
    await runEngineOnce(api, temporal, {
      collectionId: collections[0],
      run: 0,
      items,
      job: 'bench-noop',
      chunkSize: config.CHUNK_SIZE,
      log,
    });
    const cpuBefore = cpuByPart(worker.pid, dataDir);
    const writesBefore = await settledWrites(conveyor.database.sql);
    const engine: EngineRun[] = [];
    for (let run = 1; run <= runs; run++) {
      log(`engine run ${run} of ${runs}: ${items} items × ${stages} stages`);
      const result = await runEngineOnce(api, temporal, {
        collectionId: collections[run],
        run,
        items,
        job: 'bench-noop',
        chunkSize: config.CHUNK_SIZE,
        log,
      });
      engine.push(result);
      log(
        `  ${result.itemStagesPerSecond.toFixed(0)} item-stages/s (${result.seconds.toFixed(2)} s, ${result.batches} batches)`,
      );
    }
    const cpu = cpuBetween(cpuBefore, cpuByPart(worker.pid, dataDir));
    const phases = phasesBetween(phasesBefore, await scrapeBatchPhases(metricsUrl));
    const writesAfter = await settledWrites(conveyor.database.sql);
    const batches = engine.reduce((sum, run) => sum + run.batches, 0);

    const scale = [];
    for (const size of series) {
      log(`scale: one operation of ${size.toLocaleString('en-US')} items × ${stages} stages`);
      const run = await runScale(api, temporal, {
        items: size,
        stages,
        chunkSize: config.CHUNK_SIZE,
        log,
      });
      log(
        `  ${run.exact ? 'exact' : 'NOT exact'}: ${run.itemStagesPerSecond.toFixed(0)} item-stages/s, ${run.seconds.toFixed(1)} s; largest history ${run.maxHistoryEvents} events`,
      );
      scale.push(run);
    }
    const peakRssMb = worker.peakRssMb();

    const operations = numberFromEnv('BENCH_CONCURRENT_OPERATIONS', 50);
    log(`${operations} operations of 1,000 items × ${stages} stages, started together`);
    const concurrent = await runConcurrent(api, temporal, {
      operations,
      itemsEach: 1_000,
      stages,
      log,
    });
    log(
      `  ${concurrent.itemStagesPerSecond.toFixed(0)} item-stages/s; finished ${concurrent.firstSeconds.toFixed(1)}–${concurrent.lastSeconds.toFixed(1)} s`,
    );

    log(`naive baseline: ${naiveItems} items × ${stages} stages, one activity each`);
    const naiveSeconds = await runNaive(conveyor.endpoints.temporalAddress, temporal, {
      runs: Math.max(2, runs - 1),
      items: naiveItems,
      stages,
      log,
    });

    log('rate limit: 1,000 items at 200/s over two workers');
    const rateLimit = await measureRateLimit(api, conveyor, config);

    log('the Postgres queues on the same embedded Postgres');
    const peers = await runPeers({
      // The superuser's: the service's own role may not create the peers' databases.
      serverUrl: embeddedSuperuserUrl(dataDir, config.POSTGRES_PORT, 'postgres'),
      items,
      warmupItems: items,
      stages,
      log,
    });

    const withoutDurability = await runEngineWithoutDurability({
      runs,
      items,
      stages,
      bundlePath,
      log,
    });

    const engineRate = median(engine.map((run) => run.itemStagesPerSecond));
    const naiveRate = median(naiveSeconds.map((seconds) => (naiveItems * stages) / seconds));
    const report = [
      renderReport({
        settings: {
          items,
          stages,
          naiveItems,
          batchSize: config.BATCH_SIZE,
          chunkSize: config.CHUNK_SIZE,
          naiveConcurrency: NAIVE_CONCURRENCY,
        },
        temporalVersion: await temporalVersion(),
        engine,
        naiveSeconds,
        peakRssMb,
        rateLimit,
        withoutDurability,
      }),
      renderPerformance({
        items,
        stages,
        engineRate,
        engineRuns: engine.map((run) => run.itemStagesPerSecond),
        naiveRate,
        latency,
        rowsPerItemStage: (writesAfter.rows - writesBefore.rows) / (items * stages * runs),
        commitsPerBatch: (writesAfter.commits - writesBefore.commits) / Math.max(batches, 1),
        cpu,
        engineSeconds: engine.reduce((sum, run) => sum + run.seconds, 0),
        phases,
        series: scale,
        concurrent,
        floor,
        peers,
        peakRssMb,
      }),
    ].join('\n');
    writeFileSync(RESULTS_FILE, `${report}${keptSections()}`);
    console.log(`\n${report}\nWritten to bench/results.md`);
  } finally {
    await temporal.connection.close();
    await worker.stop();
    await conveyor.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`The benchmark failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
