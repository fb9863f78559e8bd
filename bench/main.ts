import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../common/config';
import { startConveyor } from '../runtime/services';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { bundleWorkflows, createWorker, installQuietRuntime } from '../worker/create-worker';
import { runEngineWithoutDurability } from './durability';
import { apiClient, type EngineRun, noopJob, runEngineOnce, seedCollection } from './engine';
import { NAIVE_CONCURRENCY, runNaive } from './naive';
import { renderReport } from './report';
import { keptSections, RESULTS_FILE } from './results-file';
import { runScale } from './scale';
import { startWorkerProcess } from './worker-process';

const log = (line: string) => console.log(`[bench] ${line}`);
const numberFromEnv = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function temporalVersion(): Promise<string> {
  const cli = await resolveTemporalCli({ allowSdkDownload: false }).catch(() => undefined);
  if (!cli?.path) return 'Temporal CLI (version unknown)';
  return execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim();
}

async function main() {
  const runs = numberFromEnv('BENCH_RUNS', 3);
  const items = numberFromEnv('BENCH_ITEMS', 10_000);
  const naiveItems = numberFromEnv('BENCH_NAIVE_ITEMS', 1_000);
  const stages = 3;
  const dataDir = mkdtempSync(join(tmpdir(), 'conveyor-bench-'));
  // Postgres runs as its own user, which must reach into the data directory.
  chmodSync(dataDir, 0o755);
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '3100',
    TEMPORAL_PORT: '7333',
    TEMPORAL_UI_PORT: '8333',
    POSTGRES_PORT: '5532',
    TASK_QUEUE: 'bench',
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
  });
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
    },
    log,
  );
  log('worker process ready');
  try {
    const api = apiClient(conveyor.apiUrl, conveyor.adminKey);
    await api('POST', '/v1/jobs', noopJob('bench-noop', stages));
    const { Client, Connection } = await import('@temporalio/client');
    const temporal = new Client({
      connection: await Connection.connect({ address: conveyor.endpoints.temporalAddress }),
    });

    const engine: EngineRun[] = [];
    for (let run = 1; run <= runs; run++) {
      log(`engine run ${run} of ${runs}: ${items} items × ${stages} stages`);
      const result = await runEngineOnce(api, temporal, {
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
    const peakRssMb = worker.peakRssMb();

    const scaleItems = numberFromEnv('BENCH_SCALE_ITEMS', 100_000);
    log(`scale: one operation of ${scaleItems} items × 1 stage`);
    const scale = await runScale(api, temporal, {
      items: scaleItems,
      chunkSize: config.CHUNK_SIZE,
      log,
    });
    log(
      `  ${scale.exact ? 'exact' : 'NOT exact'} in ${scale.seconds.toFixed(1)} s; largest history ${scale.maxHistoryEvents} events`,
    );

    log(`naive baseline: ${naiveItems} items × ${stages} stages, one activity each`);
    const naiveSeconds = await runNaive(conveyor.endpoints.temporalAddress, temporal, {
      runs: Math.max(2, runs - 1),
      items: naiveItems,
      stages,
      log,
    });

    log('rate limit: 1,000 items at 200/s over two workers');
    const second = await createWorker({
      address: conveyor.endpoints.temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TASK_QUEUE,
      database: conveyor.database,
    });
    const secondRun = second.worker.run();
    let rateLimit: { limit: number; items: number; measured: number; workers: number } | undefined;
    try {
      await api('POST', '/v1/jobs', {
        name: 'bench-paced',
        stages: [{ name: 'paced', handler: 'noop', rateLimitPerSecond: 200, concurrency: 50 }],
      });
      const collectionId = await seedCollection(api, `bench-paced-${Date.now()}`, 1_000);
      const { id } = await api('POST', '/v1/operations', { job: 'bench-paced', collectionId });
      while (
        !['completed', 'failed', 'cancelled'].includes(
          (await api('GET', `/v1/operations/${id}`)).status,
        )
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const [span] = await conveyor.database.sql<{ seconds: number }[]>`
        select extract(epoch from max(started_at) - min(started_at))::float8 as seconds from item_stages where operation_id = ${id}`;
      // The first second's burst (one second's worth of tokens) is free; the rest is paced.
      rateLimit = {
        limit: 200,
        items: 1_000,
        workers: 2,
        measured: (1_000 - 200) / (span?.seconds ?? 1),
      };
    } finally {
      second.worker.shutdown();
      await secondRun;
      await second.connection.close();
    }
    await temporal.connection.close();

    const withoutDurability = await runEngineWithoutDurability({
      runs,
      items,
      stages,
      bundlePath,
      log,
    });

    const report = renderReport({
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
      scale,
      rateLimit,
      withoutDurability,
    });
    writeFileSync(RESULTS_FILE, `${report}${keptSections()}`);
    console.log(`\n${report}\nWritten to bench/results.md`);
  } finally {
    await worker.stop();
    await conveyor.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`The benchmark failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
